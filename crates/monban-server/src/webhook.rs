//! Core's trigger port ([`monban_core::triggers::Triggers`]) as webhooks (DESIGN.md "Lambda
//! triggers are webhooks").
//!
//! - Target: a `LambdaConfig` value that is an `http(s)://` URL is called as is; an ARN is
//!   looked up in [`WebhookSettings::arn_urls`], else expanded with
//!   [`WebhookSettings::arn_url_template`] (`{arn}`, `{name}` = the function name, so
//!   `http://127.0.0.1:3001/2015-03-31/functions/{name}/invocations` reaches
//!   `sam local start-lambda`, which speaks the Lambda Invoke API).
//! - Request: `POST`, `Content-Type: application/json`, the event as the body, signed as
//!   [`monban_core::triggers::signing`] describes (`X-Monban-Timestamp`,
//!   `X-Monban-Signature: v1=<hex HMAC-SHA256>` with the pool's secret), and
//!   `X-Monban-Delivery`: one id per event, the same on every retry, so a receiver can
//!   drop duplicates.
//! - Answer, as the Lambda Invoke API gives it: 2xx → the body is the returned event;
//!   `X-Amz-Function-Error` (any status), or a non-2xx with a body
//!   `{"errorType", "errorMessage"}` → the function threw; any other non-2xx, a timeout or
//!   a connection failure → the function could not be invoked.
//! - Retries ([`WebhookSettings::retries`], default 0) re-send the same event only when the
//!   function could not be invoked, never after it answered, and never for the custom
//!   sender triggers: a sender that timed out may still have delivered its code, and a
//!   second delivery of the same code is what a retry must not cause.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use axum::http::{header, HeaderName, HeaderValue};
use hyper::body::Bytes;
use monban_core::auth::server_secrets::ServerSecrets;
use monban_core::store::SecretStore;
use monban_core::triggers::{signing, TriggerError, Triggers};
use monban_core::{Clock, Rng};
use serde_json::Value;

use crate::outbound_http::{OutboundHttp, PostError, Reply};

/// Lambda's limit on a synchronous answer.
const MAX_ANSWER: usize = 6 * 1024 * 1024;
/// The header by which the Lambda Invoke API says the function threw.
const FUNCTION_ERROR: &str = "x-amz-function-error";
const DELIVERY_HEADER: &str = "x-monban-delivery";

#[derive(Debug, Clone)]
pub struct WebhookSettings {
    /// How long one call may take (Cognito: 5 s).
    pub timeout: Duration,
    /// Extra attempts after a call that reached no function (custom senders: never).
    pub retries: u32,
    /// Lambda ARN → URL.
    pub arn_urls: HashMap<String, String>,
    /// URL for ARNs not in `arn_urls`, with `{arn}` and `{name}` replaced.
    pub arn_url_template: Option<String>,
}

impl Default for WebhookSettings {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(5),
            retries: 0,
            arn_urls: HashMap::new(),
            arn_url_template: None,
        }
    }
}

pub struct WebhookTriggers {
    http: OutboundHttp,
    settings: WebhookSettings,
    store: Arc<dyn SecretStore>,
    clock: Arc<dyn Clock>,
    rng: Arc<dyn Rng>,
    /// The same cache as `Cx::secrets`.
    secrets: Arc<ServerSecrets>,
}

