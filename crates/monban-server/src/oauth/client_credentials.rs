//! `grant_type=client_credentials`: optional `scope` (custom scopes only).

use monban_core::entities::{AppClient, UserPool};
use monban_core::oauth::{client_credentials_token, parse_scope_param, OAuthError, TokenResponse};
use monban_core::Cx;

use super::form::Params;

pub async fn grant(
    cx: &Cx,
    pool: &UserPool,
    client: &AppClient,
    params: &Params,
) -> Result<TokenResponse, OAuthError> {
    let scopes = parse_scope_param(params.get("scope"))?;
    client_credentials_token(cx, pool, client, scopes.as_deref()).await
}
