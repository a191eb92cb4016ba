//! CORS for browser SDKs (amazon-cognito-identity-js, the AWS SDK for JavaScript): the
//! API is callable from any origin, as Cognito's is.

use axum::http::{HeaderName, Method};
use tower_http::cors::{Any, CorsLayer};

const ALLOWED_HEADERS: [&str; 10] = [
    "content-type",
    "x-amz-target",
    "x-amz-user-agent",
    "cache-control",
    "authorization",
    "x-amz-date",
    "x-amz-security-token",
    "x-amz-content-sha256",
    "amz-sdk-invocation-id",
    "amz-sdk-request",
];

const EXPOSED_HEADERS: [&str; 3] = [
    "x-amzn-requestid",
    "x-amzn-errortype",
    "x-amzn-errormessage",
];

pub fn layer() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
        .allow_headers(ALLOWED_HEADERS.map(HeaderName::from_static))
        .expose_headers(EXPOSED_HEADERS.map(HeaderName::from_static))
        .max_age(std::time::Duration::from_secs(86_400))
}
