//! `POST /{userPoolId}/oauth2/revoke` (RFC 7009 as Cognito answers it): 200 with an empty
//! body for a revoked, already revoked or unknown refresh token.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use monban_core::oauth::{authenticate_client, OAuthError, OAuthErrorCode};
use monban_core::tokens::revoke_refresh_token;
use monban_wire::ErrorKind;

use super::form::{client_credentials, Params};
use super::response::error;
use crate::app::App;
use crate::audit::RequestAudit;
use monban_core::audit::{AuthEventKind, Outcome};

pub async fn handle(
    State(app): State<Arc<App>>,
    Path(pool_id): Path<String>,
    RequestAudit(mut event): RequestAudit,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let revoked = revoke(&app, &pool_id, &headers, &body).await;
    event.operation = "OAuth2.Revoke".to_owned();
    event.pool_id = Some(pool_id.clone());
    event.client_id = Params::from_form(&headers, &body)
        .ok()
        .and_then(|p| client_credentials(&headers, &p).ok())
        .and_then(|c| c.client_id);
    event.auth_event = Some(AuthEventKind::Revocation);
    if let Err(e) = &revoked {
        event.outcome = Outcome::Fail;
        event.error = Some(e.code.as_str().to_owned());
    }
    crate::audit::record(&app, event).await;
    match revoked {
        Ok(()) => StatusCode::OK.into_response(),
        // Cognito answers a failed client authentication here with 401.
        Err(e) if e.code == OAuthErrorCode::InvalidClient => {
            let mut response = error(e);
            *response.status_mut() = StatusCode::UNAUTHORIZED;
            response
        }
        Err(e) => error(e),
    }
}

async fn revoke(
    app: &App,
    pool_id: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(), OAuthError> {
    let params = Params::from_form(headers, body)?;
    let token = params.require("token")?;
    let credentials = client_credentials(headers, &params)?;
    let (_, client) = authenticate_client(&app.cx, pool_id, &credentials).await?;
    revoke_refresh_token(&app.cx, &client, token)
        .await
        .map_err(|e| match e.kind {
            ErrorKind::UnsupportedOperationException => {
                OAuthError::invalid_request("token revocation is not enabled for this client")
            }
            ErrorKind::UnsupportedTokenTypeException => {
                OAuthError::new(OAuthErrorCode::UnsupportedTokenType)
            }
            ErrorKind::UnauthorizedException => OAuthError::new(OAuthErrorCode::UnauthorizedClient),
            _ => OAuthError::from(e),
        })
}
