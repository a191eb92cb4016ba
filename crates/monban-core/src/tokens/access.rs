//! Authenticating the access token of a self-service operation: the hot path. A
//! signature check against a cached key, then one concurrent round of reads (family
//! revocation, user, pool).

use serde::Deserialize;

use super::issuer::pool_of_issuer;
use super::jwt;
use super::keys::{verification_key, TokenUse};
use super::USER_ADMIN_SCOPE;
use crate::entities::{User, UserPool};
use crate::error::Error;
use crate::store::TokenFamilyState;
use crate::Cx;

/// Who an access token speaks for, once checked.
#[derive(Debug, Clone)]
pub struct AccessContext {
    pub pool: UserPool,
    pub user: User,
    /// The app client the token was issued to.
    pub client_id: String,
    pub claims: AccessClaims,
}

/// The claims of an access token that operations may need.
#[derive(Debug, Clone, Deserialize)]
pub struct AccessClaims {
    pub sub: String,
    pub iss: String,
    pub client_id: String,
    pub token_use: String,
    #[serde(default)]
    pub scope: String,
    pub auth_time: i64,
    pub iat: i64,
    pub exp: i64,
    pub jti: String,
    /// The token family: what RevokeToken and GlobalSignOut revoke.
    pub origin_jti: String,
    #[serde(default)]
    pub event_id: Option<String>,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub device_key: Option<String>,
}

/// Checks an access token as Cognito's user API does and returns its pool, user and
/// claims. `NotAuthorizedException` with `Invalid Access Token` (malformed, not RS256,
/// unknown issuer or key, bad signature, not an access token), `Access Token has
/// expired`, `Access Token does not have required scopes`, `Access Token has been
/// revoked` (RevokeToken, GlobalSignOut, a deleted user), `User is disabled.`.
pub async fn authenticate_access_token(cx: &Cx, token: &str) -> Result<AccessContext, Error> {
    authenticate_access_token_for(cx, token, USER_ADMIN_SCOPE).await
}

/// [`authenticate_access_token`] requiring `scope` instead of
/// `aws.cognito.signin.user.admin` (`openid` at `/oauth2/userInfo`).
pub async fn authenticate_access_token_for(
    cx: &Cx,
    token: &str,
    scope: &str,
) -> Result<AccessContext, Error> {
    let invalid = || Error::not_authorized("Invalid Access Token");
    let jws = jwt::parse(token).ok_or_else(invalid)?;
    let claims: AccessClaims = serde_json::from_slice(&jws.payload).map_err(|_| invalid())?;
    let pool_id = pool_of_issuer(&cx.settings, &claims.iss).ok_or_else(invalid)?;
    let key = verification_key(cx, pool_id, &jws.kid, TokenUse::Access)
        .await?
        .ok_or_else(invalid)?;
    if !jws.verified_by(&key) || claims.token_use != "access" {
        return Err(invalid());
    }
    if claims.exp.saturating_mul(1000) <= cx.now_ms() {
        return Err(Error::not_authorized("Access Token has expired"));
    }
    if !claims.scope.split(' ').any(|s| s == scope) {
        return Err(Error::not_authorized(
            "Access Token does not have required scopes",
        ));
    }
    let (user, pool) = tokio::join!(
        cx.store
            .get_token_user(pool_id, &claims.sub, &claims.origin_jti),
        cx.store.get_user_pool(pool_id),
    );
    let revoked_error = || Error::not_authorized("Access Token has been revoked");
    let (Some((user, family)), Some(pool)) = (user?, pool?) else {
        return Err(revoked_error());
    };
    if family != TokenFamilyState::Live {
        return Err(revoked_error());
    }
    if !user.enabled {
        return Err(Error::not_authorized("User is disabled."));
    }
    Ok(AccessContext {
        pool,
        user,
        client_id: claims.client_id.clone(),
        claims,
    })
}
