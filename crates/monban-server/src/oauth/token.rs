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
use crate::audit::RequestAudit;
use monban_core::audit::{AuditEvent, AuthEventKind, Outcome};

pub async fn handle(
    State(app): State<Arc<App>>,
    Path(pool_id): Path<String>,
    RequestAudit(event): RequestAudit,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let granted = grant(&app, &pool_id, &headers, &body).await;
    record(&app, event, &pool_id, &headers, &body, &granted).await;
    match granted {
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

/// The audit record of a token request: the grant, the client, the outcome (never a code,
/// verifier, secret or token).
async fn record(
    app: &App,
    mut event: AuditEvent,
    pool_id: &str,
    headers: &HeaderMap,
    body: &[u8],
    granted: &Result<monban_core::oauth::TokenResponse, OAuthError>,
) {
    let params = Params::from_form(headers, body).ok();
    let grant_type = params.as_ref().and_then(|p| p.get("grant_type"));
    event.operation = format!("OAuth2.Token.{}", grant_type.unwrap_or("unknown"));
    event.pool_id = Some(pool_id.to_owned());
    event.client_id = params
        .as_ref()
        .and_then(|p| client_credentials(headers, p).ok())
        .and_then(|c| c.client_id);
    event.auth_event = match grant_type {
        Some("refresh_token") => Some(AuthEventKind::TokenRefresh),
        // The sign-in itself was recorded by the hosted UI.
        _ => None,
    };
    if let Err(e) = granted {
        event.outcome = Outcome::Fail;
        event.error = Some(e.code.as_str().to_owned());
    }
    crate::audit::record(app, event).await;
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
