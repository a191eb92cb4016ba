//! Refresh tokens: opaque random handles, stored only as their SHA-256, bound to a
//! client, a user and a family; and the refresh itself (REFRESH_TOKEN_AUTH and
//! GetTokensFromRefreshToken), with rotation when the client enables it.

use std::collections::BTreeMap;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use monban_wire::idp::{AuthenticationResultType, FeatureType};
use monban_wire::ErrorKind;
use sha2::{Digest, Sha256};

use super::issue::{issue_tokens, Family};
use crate::auth::client::check_secret_hash;
use crate::entities::{AppClient, RefreshToken, User, UserPool};
use crate::error::Error;
use crate::triggers::{TokenSource, TokenTrigger};
use crate::Cx;

/// 384 bits of entropy: 64 characters of base64url, within the model's `[A-Za-z0-9-_=.]+`.
const REFRESH_TOKEN_BYTES: usize = 48;

/// Which API is refreshing.
#[derive(Debug, Clone, Copy)]
pub enum RefreshMode<'a> {
    /// InitiateAuth / AdminInitiateAuth with `REFRESH_TOKEN_AUTH`: refused when the client
    /// rotates refresh tokens. `secret_hash` is the `SECRET_HASH` parameter, checked here
    /// against the token's user (its internal username), as Cognito computes it.
    RefreshTokenAuth { secret_hash: Option<&'a str> },
    /// GetTokensFromRefreshToken (the operation checks `ClientSecret`): with rotation, a
    /// new refresh token replaces the presented one.
    GetTokensFromRefreshToken,
}

/// New ID and access tokens from a refresh token of `client`: same `origin_jti` and
/// `auth_time`, attributes and groups read again. No refresh token in the result unless
/// the client has `RefreshTokenRotation` enabled (GetTokensFromRefreshToken only).
///
/// Refusals, all `NotAuthorizedException` unless said otherwise: `Invalid Refresh Token`
/// (unknown, another client's, or bound to another device), `Refresh Token has been
/// revoked`, `Refresh Token has expired`, `User is disabled.`; a deleted user is
/// `UserNotFoundException`; a rotated-out token used after the grace period is
/// `RefreshTokenReuseException`.
pub async fn refresh(
    cx: &Cx,
    pool: &UserPool,
    client: &AppClient,
    refresh_token: &str,
    device_key: Option<&str>,
    mode: RefreshMode<'_>,
) -> Result<AuthenticationResultType, Error> {
    refresh_with_metadata(cx, pool, client, refresh_token, device_key, mode, None).await
}

/// [`refresh`] passing the call's `ClientMetadata` to the pre token generation trigger
/// (`TokenGeneration_RefreshTokens`).
pub async fn refresh_with_metadata(
    cx: &Cx,
    pool: &UserPool,
    client: &AppClient,
    refresh_token: &str,
    device_key: Option<&str>,
    mode: RefreshMode<'_>,
    client_metadata: Option<&BTreeMap<String, String>>,
) -> Result<AuthenticationResultType, Error> {
    let grace_ms = rotation_grace_ms(client);
    if grace_ms.is_some() && matches!(mode, RefreshMode::RefreshTokenAuth { .. }) {
        return Err(Error::invalid_parameter(
            "Refresh token rotation is enabled for this client: refresh with GetTokensFromRefreshToken.",
        ));
    }
    let invalid = || Error::not_authorized("Invalid Refresh Token");
    let hash = token_hash(refresh_token);
    let record = cx
        .store
        .get_refresh_token(&hash)
        .await?
        .ok_or_else(invalid)?;
    if record.client_id != client.client_id || record.pool_id != pool.id {
        return Err(invalid());
    }
    let user = cx.store.get_user_by_sub(&pool.id, &record.sub).await?;
    if let RefreshMode::RefreshTokenAuth { secret_hash } = mode {
        // Without the user there is no username to check the hash with; the token is
        // refused below anyway.
        let username = user.as_ref().map_or("", |u| u.username.as_str());
        check_secret_hash(client, username, secret_hash)?;
    }
    let now = cx.now_ms();
    if record.revoked_ms.is_some() {
        return Err(Error::not_authorized("Refresh Token has been revoked"));
    }
    if record.expires_ms <= now {
        return Err(Error::not_authorized("Refresh Token has expired"));
    }
    if record.device_key.is_some() && record.device_key.as_deref() != device_key {
        return Err(invalid());
    }
    let user = user.ok_or_else(Error::user_not_found)?;
    if !user.enabled {
        return Err(Error::not_authorized("User is disabled."));
    }
    let rotate = match grace_ms {
        Some(grace_ms) => {
            check_not_reused(cx, &record, &hash, now, grace_ms).await?;
            true
        }
        None => false,
    };
    issue_tokens(
        cx,
        pool,
        client,
        &user,
        &Family {
            id: &record.family_id,
            auth_time_ms: record.auth_time_ms,
            device_key: record.device_key.as_deref(),
            // Tokens of a family the OAuth endpoints opened keep its scopes.
            scopes: record.family_scopes.as_deref(),
            nonce: None,
        },
        rotate,
        TokenTrigger {
            source: TokenSource::RefreshTokens,
            client_metadata,
        },
    )
    .await
}

