//! `GET|POST /{userPoolId}/oauth2/userInfo` with `Authorization: Bearer <access token>`.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use monban_core::oauth::{user_info, OAuthErrorCode};

use super::response::{error, json_ok};
use crate::app::App;

pub async fn handle(
    State(app): State<Arc<App>>,
    Path(pool_id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, token)| scheme.eq_ignore_ascii_case("bearer") && !token.is_empty())
        .map(|(_, token)| token.trim());
    let Some(token) = bearer else {
        return challenge(
            StatusCode::BAD_REQUEST,
            r#"error="invalid_request", error_description="Bad OAuth2 request at UserInfo Endpoint""#,
        );
    };
    match user_info(&app.cx, token).await {
        // A token of another pool is not this endpoint's.
        Ok((token_pool, claims)) if token_pool == pool_id => json_ok(&claims),
        Ok(_) => invalid_token(),
        Err(e) if e.code == OAuthErrorCode::InvalidToken => invalid_token(),
        Err(e) => error(e),
    }
}

fn invalid_token() -> Response {
    challenge(
        StatusCode::UNAUTHORIZED,
        r#"error="invalid_token", error_description="Access token is expired, disabled, or deleted, or the user has globally signed out.""#,
    )
}

fn challenge(status: StatusCode, value: &'static str) -> Response {
    let mut response = status.into_response();
    response
        .headers_mut()
        .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static(value));
    response
}
