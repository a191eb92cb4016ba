//! `grant_type=refresh_token`: the same refresh as GetTokensFromRefreshToken (rotation
//! included), with RFC 6749 errors.

use monban_wire::ErrorKind;

use super::codes::token_response;
use super::error::{OAuthError, OAuthErrorCode};
use super::TokenResponse;
use crate::entities::{AppClient, UserPool};
use crate::tokens::{refresh, RefreshMode};
use crate::Cx;

/// For an authenticated `client`, which needs `ALLOW_REFRESH_TOKEN_AUTH`
/// (`unauthorized_client` otherwise). A refused token (unknown, another client's,
/// revoked, expired, reused after rotation, its user disabled or gone) is
/// `invalid_grant`.
pub async fn refresh_grant(
    cx: &Cx,
    pool: &UserPool,
    client: &AppClient,
    refresh_token: &str,
) -> Result<TokenResponse, OAuthError> {
    let allows_refresh = client
        .config
        .explicit_auth_flows
        .as_deref()
        .unwrap_or_default()
        .iter()
        .any(|f| f.as_str() == "ALLOW_REFRESH_TOKEN_AUTH");
    if !allows_refresh {
        return Err(OAuthError::new(OAuthErrorCode::UnauthorizedClient));
    }
    match refresh(
        cx,
        pool,
        client,
        refresh_token,
        None,
        RefreshMode::GetTokensFromRefreshToken,
    )
    .await
    {
        Ok(result) => token_response(result),
        Err(e)
            if matches!(
                e.kind,
                ErrorKind::NotAuthorizedException
                    | ErrorKind::UserNotFoundException
                    | ErrorKind::RefreshTokenReuseException
            ) =>
        {
            Err(OAuthError::invalid_grant())
        }
        Err(e) => Err(e.into()),
    }
}
