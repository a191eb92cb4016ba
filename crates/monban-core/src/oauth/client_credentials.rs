//! `grant_type=client_credentials`: an access token for the client itself, carrying
//! custom (resource-server) scopes only.

use std::collections::BTreeMap;

use monban_wire::idp::OAuthFlowType;

use super::error::{OAuthError, OAuthErrorCode};
use super::scopes::custom_scopes_of_pool;
use super::TokenResponse;
use crate::entities::{AppClient, UserPool};
use crate::tokens::issue_client_token;
use crate::Cx;

/// For an authenticated `client` with a secret whose only OAuth flow is
/// `client_credentials`. `requested` (the `scope` parameter): each must be a custom scope
/// the client allows and a resource server defines, else `invalid_scope`; none requested
/// grants all of them (and a client left with none is `invalid_scope` too).
/// `client_metadata` goes to a V3 pre token generation function.
pub async fn client_credentials_token(
    cx: &Cx,
    pool: &UserPool,
    client: &AppClient,
    requested: Option<&[String]>,
    client_metadata: Option<&BTreeMap<String, String>>,
) -> Result<TokenResponse, OAuthError> {
    let flows = client
        .config
        .allowed_o_auth_flows
        .as_deref()
        .unwrap_or_default();
    if client.secret.is_none()
        || client.config.allowed_o_auth_flows_user_pool_client != Some(true)
        || flows != [OAuthFlowType::ClientCredentials]
    {
        return Err(OAuthError::new(OAuthErrorCode::UnauthorizedClient));
    }
    let existing = custom_scopes_of_pool(cx, &pool.id).await?;
    let allowed: Vec<&String> = client
        .config
        .allowed_o_auth_scopes
        .as_deref()
        .unwrap_or_default()
        .iter()
        .filter(|s| existing.contains(s))
        .collect();
    let granted: Vec<&str> = match requested {
        Some(requested) => {
            if !requested.iter().all(|s| allowed.contains(&s)) {
                return Err(OAuthError::new(OAuthErrorCode::InvalidScope));
            }
            requested.iter().map(String::as_str).collect()
        }
        None => allowed.iter().map(|s| s.as_str()).collect(),
    };
    if granted.is_empty() {
        return Err(OAuthError::new(OAuthErrorCode::InvalidScope));
    }
    let (access_token, expires_in) =
        issue_client_token(cx, pool, client, &granted.join(" "), client_metadata).await?;
    Ok(TokenResponse {
        id_token: None,
        access_token,
        refresh_token: None,
        token_type: "Bearer",
        expires_in,
    })
}