impl WebhookTriggers {
    pub fn new(
        settings: WebhookSettings,
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

    /// The URL to call for a `LambdaConfig` value.
    fn url(&self, target: &str) -> Option<String> {
        if target.starts_with("http://") || target.starts_with("https://") {
            return Some(target.to_owned());
        }
        if let Some(url) = self.settings.arn_urls.get(target) {
            return Some(url.clone());
        }
        let template = self.settings.arn_url_template.as_ref()?;
        Some(
            template
                .replace("{arn}", target)
                .replace("{name}", function_name(target)),
        )
    }

    async fn signed_headers(
        &self,
        pool_id: &str,
        body: &[u8],
    ) -> Result<Vec<(HeaderName, HeaderValue)>, TriggerError> {
        let secret = signing::signing_secret_from(
            &self.secrets,
            self.store.as_ref(),
            self.rng.as_ref(),
            pool_id,
        )
        .await
        .map_err(|e| {
            tracing::error!(pool = pool_id, error = ?e, "cannot read the trigger signing secret");
            TriggerError::Unreachable("InternalError".into())
        })?;
        let timestamp = self.clock.now_ms().div_euclid(1000);
        let signature = signing::signature(&secret, timestamp, body);
        let value = |s: String| {
            HeaderValue::try_from(s).map_err(|_| TriggerError::Unreachable("InternalError".into()))
        };
        Ok(vec![
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (
                HeaderName::from_static(signing::TIMESTAMP_HEADER),
                value(timestamp.to_string())?,
            ),
            (
                HeaderName::from_static(signing::SIGNATURE_HEADER),
                value(signature)?,
            ),
            (
                HeaderName::from_static(DELIVERY_HEADER),
                value(uuid::Uuid::new_v4().to_string())?,
            ),
        ])
    }
}

#[async_trait]
impl Triggers for WebhookTriggers {
    async fn invoke(
        &self,
        target: &str,
        pool_id: &str,
        event: Value,
    ) -> Result<Value, TriggerError> {
        let Some(url) = self.url(target) else {
            tracing::warn!(
                pool = pool_id,
                target,
                "trigger target is neither a URL nor a configured ARN ([triggers] arn_urls)"
            );
            return Err(TriggerError::Unreachable(
                "ResourceNotFoundException".into(),
            ));
        };
        let body = Bytes::from(
            serde_json::to_vec(&event)
                .map_err(|_| TriggerError::Unreachable("InternalError".into()))?,
        );
        let headers = self.signed_headers(pool_id, &body).await?;
        let attempts = if is_sender(&event) {
            1
        } else {
            self.settings.retries.saturating_add(1)
        };
        let mut last = TriggerError::Unreachable("InternalError".into());
        for attempt in 1..=attempts {
            let call = self
                .http
                .post(&url, headers.clone(), body.clone(), MAX_ANSWER);
            let outcome = match tokio::time::timeout(self.settings.timeout, call).await {
                Err(_) => Attempt::Failed(
                    "no answer in time".into(),
                    "Socket timeout while invoking Lambda function",
                ),
                Ok(Err(PostError::BadUrl(why))) => {
                    tracing::warn!(pool = pool_id, target, "trigger URL unusable: {why}");
                    return Err(TriggerError::Unreachable(
                        "ResourceNotFoundException".into(),
                    ));
                }
                Ok(Err(PostError::Connection(why))) => {
                    Attempt::Failed(why, "Connection failure while invoking Lambda function")
                }
                Ok(Ok(reply)) => classify(reply),
            };
            match outcome {
                Attempt::Answered(result) => return result,
                Attempt::Failed(detail, shown) => {
                    tracing::warn!(
                        pool = pool_id,
                        target,
                        attempt,
                        "trigger call failed: {detail}"
                    );
                    last = TriggerError::Unreachable(shown.into());
                }
            }
        }
        Err(last)
    }
}

enum Attempt {
    /// The function ran: its event, or its error.
    Answered(Result<Value, TriggerError>),
    /// No function answered: detail for the log, reason shown to the caller.
    Failed(String, &'static str),
}

fn classify(reply: Reply) -> Attempt {
    let success = (200..300).contains(&reply.status);
    let flagged = reply.headers.contains_key(FUNCTION_ERROR);
    if success && !flagged {
        return Attempt::Answered(
            serde_json::from_slice(&reply.body)
                .map_err(|e| TriggerError::InvalidResponse(format!("the answer is not JSON: {e}"))),
        );
    }
    match function_error(&reply.body) {
        Some(error) => Attempt::Answered(Err(error)),
        // Lambda's own text for a function that failed without saying why.
        None if flagged => Attempt::Answered(Err(TriggerError::Function {
            error_type: "Unhandled".into(),
            error_message: String::from_utf8_lossy(&reply.body).trim().to_owned(),
        })),
        None => Attempt::Failed(
            format!("HTTP status {}", reply.status),
            "Connection failure while invoking Lambda function",
        ),
    }
}

/// `{"errorType": …, "errorMessage": …}`, as the Lambda Invoke API reports a function error.
fn function_error(body: &[u8]) -> Option<TriggerError> {
    let value: Value = serde_json::from_slice(body).ok()?;
    let message = value.get("errorMessage")?.as_str()?.to_owned();
    let error_type = value
        .get("errorType")
        .and_then(Value::as_str)
        .unwrap_or("Error")
        .to_owned();
    Some(TriggerError::Function {
        error_type,
        error_message: message,
    })
}

fn is_sender(event: &Value) -> bool {
    event
        .get("triggerSource")
        .and_then(Value::as_str)
        .is_some_and(|s| s.starts_with("CustomEmailSender_") || s.starts_with("CustomSMSSender_"))
}

/// `my-fn` of `arn:aws:lambda:us-east-1:123456789012:function:my-fn[:alias]`.
fn function_name(arn: &str) -> &str {
    let mut parts = arn.split(':');
    let name = parts.find(|p| *p == "function").and_then(|_| parts.next());
    name.unwrap_or(arn)
}

#[cfg(test)]
mod tests;
