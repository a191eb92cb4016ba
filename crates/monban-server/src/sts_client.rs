//! The HTTP side of credential source `upstream`: core's [`StsTransport`] port as one
//! HTTP/1.1 POST per call, over plain TCP (`http://`, a local MinIO or moto) or TLS
//! (`https://`, AWS STS; Mozilla's roots from webpki-roots). No connection pool: a call per
//! GetCredentialsForIdentity is rare enough, and a fresh connection never goes stale.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use axum::http::{header, Request, Uri};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use monban_core::credentials::{HttpReply, StsTransport};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_rustls::rustls::pki_types::ServerName;
use tokio_rustls::rustls::{ClientConfig, RootCertStore};
use tokio_rustls::TlsConnector;

/// The whole call (connect, TLS, request, answer) must finish within this.
const TIMEOUT: Duration = Duration::from_secs(10);
/// STS answers are a few kilobytes.
const MAX_ANSWER: usize = 256 * 1024;

/// Calls an STS-compatible endpoint over HTTP(S).
pub struct HttpStsTransport {
    /// `None` if rustls could not be set up; `https://` calls then fail, `http://` work.
    tls: Option<TlsConnector>,
}

impl Default for HttpStsTransport {
    fn default() -> Self {
        Self::new()
    }
}

impl HttpStsTransport {
    pub fn new() -> Self {
        let roots = RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        // The provider is named rather than taken from the process default: more than one
        // rustls provider is compiled into the binary.
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

    async fn post(&self, url: &str, body: &str) -> Result<HttpReply, String> {
        let uri: Uri = url
            .parse()
            .map_err(|e| format!("endpoint {url:?} is not a URL: {e}"))?;
        let https = match uri.scheme_str() {
            Some("https") => true,
            Some("http") => false,
            _ => return Err(format!("endpoint {url:?} is neither http:// nor https://")),
        };
        let host = uri
            .host()
            .ok_or_else(|| format!("endpoint {url:?} has no host"))?
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
        let request = Request::post(path)
            .header(header::HOST, authority)
            .header(
                header::CONTENT_TYPE,
                "application/x-www-form-urlencoded; charset=utf-8",
            )
            .header(header::ACCEPT, "text/xml")
            .header(header::USER_AGENT, "monban")
            .body(Full::new(Bytes::from(body.to_owned())))
            .map_err(|e| format!("cannot build the request: {e}"))?;

        let tcp = TcpStream::connect((host.as_str(), port))
            .await
            .map_err(|e| format!("cannot connect to {host}:{port}: {e}"))?;
        if https {
            let name = ServerName::try_from(host.clone())
                .map_err(|e| format!("{host:?} is not a TLS server name: {e}"))?;
            let connector = self
                .tls
                .as_ref()
                .ok_or("TLS is not available in this build")?;
            let tls = connector
                .connect(name, tcp)
                .await
                .map_err(|e| format!("TLS with {host}:{port} failed: {e}"))?;
            exchange(tls, request).await
        } else {
            exchange(tcp, request).await
        }
    }
}

async fn exchange<S>(stream: S, request: Request<Full<Bytes>>) -> Result<HttpReply, String>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| format!("HTTP handshake failed: {e}"))?;
    // Drives the connection until the answer is read; it ends with the sender.
    let driver = tokio::spawn(connection);
    let response = sender
        .send_request(request)
        .await
        .map_err(|e| format!("HTTP request failed: {e}"))?;
    let status = response.status().as_u16();
    let body = Limited::new(response.into_body(), MAX_ANSWER)
        .collect()
        .await
        .map_err(|e| format!("reading the answer failed: {e}"))?
        .to_bytes();
    drop(sender);
    driver.abort();
    Ok(HttpReply {
        status,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

#[async_trait]
impl StsTransport for HttpStsTransport {
    async fn post_form(&self, url: &str, body: &str) -> Result<HttpReply, String> {
        tokio::time::timeout(TIMEOUT, self.post(url, body))
            .await
            .map_err(|_| format!("no answer from {url} within {TIMEOUT:?}"))?
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    use super::*;

    /// A one-shot HTTP server: records the request, answers `answer`.
    async fn one_shot(answer: &'static str) -> (String, tokio::task::JoinHandle<String>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/sts/", listener.local_addr().unwrap());
        let task = tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut seen = Vec::new();
            let mut buf = [0u8; 4096];
            loop {
                let n = socket.read(&mut buf).await.unwrap();
                seen.extend_from_slice(&buf[..n]);
                let text = String::from_utf8_lossy(&seen).to_string();
                if let Some((head, body)) = text.split_once("\r\n\r\n") {
                    let len: usize = head
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase()
                                .strip_prefix("content-length: ")
                                .map(|v| v.trim().parse().unwrap())
                        })
                        .unwrap_or(0);
                    if body.len() >= len {
                        break;
                    }
                }
                if n == 0 {
                    break;
                }
            }
            socket.write_all(answer.as_bytes()).await.unwrap();
            socket.shutdown().await.unwrap();
            String::from_utf8_lossy(&seen).to_string()
        });
        (url, task)
    }

    #[tokio::test]
    async fn posts_the_form_and_returns_status_and_body() {
        let (url, server) = one_shot(
            "HTTP/1.1 403 Forbidden\r\nContent-Type: text/xml\r\nContent-Length: 9\r\n\r\n<Error/>\n",
        )
        .await;
        let reply = HttpStsTransport::new()
            .post_form(&url, "Action=AssumeRoleWithWebIdentity&X=1")
            .await
            .unwrap();
        assert_eq!(reply.status, 403);
        assert_eq!(reply.body, "<Error/>\n");
        let request = server.await.unwrap();
        assert!(request.starts_with("POST /sts/ HTTP/1.1\r\n"), "{request}");
        let lower = request.to_ascii_lowercase();
        assert!(
            lower.contains("content-type: application/x-www-form-urlencoded"),
            "{request}"
        );
        assert!(
            lower.contains(&format!(
                "host: {}",
                url.trim_start_matches("http://").trim_end_matches("/sts/")
            )),
            "{request}"
        );
        assert!(
            request.ends_with("\r\n\r\nAction=AssumeRoleWithWebIdentity&X=1"),
            "{request}"
        );
    }

    #[tokio::test]
    async fn transport_failures_are_errors() {
        let t = HttpStsTransport::new();
        assert!(t.post_form("ftp://example.com/", "").await.is_err());
        assert!(t.post_form("not a url", "").await.is_err());
        // A port nothing listens on (bound, then closed).
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let e = t
            .post_form(&format!("http://127.0.0.1:{port}/"), "")
            .await
            .unwrap_err();
        assert!(e.contains("cannot connect"), "{e}");
    }
}
