#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::post;
use axum::Router;
use monban_core::store::StoreResult;
use monban_core::SystemRng;
use serde_json::json;

use super::*;

#[derive(Default)]
struct MemorySecrets(Mutex<HashMap<String, Vec<u8>>>);

#[async_trait]
impl SecretStore for MemorySecrets {
    async fn get_or_insert_secret(&self, name: &str, candidate: &[u8]) -> StoreResult<Vec<u8>> {
        let mut map = self.0.lock().unwrap();
        Ok(map
            .entry(name.to_owned())
            .or_insert_with(|| candidate.to_vec())
            .clone())
    }
}

struct FixedClock;

impl Clock for FixedClock {
    fn now_ms(&self) -> i64 {
        1_700_000_000_123
    }
}

fn adapter(settings: WebhookSettings) -> (WebhookTriggers, Arc<MemorySecrets>) {
    let store = Arc::new(MemorySecrets::default());
    let triggers = WebhookTriggers::new(
        settings,
        store.clone(),
        Arc::new(FixedClock),
        Arc::new(SystemRng),
        Arc::default(),
    );
    (triggers, store)
}

/// Serves `router` on a free port; returns its base URL.
async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    format!("http://{addr}")
}

fn event(source: &str) -> Value {
    json!({"version": "1", "triggerSource": source, "userPoolId": "us-east-1_abc",
           "request": {}, "response": {}})
}

#[test]
fn urls_pass_through_and_arns_are_mapped() {
    let (t, _) = adapter(WebhookSettings {
        arn_urls: HashMap::from([(
            "arn:aws:lambda:us-east-1:123456789012:function:pre".to_owned(),
            "http://hooks.local/pre".to_owned(),
        )]),
        arn_url_template: Some(
            "http://127.0.0.1:3001/2015-03-31/functions/{name}/invocations".into(),
        ),
        ..WebhookSettings::default()
    });
    assert_eq!(
        t.url("https://x.example/h").as_deref(),
        Some("https://x.example/h")
    );
    assert_eq!(
        t.url("arn:aws:lambda:us-east-1:123456789012:function:pre")
            .as_deref(),
        Some("http://hooks.local/pre")
    );
    assert_eq!(
        t.url("arn:aws:lambda:us-east-1:123456789012:function:other:live")
            .as_deref(),
        Some("http://127.0.0.1:3001/2015-03-31/functions/other/invocations")
    );
    let (bare, _) = adapter(WebhookSettings::default());
    assert_eq!(
        bare.url("arn:aws:lambda:us-east-1:123456789012:function:pre"),
        None
    );
}

#[tokio::test]
async fn posts_the_signed_event_and_returns_the_answer() {
    type Seen = Option<(HeaderMap, Vec<u8>)>;
    let seen: Arc<Mutex<Seen>> = Arc::default();
    let record = seen.clone();
    let base = serve(Router::new().route(
        "/hook",
        post(move |headers: HeaderMap, body: Bytes| async move {
            let mut answer: Value = serde_json::from_slice(&body).unwrap();
            answer["response"]["autoConfirmUser"] = json!(true);
            *record.lock().unwrap() = Some((headers, body.to_vec()));
            axum::Json(answer)
        }),
    ))
    .await;
    let (t, _) = adapter(WebhookSettings::default());
    let answer = t
        .invoke(
            &format!("{base}/hook"),
            "us-east-1_abc",
            event("PreSignUp_SignUp"),
        )
        .await
        .unwrap();
    assert_eq!(answer["response"]["autoConfirmUser"], json!(true));
    assert_eq!(answer["triggerSource"], "PreSignUp_SignUp");

    let (headers, body) = seen.lock().unwrap().take().unwrap();
    assert_eq!(headers["content-type"], "application/json");
    assert_eq!(headers["x-monban-timestamp"], "1700000000");
    // Verified the way a receiver would, from the secret an admin reads.
    let secret =
        signing::signing_secret_from(&t.secrets, t.store.as_ref(), &SystemRng, "us-east-1_abc")
            .await
            .unwrap();
    assert_eq!(secret.len(), 64);
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(b"1700000000.");
    mac.update(&body);
    let expected = format!("v1={}", hex::encode(mac.finalize().into_bytes()));
    assert_eq!(headers["x-monban-signature"], expected.as_str());
    assert!(headers.contains_key("x-monban-delivery"));
}

