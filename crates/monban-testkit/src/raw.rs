//! Raw HTTP for protocol-level tests: requests the SDK would never send (no signature, an
//! old `X-Amz-Date`, broken JSON, an unknown target), over a plain HTTP/1.1 connection.

use std::net::SocketAddr;
use std::time::SystemTime;

use aws_sdk_cognitoidentityprovider::config::Credentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;

/// `X-Amz-Target` prefix of user-pool operations.
pub const IDP_TARGET_PREFIX: &str = "AWSCognitoIdentityProviderService";
pub const AMZ_JSON: &str = "application/x-amz-json-1.1";
pub const REGION: &str = "us-east-1";
pub const SIGNING_NAME: &str = "cognito-idp";

/// An access key as the SDK and the signer take it.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessKey {
    pub access_key_id: String,
    pub secret_access_key: String,
}

impl std::fmt::Debug for AccessKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccessKey")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"<redacted>")
            .finish()
    }
}

impl AccessKey {
    pub fn credentials(&self) -> Credentials {
        Credentials::new(
            &self.access_key_id,
            &self.secret_access_key,
            None,
            None,
            "monban-testkit",
        )
    }
}

#[derive(Debug, Clone)]
pub struct RawRequest {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RawRequest {
    /// A request with no headers at all (the sender adds `Host`).
    pub fn new(method: &str, path: &str) -> Self {
        Self {
            method: method.to_owned(),
            path: path.to_owned(),
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// `POST /` to user-pool operation `op` with `body`, unsigned, as an SDK would send it.
    pub fn idp(op: &str, body: impl Into<Vec<u8>>) -> Self {
        Self::new("POST", "/")
            .header("content-type", AMZ_JSON)
            .header("x-amz-target", &format!("{IDP_TARGET_PREFIX}.{op}"))
            .body(body)
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Replaces every header called `name` (case-insensitively) by one with `value`.
    pub fn set_header(mut self, name: &str, value: &str) -> Self {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.header(name, value)
    }

    pub fn without_header(mut self, name: &str) -> Self {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self
    }

    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    pub fn header_value(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Signs with SigV4 (`cognito-idp`, `us-east-1`) as of `time`, for a server at
    /// `authority` (`127.0.0.1:port`): adds `Host` if absent, `X-Amz-Date` and
    /// `Authorization`, replacing any earlier signature.
    pub fn signed(mut self, authority: &str, key: &AccessKey, time: SystemTime) -> Self {
        if self.header_value("host").is_none() {
            self = self.header("host", authority);
        }
        self = self
            .without_header("authorization")
            .without_header("x-amz-date");
        let identity = key.credentials().into();
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region(REGION)
            .name(SIGNING_NAME)
            .time(time)
            .settings(SigningSettings::default())
            .build()
            .expect("SigV4 parameters")
            .into();
        let uri = format!("http://{authority}{}", self.path);
        let signable = SignableRequest::new(
            &self.method,
            uri,
            self.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())),
            SignableBody::Bytes(&self.body),
        )
        .expect("signable request");
        let (instructions, _signature) = sign(signable, &params)
            .expect("SigV4 signature")
            .into_parts();
        let added: Vec<(String, String)> = instructions
            .headers()
            .map(|(n, v)| (n.to_owned(), v.to_owned()))
            .collect();
        self.headers.extend(added);
        self
    }
}

#[derive(Debug, Clone)]
pub struct RawResponse {
    pub status: u16,
    /// Names in lower case, in the order received.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RawResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as JSON; `Null` if it is not JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }

    /// The error name from `__type`, without any `namespace#` prefix.
    pub fn error_type(&self) -> Option<String> {
        let json = self.json();
        let t = json.get("__type")?.as_str()?;
        Some(t.rsplit('#').next().unwrap_or(t).to_owned())
    }

    /// The error message (`message`, or `Message` as some AWS errors spell it).
    pub fn message(&self) -> Option<String> {
        let json = self.json();
        json.get("message")
            .or_else(|| json.get("Message"))
            .and_then(|m| m.as_str())
            .map(str::to_owned)
    }
}

/// Sends `req` over a fresh HTTP/1.1 connection to `addr`.
pub async fn send(addr: SocketAddr, req: RawRequest) -> RawResponse {
    let stream = tokio::net::TcpStream::connect(addr)
        .await
        .expect("connect to the test server");
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .expect("HTTP/1.1 handshake");
    let driver = tokio::spawn(conn);
    let mut builder = hyper::Request::builder()
        .method(req.method.as_str())
        .uri(req.path.as_str());
    if req.header_value("host").is_none() {
        builder = builder.header("host", addr.to_string());
    }
    for (name, value) in &req.headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    let request = builder
        .body(Full::new(Bytes::from(req.body)))
        .expect("well-formed request");
    let response = sender
        .send_request(request)
        .await
        .expect("response from the test server");
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let body = response
        .into_body()
        .collect()
        .await
        .expect("response body")
        .to_bytes()
        .to_vec();
    driver.abort();
    RawResponse {
        status,
        headers,
        body,
    }
}
