//! The test-support API under `/_monban/`, mounted only in development mode (`--dev`):
//! JSON in, JSON out, no authentication (development mode already lets anyone in).
//!
//! - `POST /_monban/reset`: an empty server again.
//! - `GET /_monban/messages?recipient=&pool_id=&channel=`: the messages sent, with codes.
//! - `GET /_monban/clock`, `POST /_monban/clock` `{"offset_ms": N}` or `{"advance_ms": N}`.
//!
//! Without `--dev` every `/_monban/` path answers 404 with a message saying why.

mod clock;
mod code;
mod messages;
mod reset;

use std::sync::Arc;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::Router;
use monban_core::dev::{OffsetClock, SeededRng};
use monban_core::Error;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::app::App;

/// What the test-support API steers besides the store: the clock `Cx` reads (so its offset
/// can be set) and, when ids are seeded, the generator `Cx` draws from (restarted on reset).
#[derive(Clone)]
pub struct DevControls {
    pub clock: Arc<OffsetClock>,
    pub rng: Option<Arc<SeededRng>>,
}

pub(crate) struct DevState {
    pub app: Arc<App>,
    pub controls: DevControls,
}

const ENDPOINTS: [&str; 4] = [
    "POST /_monban/reset",
    "GET /_monban/messages",
    "GET /_monban/clock",
    "POST /_monban/clock",
];

/// The routes of development mode.
pub(crate) fn routes<S: Clone + Send + Sync + 'static>(
    app: Arc<App>,
    controls: DevControls,
) -> Router<S> {
    Router::new()
        .route("/_monban/reset", post(reset::reset))
        .route("/_monban/messages", get(messages::list))
        .route("/_monban/clock", get(clock::get).post(clock::set))
        .route("/_monban", any(unknown))
        .route("/_monban/", any(unknown))
        .route("/_monban/{*rest}", any(unknown))
        .with_state(Arc::new(DevState { app, controls }))
}

/// Outside development mode: the paths exist only to say that they do not.
pub(crate) fn refused<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route("/_monban", any(not_in_dev_mode))
        .route("/_monban/", any(not_in_dev_mode))
        .route("/_monban/{*rest}", any(not_in_dev_mode))
}

async fn not_in_dev_mode() -> Response {
    json(
        StatusCode::NOT_FOUND,
        &serde_json::json!({
            "__type": "ResourceNotFoundException",
            "message": "The test-support API (/_monban/) exists only in development mode: \
                        start the server with --dev.",
        }),
    )
}

async fn unknown() -> Response {
    json(
        StatusCode::NOT_FOUND,
        &serde_json::json!({
            "__type": "ResourceNotFoundException",
            "message": format!("No such test-support endpoint. There are: {}.", ENDPOINTS.join(", ")),
        }),
    )
}

/// A JSON request body; an empty body reads as `{}`.
fn parse_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, Error> {
    let body: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        body
    };
    serde_json::from_slice(body)
        .map_err(|e| Error::invalid_parameter(format!("The request body is not valid: {e}")))
}

fn json_ok<T: Serialize>(body: &T) -> Response {
    match serde_json::to_value(body) {
        Ok(value) => json(StatusCode::OK, &value),
        Err(e) => json_error(Error::internal(e)),
    }
}

/// Cognito's error shape, as JSON: 400 for the caller's mistakes, 500 for the server's.
fn json_error(e: Error) -> Response {
    let status = if e.kind.is_fault() {
        tracing::error!(error = ?e, "test-support API failed");
        StatusCode::INTERNAL_SERVER_ERROR
    } else {
        StatusCode::BAD_REQUEST
    };
    json(
        status,
        &serde_json::json!({ "__type": e.kind.name(), "message": e.message }),
    )
}

fn json(status: StatusCode, body: &serde_json::Value) -> Response {
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body.to_string(),
    )
        .into_response()
}
