//! Verifying an ID token of one of this server's pools, for those that accept ID tokens as
//! proof of a sign-in (identity pools). The caller words the errors: Cognito's identity
//! pools say `Invalid login token. …`, not what the user-pool API says.

use serde::Deserialize;
use serde_json::{Map, Value};

use super::issuer::pool_of_issuer;
use super::jwt;
use super::keys::{verification_key, TokenUse};
use crate::error::Error;
use crate::store::StoreError;
use crate::Cx;

/// An ID token whose issuer is one of this server's pools and whose signature checked out.
#[derive(Debug, Clone)]
pub struct VerifiedIdToken {
    pub pool_id: String,
    pub iss: String,
    /// The app client the token was issued to.
    pub aud: String,
    pub sub: String,
    /// Epoch seconds.
    pub exp: i64,
    /// The token family, when the client has token revocation on.
    pub origin_jti: Option<String>,
    /// Every claim, for rules that look at any of them (`custom:department`, say).
    pub claims: Map<String, Value>,
}

/// Why an ID token was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdTokenRejection {
    /// Not a JWS with an RS256 header and a JSON payload.
    Malformed,
    /// `iss` is not one of this server's pools.
    ForeignIssuer,
    /// No `aud`, or `token_use` is not `id` (an access token, say).
    NotAnIdToken,
    /// Unknown key or bad signature.
    BadSignature,
    /// `exp` (epoch seconds) is not after `now` (epoch seconds).
    Expired { exp: i64, now: i64 },
}

#[derive(Deserialize)]
struct KnownClaims {
    iss: String,
    #[serde(default)]
    aud: Option<String>,
    #[serde(default)]
    token_use: Option<String>,
    sub: String,
    exp: i64,
    #[serde(default)]
    origin_jti: Option<String>,
}

/// Checks an ID token's issuer, signature and expiry (not revocation: see
/// [`id_token_revoked`]).
pub async fn verify_id_token(
    cx: &Cx,
    token: &str,
) -> Result<Result<VerifiedIdToken, IdTokenRejection>, Error> {
    let Some(jws) = jwt::parse(token) else {
        return Ok(Err(IdTokenRejection::Malformed));
    };
    let Ok(claims) = serde_json::from_slice::<Map<String, Value>>(&jws.payload) else {
        return Ok(Err(IdTokenRejection::Malformed));
    };
    let Ok(known) = serde_json::from_value::<KnownClaims>(Value::Object(claims.clone())) else {
        return Ok(Err(IdTokenRejection::Malformed));
    };
    let Some(pool_id) = pool_of_issuer(&cx.settings, &known.iss) else {
        return Ok(Err(IdTokenRejection::ForeignIssuer));
    };
    let (Some(aud), Some("id")) = (known.aud, known.token_use.as_deref()) else {
        return Ok(Err(IdTokenRejection::NotAnIdToken));
    };
    let key = verification_key(cx, pool_id, &jws.kid, TokenUse::Id).await?;
    if !key.is_some_and(|key| jws.verified_by(&key)) {
        return Ok(Err(IdTokenRejection::BadSignature));
    }
    let now = cx.now_ms().div_euclid(1000);
    if known.exp <= now {
        return Ok(Err(IdTokenRejection::Expired {
            exp: known.exp,
            now,
        }));
    }
    Ok(Ok(VerifiedIdToken {
        pool_id: pool_id.to_owned(),
        iss: known.iss.clone(),
        aud,
        sub: known.sub,
        exp: known.exp,
        origin_jti: known.origin_jti,
        claims,
    }))
}

/// Whether a verified ID token may no longer be used: its family was revoked (RevokeToken,
/// GlobalSignOut, AdminUserGlobalSignOut, AdminDisableUser), or its user is deleted or
/// disabled.
pub async fn id_token_revoked(cx: &Cx, token: &VerifiedIdToken) -> Result<bool, Error> {
    let family = async {
        match &token.origin_jti {
            Some(family) => {
                cx.store
                    .token_family_revoked_at(&token.pool_id, family)
                    .await
            }
            None => Ok(None),
        }
    };
    let (family, user) = tokio::join!(family, cx.store.get_user_by_sub(&token.pool_id, &token.sub));
    let family_revoked = match family {
        Ok(at) => at.is_some(),
        // An unknown family (its user was deleted, say) counts as revoked.
        Err(StoreError::NotFound) => true,
        Err(e) => return Err(e.into()),
    };
    Ok(family_revoked || !user?.is_some_and(|user| user.enabled))
}
