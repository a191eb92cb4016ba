//! RFC 6749 answers: JSON success bodies with `Cache-Control: no-store`, and errors as
//! `{"error", "error_description"?}` (HTTP 400, as Cognito answers even `invalid_client`;
//! `invalid_token` is 401).

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use monban_core::oauth::{OAuthError, OAuthErrorCode};
use serde_json::json;

pub fn json_ok(body: &impl serde::Serialize) -> Response {
    let mut response = (StatusCode::OK, axum::Json(body)).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json;charset=UTF-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    response
}

pub fn error(e: OAuthError) -> Response {
    if let Some(source) = &e.source {
        tracing::error!(error = ?source, "oauth endpoint failed");
    }
    let status = match e.code {
        OAuthErrorCode::InvalidToken => StatusCode::UNAUTHORIZED,
        OAuthErrorCode::ServerError => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::BAD_REQUEST,
    };
    let mut body = json!({ "error": e.code.as_str() });
    if let Some(description) = &e.description {
        body["error_description"] = description.clone().into();
    }
    let mut response = (status, axum::Json(body)).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json;charset=UTF-8"),
    );
    response
}
