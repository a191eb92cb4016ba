//! The application's side of the triggers: a webhook receiver on 127.0.0.1 that records
//! every event it gets and answers as the test's program says — the returned event with
//! `response` filled in, or "the function threw" as the Lambda Invoke API signals it
//! (`X-Amz-Function-Error` and `{"errorType", "errorMessage"}`).
//!
//! Each trigger gets its own path (`/PreAuthentication`, ...), so the program (and the
//! assertions) know which `LambdaConfig` entry was called.

use std::sync::{Arc, Mutex};

use axum::extract::{Path, State};
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
}

type Program = Arc<dyn Fn(&str, &Value) -> Reply + Send + Sync>;

#[derive(Clone)]
struct Shared {
    events: Arc<Mutex<Vec<(String, Value)>>>,
    program: Program,
}

pub struct Receiver {
    base: String,
    events: Arc<Mutex<Vec<(String, Value)>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Receiver {
    /// Starts a receiver answering with `program(trigger, event)`.
    pub async fn start(program: impl Fn(&str, &Value) -> Reply + Send + Sync + 'static) -> Self {
        let events = Arc::new(Mutex::new(Vec::new()));
        let shared = Shared {
            events: events.clone(),
            program: Arc::new(program),
        };
        let router = Router::new()
            .route("/{trigger}", post(handle))
            .with_state(shared);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the receiver");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Receiver { base, events, task }
    }

    /// The `LambdaConfig` value for `trigger`.
    pub fn url(&self, trigger: &str) -> String {
        format!("{}/{trigger}", self.base)
    }

    /// Every event received so far, with the trigger it was sent to, oldest first.
    pub fn events(&self) -> Vec<(String, Value)> {
        self.events.lock().expect("events").clone()
    }

    /// The events received since the last call (and forgets them).
    pub fn take(&self) -> Vec<(String, Value)> {
        std::mem::take(&mut *self.events.lock().expect("events"))
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
    Json(event): Json<Value>,
) -> Response {
    shared
        .events
        .lock()
        .expect("events")
        .push((trigger.clone(), event.clone()));
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
    }
}
