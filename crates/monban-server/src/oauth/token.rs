//! `POST /{userPoolId}/oauth2/token`: authenticates the client, then hands the request to
//! its grant.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use monban_core::oauth::{authenticate_client, OAuthError, OAuthErrorCode};

use super::form::{client_credentials, Params};
use super::response::{error, json_ok};
use super::{authorization_code, client_credentials as cc, refresh_token};
use crate::app::App;

pub async fn handle(
    State(app): State<Arc<App>>,
    Path(pool_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match grant(&app, &pool_id, &headers, &body).await {
        Ok(tokens) => json_ok(&tokens),
        Err(e)
            if e.code == OAuthErrorCode::InvalidClient && strict_client(&app, &headers, &body) =>
        {
            // RFC 6749 §5.2 for clients configured for strict OpenID Connect (Cognito
            // answers 400).
            let mut response = error(e);
            *response.status_mut() = StatusCode::UNAUTHORIZED;
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static(r#"Basic realm="token""#),
            );
            response
        }
        Err(e) => error(e),
    }
}

/// Whether the client the request names is one of `strict_oidc_clients`.
fn strict_client(app: &App, headers: &HeaderMap, body: &[u8]) -> bool {
    let named = Params::from_form(headers, body)
        .and_then(|params| client_credentials(headers, &params))
        .ok()
        .and_then(|credentials| credentials.client_id);
    named.is_some_and(|id| app.cx.settings.oauth.strict_oidc(&id))
}

async fn grant(
    app: &App,
    pool_id: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<monban_core::oauth::TokenResponse, OAuthError> {
    let params = Params::from_form(headers, body)?;
    let grant_type = params.require("grant_type")?;
    if !matches!(
        grant_type,
        "authorization_code" | "refresh_token" | "client_credentials"
    ) {
        return Err(OAuthError::new(OAuthErrorCode::UnsupportedGrantType));
    }
    let credentials = client_credentials(headers, &params)?;
    let cx = &app.cx;
    let (pool, client) = authenticate_client(cx, pool_id, &credentials).await?;
    match grant_type {
        "authorization_code" => authorization_code::grant(cx, &pool, &client, &params).await,
        "refresh_token" => refresh_token::grant(cx, &pool, &client, &params).await,
        _ => cc::grant(cx, &pool, &client, &params).await,
    }
}
