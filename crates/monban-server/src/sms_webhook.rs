//! Core's SMS port ([`monban_core::sms::SmsSender`]) as a webhook: each message is POSTed as
//! JSON `{"poolId", "phoneNumber", "message"}` to one configured URL, which hands it to an
//! SMS provider. Signed as the trigger webhooks are (`X-Monban-Timestamp`,
//! `X-Monban-Signature: v1=<hex HMAC-SHA256>` with the pool's trigger signing secret; see
//! [`monban_core::triggers::signing`]), so a receiver can tell it from a forgery: the
//! message carries a sign-in code. Any 2xx is delivery; anything else, a timeout or a
//! connection failure is a failed delivery (`CodeDeliveryFailureException`), and nothing
//! is retried, so one code is never texted twice.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use axum::http::{header, HeaderName, HeaderValue};
use hyper::body::Bytes;
use monban_core::auth::server_secrets::ServerSecrets;
use monban_core::sms::{Sms, SmsSender};
use monban_core::store::SecretStore;
use monban_core::triggers::signing;
use monban_core::{Clock, Error, Rng};

use crate::outbound_http::OutboundHttp;

/// The receiver's answer is not read beyond this.
const MAX_ANSWER: usize = 64 * 1024;

#[derive(Debug, Clone)]
pub struct SmsWebhookSettings {
    pub url: String,
    /// How long one delivery may take.
    pub timeout: Duration,
}

pub struct WebhookSms {
    http: OutboundHttp,
    settings: SmsWebhookSettings,
    store: Arc<dyn SecretStore>,
    clock: Arc<dyn Clock>,
    rng: Arc<dyn Rng>,
    /// The same cache as `Cx::secrets`.
    secrets: Arc<ServerSecrets>,
}

impl WebhookSms {
    pub fn new(
        settings: SmsWebhookSettings,
        store: Arc<dyn SecretStore>,
        clock: Arc<dyn Clock>,
        rng: Arc<dyn Rng>,
        secrets: Arc<ServerSecrets>,
    ) -> Self {
        Self {
            http: OutboundHttp::new(),
            settings,
            store,
            clock,
            rng,
            secrets,
        }
    }

    async fn headers(
        &self,
        sms: &Sms,
        body: &[u8],
    ) -> Result<Vec<(HeaderName, HeaderValue)>, Error> {
        let mut headers = vec![(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )];
        let Some(pool_id) = sms.pool_id.as_deref() else {
            return Ok(headers);
        };
        let secret = signing::signing_secret_from(
            &self.secrets,
            self.store.as_ref(),
            self.rng.as_ref(),
            pool_id,
        )
        .await?;
        let timestamp = self.clock.now_ms().div_euclid(1000);
        let signature = signing::signature(&secret, timestamp, body);
        let value = |s: String| HeaderValue::try_from(s).map_err(Error::internal);
        headers.push((
            HeaderName::from_static(signing::TIMESTAMP_HEADER),
            value(timestamp.to_string())?,
        ));
        headers.push((
            HeaderName::from_static(signing::SIGNATURE_HEADER),
            value(signature)?,
        ));
        Ok(headers)
    }
}

/// The JSON body of one message.
fn body(sms: &Sms) -> Result<Bytes, Error> {
    let json = serde_json::json!({
        "poolId": sms.pool_id,
        "phoneNumber": sms.to,
        "message": sms.body,
    });
    serde_json::to_vec(&json)
        .map(Bytes::from)
        .map_err(Error::internal)
}

#[async_trait]
impl SmsSender for WebhookSms {
    async fn send(&self, sms: Sms) -> Result<(), Error> {
        let body = body(&sms)?;
        let headers = self.headers(&sms, &body).await?;
        let call = self
            .http
            .post(&self.settings.url, headers, body, MAX_ANSWER);
        // The message (it holds a code) is never logged; the pool and the failure are.
        let failed = |why: String| {
            tracing::warn!(pool = ?sms.pool_id, "SMS webhook delivery failed: {why}");
            Error::internal(format!("SMS webhook delivery failed: {why}"))
        };
        match tokio::time::timeout(self.settings.timeout, call).await {
            Err(_) => Err(failed("no answer in time".to_owned())),
            Ok(Err(e)) => Err(failed(format!("{e:?}"))),
            Ok(Ok(reply)) if (200..300).contains(&reply.status) => Ok(()),
            Ok(Ok(reply)) => Err(failed(format!("HTTP status {}", reply.status))),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use std::sync::Mutex;

    use axum::http::{HeaderMap, StatusCode};
    use axum::routing::post;
    use axum::Router;
    use monban_core::store::StoreResult;
    use monban_core::SystemRng;

    use super::*;

    /// The one secret a pool's signature needs.
    struct Secrets;

    #[async_trait]
    impl SecretStore for Secrets {
        async fn get_or_insert_secret(&self, _: &str, candidate: &[u8]) -> StoreResult<Vec<u8>> {
            Ok(candidate.to_vec())
        }
    }

    struct At(i64);

    impl Clock for At {
        fn now_ms(&self) -> i64 {
            self.0
        }
    }

    fn sms() -> Sms {
        Sms {
            pool_id: Some("us-east-1_AbC".to_owned()),
            to: "+15555550100".to_owned(),
            body: "Your code is 123456".to_owned(),
        }
    }

    #[test]
    fn the_body_names_pool_number_and_message() {
        let json: serde_json::Value = serde_json::from_slice(&body(&sms()).unwrap()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "poolId": "us-east-1_AbC",
                "phoneNumber": "+15555550100",
                "message": "Your code is 123456",
            })
        );
    }

    type Received = Arc<Mutex<Vec<(HeaderMap, Vec<u8>)>>>;

    /// A receiver answering `status`, keeping what it got; returns its URL.
    async fn receiver(status: StatusCode, received: Received) -> String {
        let app = Router::new().route(
            "/sms",
            post(move |headers: HeaderMap, body: axum::body::Bytes| {
                let received = received.clone();
                async move {
                    received.lock().unwrap().push((headers, body.to_vec()));
                    status
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        format!("http://{addr}/sms")
    }

    fn sender(url: String, secrets: Arc<ServerSecrets>) -> WebhookSms {
        WebhookSms::new(
            SmsWebhookSettings {
                url,
                timeout: Duration::from_secs(5),
            },
            Arc::new(Secrets),
            Arc::new(At(1_700_000_000_000)),
            Arc::new(SystemRng),
            secrets,
        )
    }

    #[tokio::test]
    async fn delivers_signed_json_and_reports_refusals() {
        let received: Received = Arc::default();
        let secrets: Arc<ServerSecrets> = Arc::default();
        let url = receiver(StatusCode::OK, received.clone()).await;
        sender(url, secrets.clone()).send(sms()).await.unwrap();
        let (headers, body) = received.lock().unwrap().pop().expect("one request");
        let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(json["phoneNumber"], "+15555550100");
        assert_eq!(headers[signing::TIMESTAMP_HEADER], "1700000000");
        let secret = signing::signing_secret_from(&secrets, &Secrets, &SystemRng, "us-east-1_AbC")
            .await
            .unwrap();
        assert_eq!(
            headers[signing::SIGNATURE_HEADER].to_str().unwrap(),
            signing::signature(&secret, 1_700_000_000, &body)
        );

        let refused = receiver(StatusCode::BAD_GATEWAY, Arc::default()).await;
        assert!(sender(refused, Arc::default()).send(sms()).await.is_err());
        let nobody = "http://127.0.0.1:9/sms".to_owned();
        assert!(sender(nobody, Arc::default()).send(sms()).await.is_err());
    }
}
