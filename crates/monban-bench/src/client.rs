//! The load generator's HTTP: one keep-alive HTTP/1.1 connection per simulated client,
//! AWS JSON 1.1 requests, and SigV4 for the admin operations (the server checks real
//! signatures, so their cost is in the figures).

use std::net::SocketAddr;

use hmac::{Hmac, Mac};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;
use monban_server::AdminKey;
use serde_json::Value;
use sha2::{Digest, Sha256};

const AMZ_JSON: &str = "application/x-amz-json-1.1";
const REGION: &str = "us-east-1";
const SERVICE: &str = "cognito-idp";

/// What every simulated client knows about the server under test.
pub struct Target {
    pub addr: SocketAddr,
    pub pool_id: String,
    pub client_id: String,
    pub admin: AdminKey,
    /// The confidential client of the client_credentials workload, and the scope it asks.
    pub m2m_client_id: String,
    pub m2m_client_secret: String,
    pub m2m_scope: String,
}

pub struct Conn {
    addr: SocketAddr,
    sender: Option<SendRequest<Full<Bytes>>>,
}

impl Conn {
    pub fn new(addr: SocketAddr) -> Self {
        Self { addr, sender: None }
    }

    /// Calls user-pool operation `op`; signed with the admin key when `signed`. `Ok` holds
    /// the JSON of a 200 answer; anything else is an error with the server's words.
    pub async fn call(
        &mut self,
        target: &Target,
        op: &str,
        body: &Value,
        signed: bool,
    ) -> Result<Value, String> {
        let body = serde_json::to_vec(body).map_err(|e| e.to_string())?;
        let host = target.addr.to_string();
        let amz_target = format!("AWSCognitoIdentityProviderService.{op}");
        let mut builder = hyper::Request::builder()
            .method("POST")
            .uri("/")
            .header("host", &host)
            .header("content-type", AMZ_JSON)
            .header("x-amz-target", &amz_target);
        if signed {
            let amz_date = amz_date(monban_core::SystemClock.now_ms());
            let authorization = sigv4(&target.admin, &host, &amz_target, &amz_date, &body);
            builder = builder
                .header("x-amz-date", &amz_date)
                .header("authorization", authorization);
        }
        let request = builder
            .body(Full::new(Bytes::from(body)))
            .map_err(|e| e.to_string())?;
        let (status, bytes) = self.send(request).await?;
        if status != 200 {
            return Err(format!(
                "{op}: HTTP {status} {}",
                String::from_utf8_lossy(&bytes[..bytes.len().min(200)])
            ));
        }
        serde_json::from_slice(&bytes).map_err(|e| format!("{op}: {e}"))
    }

    /// Sends any request (the OAuth endpoints); (status, body).
    pub async fn send(
        &mut self,
        request: hyper::Request<Full<Bytes>>,
    ) -> Result<(u16, Bytes), String> {
        let sender = match &mut self.sender {
            Some(sender) if !sender.is_closed() => sender,
            _ => self.sender.insert(connect(self.addr).await?),
        };
        // After a response the connection takes a moment to want the next request.
        let sent = match sender.ready().await {
            Ok(()) => sender.send_request(request).await,
            Err(e) => Err(e),
        };
        let response = match sent {
            Ok(response) => response,
            Err(e) => {
                self.sender = None;
                return Err(format!("transport: {e}"));
            }
        };
        let status = response.status().as_u16();
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(|e| format!("body: {e}"))?
            .to_bytes();
        Ok((status, body))
    }
}

async fn connect(addr: SocketAddr) -> Result<SendRequest<Full<Bytes>>, String> {
    let stream = tokio::net::TcpStream::connect(addr)
        .await
        .map_err(|e| format!("connect: {e}"))?;
    let _ = stream.set_nodelay(true);
    let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| format!("handshake: {e}"))?;
    tokio::spawn(conn);
    Ok(sender)
}

use monban_core::Clock as _;

/// `YYYYMMDDTHHMMSSZ`.
fn amz_date(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (y, m, d) = monban_core::calendar::civil_from_days(secs.div_euclid(86_400));
    let t = secs.rem_euclid(86_400);
    format!(
        "{y:04}{m:02}{d:02}T{:02}{:02}{:02}Z",
        t / 3600,
        t / 60 % 60,
        t % 60
    )
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    // HMAC takes keys of any length: the error branch cannot happen.
    match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(data);
            mac.finalize().into_bytes().to_vec()
        }
        Err(_) => Vec::new(),
    }
}

/// The `Authorization` header of a SigV4-signed `POST /` over exactly the headers
/// [`Conn::call`] sends.
fn sigv4(key: &AdminKey, host: &str, target: &str, amz_date: &str, body: &[u8]) -> String {
    let date = &amz_date[..8];
    let signed_headers = "content-type;host;x-amz-date;x-amz-target";
    let canonical = format!(
        "POST\n/\n\ncontent-type:{AMZ_JSON}\nhost:{host}\nx-amz-date:{amz_date}\n\
         x-amz-target:{target}\n\n{signed_headers}\n{}",
        hex::encode(Sha256::digest(body))
    );
    let scope = format!("{date}/{REGION}/{SERVICE}/aws4_request");
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        hex::encode(Sha256::digest(canonical.as_bytes()))
    );
    let k_date = hmac(
        format!("AWS4{}", key.secret_access_key).as_bytes(),
        date.as_bytes(),
    );
    let k_region = hmac(&k_date, REGION.as_bytes());
    let k_service = hmac(&k_region, SERVICE.as_bytes());
    let k_signing = hmac(&k_service, b"aws4_request");
    let signature = hex::encode(hmac(&k_signing, string_to_sign.as_bytes()));
    format!(
        "AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={signed_headers}, \
         Signature={signature}",
        key.access_key_id
    )
}