/// The grace period of a rotating client; `None` when it does not rotate.
fn rotation_grace_ms(client: &AppClient) -> Option<i64> {
    let rotation = client.config.refresh_token_rotation.as_ref()?;
    (rotation.feature == FeatureType::Enabled).then(|| {
        i64::from(
            rotation
                .retry_grace_period_seconds
                .unwrap_or(0)
                .clamp(0, 60),
        ) * 1000
    })
}

/// Rotates the presented token out; a token rotated out before may be presented again
/// only within the grace period (client retries).
async fn check_not_reused(
    cx: &Cx,
    record: &RefreshToken,
    hash: &str,
    now: i64,
    grace_ms: i64,
) -> Result<(), Error> {
    let replaced_at = match record.replaced_ms {
        Some(at) => at,
        None if cx.store.mark_refresh_token_replaced(hash, now).await? => return Ok(()),
        // Another request rotated it a moment ago.
        None => now,
    };
    if now - replaced_at <= grace_ms && grace_ms > 0 {
        return Ok(());
    }
    Err(Error::new(
        ErrorKind::RefreshTokenReuseException,
        "Refresh Token has been reused",
    ))
}

/// Creates and stores a refresh token of `family`, valid `validity_s` from now; returns
/// its value (which is stored nowhere).
pub(crate) async fn store_new_refresh_token(
    cx: &Cx,
    client: &AppClient,
    user: &User,
    family: &Family<'_>,
    validity_s: i64,
) -> Result<String, Error> {
    let mut bytes = [0u8; REFRESH_TOKEN_BYTES];
    cx.rng.fill(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let now = cx.now_ms();
    cx.store
        .insert_refresh_token(&RefreshToken {
            token_hash: token_hash(&token),
            pool_id: client.pool_id.clone(),
            client_id: client.client_id.clone(),
            sub: user.sub.clone(),
            family_id: family.id.to_owned(),
            auth_time_ms: family.auth_time_ms,
            device_key: family.device_key.map(str::to_owned),
            created_ms: now,
            expires_ms: now.saturating_add(validity_s.saturating_mul(1000)),
            replaced_ms: None,
            revoked_ms: None,
            family_scopes: None,
        })
        .await?;
    Ok(token)
}

/// How a refresh token is stored: SHA-256, hex. The value has 384 random bits, so a
/// plain hash is enough (no salt, no stretching) and lets any node find it in one lookup.
pub(crate) fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use monban_wire::idp::{RefreshTokenRotationType, UserPoolClientType};

    use super::*;

    fn client(rotation: Option<(FeatureType, Option<i32>)>) -> AppClient {
        AppClient {
            pool_id: "us-east-1_AbC".to_owned(),
            client_id: "client".to_owned(),
            name: "app".to_owned(),
            secret: None,
            created_ms: 0,
            modified_ms: 0,
            version: 1,
            config: UserPoolClientType {
                refresh_token_rotation: rotation.map(|(feature, grace)| RefreshTokenRotationType {
                    feature,
                    retry_grace_period_seconds: grace,
                }),
                ..UserPoolClientType::default()
            },
        }
    }

    #[test]
    fn rotation_grace_comes_from_the_client() {
        assert_eq!(rotation_grace_ms(&client(None)), None);
        assert_eq!(
            rotation_grace_ms(&client(Some((FeatureType::Disabled, Some(30))))),
            None
        );
        assert_eq!(
            rotation_grace_ms(&client(Some((FeatureType::Enabled, None)))),
            Some(0)
        );
        assert_eq!(
            rotation_grace_ms(&client(Some((FeatureType::Enabled, Some(30))))),
            Some(30_000)
        );
    }

    #[test]
    fn token_hash_is_sha256_hex() {
        assert_eq!(
            token_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