#[tokio::test]
async fn function_errors_come_back_as_lambda_reports_them() {
    let base = serve(
        Router::new()
            .route(
                "/flagged",
                post(|| async {
                    (
                        [("x-amz-function-error", "Unhandled")],
                        axum::Json(json!({"errorType": "Error", "errorMessage": "no bots"})),
                    )
                }),
            )
            .route(
                "/status",
                post(|| async {
                    (
                        StatusCode::BAD_REQUEST,
                        axum::Json(json!({"errorType": "Denied", "errorMessage": "go away"})),
                    )
                }),
            )
            .route(
                "/bare502",
                post(|| async { (StatusCode::BAD_GATEWAY, "upstream").into_response() }),
            )
            .route("/notjson", post(|| async { "hello" })),
    )
    .await;
    let (t, _) = adapter(WebhookSettings::default());
    let call = |path: &str| {
        let url = format!("{base}{path}");
        let t = &t;
        async move {
            t.invoke(&url, "us-east-1_abc", event("PreSignUp_SignUp"))
                .await
        }
    };
    assert_eq!(
        call("/flagged").await.unwrap_err(),
        TriggerError::Function {
            error_type: "Error".into(),
            error_message: "no bots".into()
        }
    );
    assert_eq!(
        call("/status").await.unwrap_err(),
        TriggerError::Function {
            error_type: "Denied".into(),
            error_message: "go away".into()
        }
    );
    assert!(matches!(
        call("/bare502").await.unwrap_err(),
        TriggerError::Unreachable(_)
    ));
    assert!(matches!(
        call("/notjson").await.unwrap_err(),
        TriggerError::InvalidResponse(_)
    ));
}

#[tokio::test]
async fn timeouts_are_retried_except_for_senders() {
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    let base = serve(Router::new().route(
        "/slow",
        post(move || {
            counter.fetch_add(1, Ordering::SeqCst);
            async {
                tokio::time::sleep(Duration::from_secs(5)).await;
                "{}"
            }
        }),
    ))
    .await;
    let (t, _) = adapter(WebhookSettings {
        timeout: Duration::from_millis(200),
        retries: 2,
        ..WebhookSettings::default()
    });
    let url = format!("{base}/slow");
    let err = t
        .invoke(&url, "us-east-1_abc", event("CustomMessage_SignUp"))
        .await
        .unwrap_err();
    assert_eq!(
        err,
        TriggerError::Unreachable("Socket timeout while invoking Lambda function".into())
    );
    assert_eq!(hits.swap(0, Ordering::SeqCst), 3);

    t.invoke(&url, "us-east-1_abc", event("CustomEmailSender_SignUp"))
        .await
        .unwrap_err();
    assert_eq!(
        hits.load(Ordering::SeqCst),
        1,
        "a sender is never sent twice"
    );
}

#[tokio::test]
async fn an_unmapped_arn_or_a_closed_port_is_unreachable() {
    let (t, _) = adapter(WebhookSettings::default());
    let err = t
        .invoke(
            "arn:aws:lambda:us-east-1:123456789012:function:x",
            "p",
            event("PreSignUp_SignUp"),
        )
        .await
        .unwrap_err();
    assert_eq!(
        err,
        TriggerError::Unreachable("ResourceNotFoundException".into())
    );
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed = format!("http://{}/hook", listener.local_addr().unwrap());
    drop(listener);
    let err = t
        .invoke(&closed, "p", event("PreSignUp_SignUp"))
        .await
        .unwrap_err();
    assert_eq!(
        err,
        TriggerError::Unreachable("Connection failure while invoking Lambda function".into())
    );
}
