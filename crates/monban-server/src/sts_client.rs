//! The HTTP side of credential source `upstream`: core's [`StsTransport`] port as one
//! form POST per call through [`OutboundHttp`] (plain TCP for a local MinIO or moto, TLS for
//! AWS STS). A fresh connection per call: a call per GetCredentialsForIdentity is rare
//! enough, and a fresh connection never goes stale.

use std::time::Duration;

use async_trait::async_trait;
use axum::http::{header, HeaderValue};
use hyper::body::Bytes;
use monban_core::credentials::{HttpReply, StsTransport};

use crate::outbound_http::{OutboundHttp, PostError};

/// The whole call (connect, TLS, request, answer) must finish within this.
const TIMEOUT: Duration = Duration::from_secs(10);
/// STS answers are a few kilobytes.
const MAX_ANSWER: usize = 256 * 1024;

/// Calls an STS-compatible endpoint over HTTP(S).
#[derive(Default)]
pub struct HttpStsTransport {
    http: OutboundHttp,
}

impl HttpStsTransport {
    pub fn new() -> Self {
        Self::default()
    }
}

#[async_trait]
impl StsTransport for HttpStsTransport {
    async fn post_form(&self, url: &str, body: &str) -> Result<HttpReply, String> {
        let headers = vec![
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/x-www-form-urlencoded; charset=utf-8"),
            ),
            (header::ACCEPT, HeaderValue::from_static("text/xml")),
        ];
        let call = self
            .http
            .post(url, headers, Bytes::from(body.to_owned()), MAX_ANSWER);
        let reply = tokio::time::timeout(TIMEOUT, call)
            .await
            .map_err(|_| format!("no answer from {url} within {TIMEOUT:?}"))?
            .map_err(|e| match e {
                PostError::BadUrl(why) => format!("endpoint {why}"),
                PostError::Connection(why) => why,
            })?;
        Ok(HttpReply {
            status: reply.status,
            body: String::from_utf8_lossy(&reply.body).into_owned(),
        })
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
