//! RevokeToken: revokes a refresh token and every ID and access token of its family
//! (same `origin_jti`); the user's other sessions are untouched. An unknown or already
//! revoked refresh token succeeds, as at `/oauth2/revoke`. `RevokeAssociatedSessions` is
//! accepted; a family is the only session there is yet.

use monban_wire::idp::{RevokeTokenRequest, RevokeTokenResponse};
use monban_wire::ErrorKind;

use super::client_secret::check_client_secret;
use crate::auth::client::load_public_client;
use crate::error::Error;
use crate::tokens::revoke_refresh_token;
use crate::{Caller, Cx};

pub async fn revoke_token(
    cx: &Cx,
    _caller: Caller,
    req: RevokeTokenRequest,
) -> Result<RevokeTokenResponse, Error> {
    // RevokeToken declares no ResourceNotFoundException: an unknown client is a failed
    // client authentication.
    let (_, client) = load_public_client(cx, &req.client_id)
        .await
        .map_err(|e| match e.kind {
            ErrorKind::ResourceNotFoundException => {
                Error::new(ErrorKind::UnauthorizedException, e.message)
            }
            _ => e,
        })?;
    check_client_secret(
        &client,
        req.client_secret.as_deref(),
        ErrorKind::UnauthorizedException,
    )?;
    revoke_refresh_token(cx, &client, &req.token).await?;
    Ok(RevokeTokenResponse {})
}
