//! One HTTP/1.1 POST (or GET) to a URL over plain TCP (`http://`) or TLS (`https://`,
//! Mozilla's roots from webpki-roots), for the trigger and SMS webhooks, identity pools'
//! OpenID Connect key sets and the upstream STS. A fresh connection per call: nothing goes
//! stale between calls, and a receiver that restarts is picked up at once.

use std::sync::Arc;

use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, Request, Uri};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_rustls::rustls::pki_types::ServerName;
use tokio_rustls::rustls::{ClientConfig, RootCertStore};
use tokio_rustls::TlsConnector;

/// What came back.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Bytes,
}

/// Why there is no reply. The text is for the log (it may name hosts).
#[derive(Debug)]
pub enum PostError {
    /// The URL cannot be used (scheme, host).
    BadUrl(String),
    /// Connecting, TLS, or the exchange failed.
    Connection(String),
}

pub struct OutboundHttp {
    /// `None` if rustls could not be set up; `https://` calls then fail, `http://` work.
    tls: Option<TlsConnector>,
}

impl Default for OutboundHttp {
    fn default() -> Self {
        Self::new()
    }
}

impl OutboundHttp {
    pub fn new() -> Self {
        let roots = RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        // Named rather than the process default: more than one rustls provider is compiled
        // into the binary.
        let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
        let tls = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map(|builder| {
                let config = builder.with_root_certificates(roots).with_no_client_auth();
                TlsConnector::from(Arc::new(config))
            })
            .ok();
        Self { tls }
    }

    /// POSTs `body` with `headers` (plus Host, Content-Length, User-Agent) and reads at
    /// most `max_answer` bytes of the answer. No timeout: the caller sets one.
    pub async fn post(
        &self,
        url: &str,
        headers: Vec<(HeaderName, HeaderValue)>,
        body: Bytes,
        max_answer: usize,
    ) -> Result<Reply, PostError> {
        self.send(Method::POST, url, headers, body, max_answer)
            .await
    }

    /// GETs `url` with `headers`, as [`post`](Self::post) POSTs.
    pub async fn get(
        &self,
        url: &str,
        headers: Vec<(HeaderName, HeaderValue)>,
        max_answer: usize,
    ) -> Result<Reply, PostError> {
        self.send(Method::GET, url, headers, Bytes::new(), max_answer)
            .await
    }

    async fn send(
        &self,
        method: Method,
        url: &str,
        headers: Vec<(HeaderName, HeaderValue)>,
        body: Bytes,
        max_answer: usize,
    ) -> Result<Reply, PostError> {
        let uri: Uri = url
            .parse()
            .map_err(|e| PostError::BadUrl(format!("{url:?} is not a URL: {e}")))?;
        let https = match uri.scheme_str() {
            Some("https") => true,
            Some("http") => false,
            _ => {
                return Err(PostError::BadUrl(format!(
                    "{url:?} is neither http:// nor https://"
                )))
            }
        };
        let host = uri
            .host()
            .ok_or_else(|| PostError::BadUrl(format!("{url:?} has no host")))?
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned();
        let port = uri.port_u16().unwrap_or(if https { 443 } else { 80 });
        let authority = uri
            .authority()
            .map(|a| a.as_str().to_owned())
            .unwrap_or_else(|| host.clone());
        let path = uri
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_else(|| "/".to_owned());
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, authority)
            .header(header::USER_AGENT, "monban")
            .body(Full::new(body))
            .map_err(|e| PostError::BadUrl(format!("cannot build the request: {e}")))?;
        request.headers_mut().extend(headers);

        let connection = |e: std::io::Error| PostError::Connection(format!("{host}:{port}: {e}"));
        let tcp = TcpStream::connect((host.as_str(), port))
            .await
            .map_err(|e| PostError::Connection(format!("cannot connect to {host}:{port}: {e}")))?;
        if https {
            let name = ServerName::try_from(host.clone()).map_err(|e| {
                PostError::BadUrl(format!("{host:?} is not a TLS server name: {e}"))
            })?;
            let connector = self
                .tls
                .as_ref()
                .ok_or_else(|| PostError::Connection("TLS is not available".into()))?;
            let tls = connector.connect(name, tcp).await.map_err(connection)?;
            exchange(tls, request, max_answer).await
        } else {
            exchange(tcp, request, max_answer).await
        }
    }
}

async fn exchange<S>(
    stream: S,
    request: Request<Full<Bytes>>,
    max_answer: usize,
) -> Result<Reply, PostError>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let failed =
        |what: &str, e: &dyn std::fmt::Display| PostError::Connection(format!("{what}: {e}"));
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| failed("HTTP handshake", &e))?;
    // Drives the connection until the answer is read; it ends with the sender.
    let driver = tokio::spawn(connection);
    let response = sender
        .send_request(request)
        .await
        .map_err(|e| failed("HTTP request", &e))?;
    let status = response.status().as_u16();
    let (parts, body) = response.into_parts();
    let body = Limited::new(body, max_answer)
        .collect()
        .await
        .map_err(|e| failed("reading the answer", &e))?
        .to_bytes();
    drop(sender);
    driver.abort();
    Ok(Reply {
        status,
        headers: parts.headers,
        body,
    })
}
