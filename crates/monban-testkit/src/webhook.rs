//! [`Receiver`]: the application's side of monban's Lambda triggers in a test — a webhook
//! server on 127.0.0.1 that records every call exactly (trigger path, event, headers, raw
//! body) and answers as the test's program says: the event with `response` filled in, "the
//! function threw" as the Lambda Invoke API signals it (`X-Amz-Function-Error` with
//! `{"errorType", "errorMessage"}`), any raw answer, or an answer too late.
//!
//! Each trigger gets its own path (`{url}/PreSignUp`, ...), so the program and the
//! assertions know which `LambdaConfig` entry was called.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};

/// What the function does with an event.
pub enum Reply {
    /// Returns the event with this `response`.
    Respond(Value),
    /// Throws an error with this message.
    Throw(String),
    /// Answers this status and body as they are.
    Raw(u16, String),
    /// Answers (the event unchanged) only after this long.
    Late(Duration),
}

/// One call the receiver got.
#[derive(Debug, Clone)]
pub struct Call {
    /// The path it was sent to: the trigger name the test gave [`Receiver::url`].
    pub trigger: String,
    pub event: Value,
    /// Lower-case header names.
    pub headers: BTreeMap<String, String>,
    /// The body exactly as received (what the signature covers).
    pub body: Vec<u8>,
}

type Program = Arc<dyn Fn(&str, &Value) -> Reply + Send + Sync>;

#[derive(Clone)]
struct Shared {
    calls: Arc<Mutex<Vec<Call>>>,
    program: Program,
}

pub struct Receiver {
    base: String,
    calls: Arc<Mutex<Vec<Call>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Receiver {
    /// Starts a receiver answering every call with `program(trigger, event)`.
    pub async fn start(program: impl Fn(&str, &Value) -> Reply + Send + Sync + 'static) -> Self {
        let calls = Arc::new(Mutex::new(Vec::new()));
        let shared = Shared {
            calls: calls.clone(),
            program: Arc::new(program),
        };
        let router = Router::new()
            .route("/{trigger}", post(handle))
            .with_state(shared);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the webhook receiver");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Receiver { base, calls, task }
    }

    /// A receiver whose functions all return the event unchanged.
    pub async fn accepting() -> Self {
        Self::start(|_, _| Reply::Respond(json!({}))).await
    }

    /// The `LambdaConfig` value for `trigger`.
    pub fn url(&self, trigger: &str) -> String {
        format!("{}/{trigger}", self.base)
    }

    /// Every call so far, oldest first.
    pub fn calls(&self) -> Vec<Call> {
        self.calls.lock().expect("calls").clone()
    }

    /// The calls since the last `take` (and forgets them).
    pub fn take(&self) -> Vec<Call> {
        std::mem::take(&mut *self.calls.lock().expect("calls"))
    }

    /// Waits (up to 5 s) until at least `n` calls are recorded, then takes them all: for
    /// triggers monban does not wait for (the custom senders).
    pub async fn wait_for(&self, n: usize) -> Vec<Call> {
        for _ in 0..500 {
            if self.calls.lock().expect("calls").len() >= n {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        self.take()
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn handle(
    State(shared): State<Shared>,
    Path(trigger): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let event: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let headers = headers
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_owned(),
                v.to_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    shared.calls.lock().expect("calls").push(Call {
        trigger: trigger.clone(),
        event: event.clone(),
        headers,
        body: body.to_vec(),
    });
    match (shared.program)(&trigger, &event) {
        Reply::Respond(response) => {
            let mut answer = event;
            answer["response"] = response;
            Json(answer).into_response()
        }
        Reply::Throw(message) => (
            [("X-Amz-Function-Error", "Unhandled")],
            Json(json!({"errorType": "Error", "errorMessage": message})),
        )
            .into_response(),
        Reply::Raw(status, body) => (
            StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            body,
        )
            .into_response(),
        Reply::Late(wait) => {
            tokio::time::sleep(wait).await;
            Json(event).into_response()
        }
    }
}
