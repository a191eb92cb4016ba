//! Revocation: one family (RevokeToken) or all of a user's (GlobalSignOut, disable,
//! delete). Enforced by every node through the store: refresh reads the family's state,
//! and [`authenticate_access_token`](super::authenticate_access_token) refuses access
//! tokens of a revoked family.

use monban_wire::ErrorKind;

use super::jwt::looks_like_jwt;
use super::refresh::token_hash;
use crate::entities::AppClient;
use crate::error::Error;
use crate::Cx;

/// Revokes every token family of the user: its refresh tokens stop working and its access
/// tokens are refused from now on.
pub async fn revoke_user_sessions(cx: &Cx, pool_id: &str, sub: &str) -> Result<(), Error> {
    cx.store
        .revoke_user_token_families(pool_id, sub, cx.now_ms())
        .await?;
    Ok(())
}

/// RevokeToken: revokes the family of a refresh token issued to `client` (the caller has
/// authenticated the client). An unknown or already revoked token is not an error (as at
/// `/oauth2/revoke`, RFC 7009); an ID or access token is `UnsupportedTokenTypeException`;
/// another client's token `UnauthorizedException`; a client with token revocation off
/// `UnsupportedOperationException`.
pub async fn revoke_refresh_token(cx: &Cx, client: &AppClient, token: &str) -> Result<(), Error> {
    if client.config.enable_token_revocation == Some(false) {
        return Err(Error::new(
            ErrorKind::UnsupportedOperationException,
            "Token revocation is not enabled for this client.",
        ));
    }
    if looks_like_jwt(token) {
        return Err(Error::new(
            ErrorKind::UnsupportedTokenTypeException,
            "Only refresh tokens can be revoked.",
        ));
    }
    let Some(record) = cx.store.get_refresh_token(&token_hash(token)).await? else {
        return Ok(());
    };
    if record.client_id != client.client_id {
        return Err(Error::new(
            ErrorKind::UnauthorizedException,
            "The token was not issued to this client.",
        ));
    }
    cx.store
        .revoke_token_family(&record.pool_id, &record.family_id, cx.now_ms())
        .await?;
    Ok(())
}
