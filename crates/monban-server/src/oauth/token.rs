//! `POST /{userPoolId}/oauth2/token`: authenticates the client, then hands the request to
//! its grant.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
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
        Err(e) => error(e),
    }
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
