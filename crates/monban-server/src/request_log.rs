//! Every response gets an `x-amzn-RequestId`; every request gets one log line (operation,
//! status, duration, error type), never its body.

use std::time::Instant;

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use monban_wire::ErrorKind;
use tracing::Instrument;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-amzn-requestid");

/// The `X-Amz-Target` operation a response answered, for the log line.
#[derive(Debug, Clone, Copy)]
pub struct OperationName(pub &'static str);

pub async fn layer(request: Request, next: Next) -> Response {
    let id = uuid::Uuid::new_v4().to_string();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let span = tracing::info_span!("request", request_id = %id);
    let started = Instant::now();
    let mut response = next.run(request).instrument(span.clone()).await;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    let operation = response.extensions().get::<OperationName>().map(|op| op.0);
    let error = response
        .extensions()
        .get::<ErrorKind>()
        .map(|kind| kind.name());
    span.in_scope(|| {
        tracing::info!(
            %method,
            path,
            operation,
            status = response.status().as_u16(),
            error,
            duration_ms = %format!("{:.3}", started.elapsed().as_secs_f64() * 1000.0),
            "request"
        );
    });
    response
}
