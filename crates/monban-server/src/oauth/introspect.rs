//! `POST /{userPoolId}/oauth2/introspect` (RFC 7662, a monban extension): client
//! authentication as at `/oauth2/token`, form body `token=…` (`token_type_hint` is
//! accepted and ignored), answer `{"active": …}` with the token's claims when live.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use monban_core::oauth::{authenticate_client, introspect, OAuthError, OAuthErrorCode};

use super::form::{client_credentials, Params};
use super::response::{error, json_ok};
use crate::app::App;

pub async fn handle(
    State(app): State<Arc<App>>,
    Path(pool_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match answer(&app, &pool_id, &headers, &body).await {
        Ok(body) => json_ok(&body),
        // RFC 7662 §2.3: a failed client authentication is 401.
        Err(e) if e.code == OAuthErrorCode::InvalidClient => {
            let mut response = error(e);
            *response.status_mut() = StatusCode::UNAUTHORIZED;
            response
        }
        Err(e) => error(e),
    }
}

async fn answer(
    app: &App,
    pool_id: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<serde_json::Value, OAuthError> {
    let params = Params::from_form(headers, body)?;
    let token = params.require("token")?;
    let credentials = client_credentials(headers, &params)?;
    let (_, client) = authenticate_client(&app.cx, pool_id, &credentials).await?;
    introspect(&app.cx, &client, token).await
}
