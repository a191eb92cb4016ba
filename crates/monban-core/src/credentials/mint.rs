//! Credentials minted by monban (credential source `monban`), and their verification.

use std::time::Duration;

use super::session::{self, SessionCredentials, SESSION_KEY_LEN};
use super::{duration_ms, Grant, TemporaryCredentials};
use crate::cx::Rng;
use crate::error::Error;
use crate::ids::random_from;
use crate::Cx;

/// The server-wide key that seals session tokens (see `session`).
const SESSION_KEY: &str = "identity-credentials-session-key";
/// AWS's alphabet for access key ids (upper-case base32).
const KEY_ID_ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
/// What AWS secret access keys are made of.
const SECRET_ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Why presented credentials are refused.
#[derive(Debug)]
pub enum SessionRefusal {
    /// Not a session token monban sealed, or not the one of this access key.
    Invalid,
    /// Past their expiry.
    Expired,
    /// The identity they were issued to is gone.
    Revoked,
    /// The check itself failed (the database was unreachable...).
    Failed(Error),
}

async fn session_key(cx: &Cx) -> Result<[u8; SESSION_KEY_LEN], Error> {
    let key = cx.secrets.get(cx, SESSION_KEY, SESSION_KEY_LEN).await?;
    <[u8; SESSION_KEY_LEN]>::try_from(key.as_slice()).map_err(Error::internal)
}

/// New credentials for `grant`: `ASIA…` access key, random secret, sealed session token,
/// valid for the configured duration.
pub async fn mint(cx: &Cx, grant: &Grant) -> Result<TemporaryCredentials, Error> {
    let key = session_key(cx).await?;
    mint_with(
        &key,
        cx.rng.as_ref(),
        cx.now_ms(),
        cx.settings.credentials.duration,
        grant,
    )
}

fn mint_with(
    key: &[u8; SESSION_KEY_LEN],
    rng: &dyn Rng,
    now_ms: i64,
    duration: Duration,
    grant: &Grant,
) -> Result<TemporaryCredentials, Error> {
    // Whole seconds, as AWS reports expiry; never less than one second ahead.
    let lifetime_ms = duration_ms(duration).max(1000);
    let expires_ms = now_ms.saturating_add(lifetime_ms) / 1000 * 1000;
    let session = SessionCredentials {
        access_key_id: format!("ASIA{}", random_from(rng, KEY_ID_ALPHABET, 16)),
        secret_access_key: random_from(rng, SECRET_ALPHABET, 40),
        identity_pool_id: grant.identity_pool_id.clone(),
        identity_id: grant.identity_id.clone(),
        role_arn: grant.role_arn.clone(),
        authenticated: grant.authenticated,
        issued_ms: now_ms,
        expires_ms,
    };
    let session_token = session::seal(key, rng, &session)?;
    Ok(TemporaryCredentials {
        access_key_id: session.access_key_id,
        secret_access_key: session.secret_access_key,
        session_token,
        expires_ms,
    })
}

/// What the credentials `access_key_id` + `session_token` stand for, including the secret
/// to check a request's signature with. Refused when the token was not sealed by monban
/// for this access key, has expired, or its identity was deleted or disabled.
pub async fn open_session(
    cx: &Cx,
    access_key_id: &str,
    session_token: &str,
) -> Result<SessionCredentials, SessionRefusal> {
    let key = session_key(cx).await.map_err(SessionRefusal::Failed)?;
    let session = open_with(&key, access_key_id, session_token, cx.now_ms())?;
    // Deleting an identity (DeleteIdentities, DeleteIdentityPool, a merge) or unlinking its
    // last login ends its credentials at once.
    match cx.store.get_identity(&session.identity_id).await {
        Ok(Some(identity))
            if !identity.disabled && identity.pool_id == session.identity_pool_id =>
        {
            Ok(session)
        }
        Ok(_) => Err(SessionRefusal::Revoked),
        Err(e) => Err(SessionRefusal::Failed(e.into())),
    }
}

