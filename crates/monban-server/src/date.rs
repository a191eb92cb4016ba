//! The `Date` response header from the service's clock rather than the operating system's:
//! SDKs correct their signing clock from it, so it must agree with the clock that checks
//! `X-Amz-Date` (and with the injected clock in tests).

use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

use crate::app::App;

pub async fn layer(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let now_ms = u64::try_from(app.cx.clock.now_ms()).unwrap_or(0);
    let now = UNIX_EPOCH + Duration::from_millis(now_ms);
    if let Ok(value) = HeaderValue::from_str(&httpdate::fmt_http_date(now)) {
        response.headers_mut().insert(header::DATE, value);
    }
    response
}