fn open_with(
    key: &[u8; SESSION_KEY_LEN],
    access_key_id: &str,
    session_token: &str,
    now_ms: i64,
) -> Result<SessionCredentials, SessionRefusal> {
    let session = session::open(key, session_token).ok_or(SessionRefusal::Invalid)?;
    // The token names its own key id: a token lent to another key id proves nothing.
    if session.access_key_id != access_key_id {
        return Err(SessionRefusal::Invalid);
    }
    if now_ms >= session.expires_ms {
        return Err(SessionRefusal::Expired);
    }
    Ok(session)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use crate::cx::SystemRng;

    const KEY: [u8; SESSION_KEY_LEN] = [42; SESSION_KEY_LEN];
    const NOW: i64 = 1_700_000_000_123;

    fn grant() -> Grant {
        Grant {
            identity_pool_id: "us-east-1:0b0e4a52-6f1c-4c3e-9a53-3b3d1e0f0001".to_owned(),
            identity_id: "us-east-1:7c1d2e3f-8a9b-4c0d-9e1f-2a3b4c5d0002".to_owned(),
            role_arn: "arn:aws:iam::000000000000:role/Authenticated".to_owned(),
            authenticated: true,
        }
    }

    fn minted() -> TemporaryCredentials {
        mint_with(&KEY, &SystemRng, NOW, Duration::from_secs(3600), &grant()).unwrap()
    }

    #[test]
    fn minted_credentials_look_like_aws_session_credentials() {
        let c = minted();
        assert_eq!(c.access_key_id.len(), 20);
        assert!(c.access_key_id.starts_with("ASIA"), "{}", c.access_key_id);
        assert!(c.access_key_id[4..]
            .bytes()
            .all(|b| KEY_ID_ALPHABET.contains(&b)));
        assert_eq!(c.secret_access_key.len(), 40);
        assert!(c
            .secret_access_key
            .bytes()
            .all(|b| SECRET_ALPHABET.contains(&b)));
        // One hour, rounded down to the second.
        assert_eq!(c.expires_ms, 1_700_003_600_000);
        assert_ne!(minted().access_key_id, c.access_key_id);
        assert_ne!(minted().secret_access_key, c.secret_access_key);
    }

    #[test]
    fn the_session_token_names_the_identity_pool_and_role() {
        let c = minted();
        let s = open_with(&KEY, &c.access_key_id, &c.session_token, NOW).unwrap();
        assert_eq!(s.identity_id, grant().identity_id);
        assert_eq!(s.identity_pool_id, grant().identity_pool_id);
        assert_eq!(s.role_arn, grant().role_arn);
        assert!(s.authenticated);
        assert_eq!(s.secret_access_key, c.secret_access_key);
        assert_eq!(s.issued_ms, NOW);
        assert_eq!(s.expires_ms, c.expires_ms);
    }

    #[test]
    fn expired_forged_or_borrowed_tokens_are_refused() {
        let c = minted();
        assert!(open_with(&KEY, &c.access_key_id, &c.session_token, c.expires_ms - 1).is_ok());
        assert!(matches!(
            open_with(&KEY, &c.access_key_id, &c.session_token, c.expires_ms),
            Err(SessionRefusal::Expired)
        ));
        // Another server's key.
        assert!(matches!(
            open_with(
                &[1; SESSION_KEY_LEN],
                &c.access_key_id,
                &c.session_token,
                NOW
            ),
            Err(SessionRefusal::Invalid)
        ));
        // The token of other credentials.
        let other = minted();
        assert!(matches!(
            open_with(&KEY, &c.access_key_id, &other.session_token, NOW),
            Err(SessionRefusal::Invalid)
        ));
        assert!(matches!(
            open_with(&KEY, &c.access_key_id, "FQoGZXIvYXdzEXAMPLE", NOW),
            Err(SessionRefusal::Invalid)
        ));
    }

    #[test]
    fn the_lifetime_follows_the_setting() {
        let c = mint_with(&KEY, &SystemRng, NOW, Duration::from_secs(900), &grant()).unwrap();
        assert_eq!(c.expires_ms, 1_700_000_900_000);
        let c = mint_with(&KEY, &SystemRng, NOW, Duration::ZERO, &grant()).unwrap();
        assert_eq!(c.expires_ms, 1_700_000_001_000);
    }

    #[test]
    fn wire_credentials_carry_all_four_members() {
        let c = minted();
        let wire = serde_json::to_value(c.to_wire()).unwrap();
        assert_eq!(wire["AccessKeyId"], c.access_key_id.as_str());
        assert_eq!(wire["SecretKey"], c.secret_access_key.as_str());
        assert_eq!(wire["SessionToken"], c.session_token.as_str());
        assert_eq!(wire["Expiration"], 1_700_003_600.0);
        let shown = format!("{c:?}");
        assert!(!shown.contains(&c.secret_access_key), "{shown}");
    }
}
