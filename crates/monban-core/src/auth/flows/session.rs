//! Challenge sessions: the opaque `Session` a client carries from one challenge to the next
//! names an `AuthSession` row (by its SHA-256; the value is never stored), so any node can
//! continue the sign-in. A session expires after the client's `AuthSessionValidity` and is
//! taken (deleted) by the first answer, right or wrong, so it works once.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use monban_wire::idp::ChallengeNameType;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::messages::{invalid_session, session_expired};
use super::SignIn;
use crate::entities::{AppClient, AuthSession, User};
use crate::error::Error;

/// Cognito's default `AuthSessionValidity`, in minutes (allowed: 3-15).
const DEFAULT_VALIDITY_MINUTES: i64 = 3;

/// Random bytes in a Session: 384 bits, 64 characters of base64url.
const SESSION_BYTES: usize = 48;

/// How long a challenge may wait for its answer.
pub fn validity_ms(client: &AppClient) -> i64 {
    let minutes = client
        .config
        .auth_session_validity
        .map(i64::from)
        .filter(|m| (3..=15).contains(m))
        .unwrap_or(DEFAULT_VALIDITY_MINUTES);
    minutes * 60_000
}

/// What a flow keeps between a challenge and its answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionState {
    /// The user being signed in (the username in the row is for humans and checks).
    pub sub: String,
    /// When the first factor was proven (`auth_time` of the tokens).
    pub auth_time_ms: i64,
    /// `DEVICE_KEY` sent with the first factor, passed on to the tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_key: Option<String>,
}

fn session_id(value: &str) -> String {
    hex::encode(Sha256::digest(value.as_bytes()))
}

/// Stores the state of `challenge` for `user` and returns the Session value to send.
pub async fn open(
    s: &SignIn<'_>,
    challenge: ChallengeNameType,
    user: &User,
    state: &SessionState,
) -> Result<String, Error> {
    open_with(s, challenge, &user.username, state).await
}

/// [`open`] for a flow that keeps its own state (the custom challenge flow's history), for
/// `username`: the user's internal username, or the name typed for a user that does not
/// exist (custom challenges run for them with `userNotFound`).
pub async fn open_with<T: Serialize>(
    s: &SignIn<'_>,
    challenge: ChallengeNameType,
    username: &str,
    state: &T,
) -> Result<String, Error> {
    let mut bytes = [0u8; SESSION_BYTES];
    s.cx.rng.fill(&mut bytes);
    let value = URL_SAFE_NO_PAD.encode(bytes);
    open_as(s, value, challenge, username, state).await
}

/// [`open_with`] under a Session value the client already holds: one it has just answered
/// with (its row taken), so that the next challenge continues under the same value.
pub async fn open_as<T: Serialize>(
    s: &SignIn<'_>,
    value: String,
    challenge: ChallengeNameType,
    username: &str,
    state: &T,
) -> Result<String, Error> {
    let now = s.cx.now_ms();
    let row = AuthSession {
        id: session_id(&value),
        pool_id: s.pool.id.clone(),
        client_id: s.client.client_id.clone(),
        username: username.to_owned(),
        challenge: challenge.as_str().to_owned(),
        state: serde_json::to_string(state).map_err(Error::internal)?,
        created_ms: now,
        expires_ms: now.saturating_add(validity_ms(s.client)),
    };
    s.cx.store.insert_auth_session(&row).await?;
    Ok(value)
}

/// Takes the session `value` for an answer to `challenge`: it must exist, belong to this
/// pool and client, wait for this challenge, and be unexpired. Taken in every case, so a
/// failed answer needs a new sign-in, as in Cognito.
pub async fn take(
    s: &SignIn<'_>,
    value: Option<&str>,
    challenge: ChallengeNameType,
) -> Result<(AuthSession, SessionState), Error> {
    take_with(s, value, challenge).await
}

/// [`take`] for a flow that keeps its own state (see [`open_with`]).
pub async fn take_with<T: DeserializeOwned>(
    s: &SignIn<'_>,
    value: Option<&str>,
    challenge: ChallengeNameType,
) -> Result<(AuthSession, T), Error> {
    let value = value.ok_or_else(invalid_session)?;
    let row =
        s.cx.store
            .take_auth_session(&session_id(value))
            .await?
            .ok_or_else(invalid_session)?;
    check(
        &row,
        (&s.pool.id, &s.client.client_id),
        challenge,
        s.cx.now_ms(),
    )?;
    let state = serde_json::from_str(&row.state).map_err(|_| invalid_session())?;
    Ok((row, state))
}

/// Takes a session known only by its value, for the operations that carry a Session but no
/// client id (AssociateSoftwareToken and VerifySoftwareToken during MFA_SETUP). The row
/// names its pool and client, which the caller loads to continue the sign-in.
pub async fn take_unbound<T: DeserializeOwned>(
    cx: &crate::Cx,
    value: Option<&str>,
    challenge: ChallengeNameType,
) -> Result<(AuthSession, T), Error> {
    let value = value.ok_or_else(invalid_session)?;
    let row = cx
        .store
        .take_auth_session(&session_id(value))
        .await?
        .ok_or_else(invalid_session)?;
    check(&row, (&row.pool_id, &row.client_id), challenge, cx.now_ms())?;
    let state = serde_json::from_str(&row.state).map_err(|_| invalid_session())?;
    Ok((row, state))
}

/// Puts a taken session back with a new state and its original expiry, so that the same
/// Session value can answer again (a mistyped MFA code, which Cognito lets the user retry).
pub async fn put_back<T: Serialize>(
    cx: &crate::Cx,
    mut row: AuthSession,
    state: &T,
) -> Result<(), Error> {
    row.state = serde_json::to_string(state).map_err(Error::internal)?;
    cx.store.insert_auth_session(&row).await?;
    Ok(())
}

/// A taken session continues this sign-in only if it is this pool's and client's, waits for
/// this challenge, and has not expired.
fn check(
    row: &AuthSession,
    (pool_id, client_id): (&str, &str),
    challenge: ChallengeNameType,
    now_ms: i64,
) -> Result<(), Error> {
    if row.pool_id != pool_id || row.client_id != client_id || row.challenge != challenge.as_str() {
        return Err(invalid_session());
    }
    if now_ms >= row.expires_ms {
        return Err(session_expired());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use monban_wire::idp::UserPoolClientType;

    use super::*;

    #[test]
    fn validity_follows_the_client_within_cognito_bounds() {
        let mut client = AppClient {
            pool_id: "p".to_owned(),
            client_id: "c".to_owned(),
            name: "n".to_owned(),
            secret: None,
            created_ms: 0,
            modified_ms: 0,
            version: 1,
            config: UserPoolClientType::default(),
        };
        assert_eq!(validity_ms(&client), 180_000);
        client.config.auth_session_validity = Some(15);
        assert_eq!(validity_ms(&client), 900_000);
        client.config.auth_session_validity = Some(99);
        assert_eq!(validity_ms(&client), 180_000);
    }

    #[test]
    fn the_id_is_a_hash_of_the_value() {
        let id = session_id("abc");
        assert_eq!(id.len(), 64);
        assert_ne!(id, "abc");
        assert_eq!(id, session_id("abc"));
    }

    #[test]
    fn a_session_continues_only_its_own_challenge_until_it_expires() {
        let row = AuthSession {
            id: session_id("v"),
            pool_id: "p".to_owned(),
            client_id: "c".to_owned(),
            username: "alice".to_owned(),
            challenge: "NEW_PASSWORD_REQUIRED".to_owned(),
            state: "{}".to_owned(),
            created_ms: 0,
            expires_ms: 180_000,
        };
        let npr = ChallengeNameType::NewPasswordRequired;
        assert!(check(&row, ("p", "c"), npr, 179_999).is_ok());
        let expired = check(&row, ("p", "c"), npr, 180_000).unwrap_err();
        assert_eq!(
            expired.message,
            "Invalid session for the user, session is expired."
        );
        for (ids, challenge) in [
            (("p", "other"), npr),
            (("other", "c"), npr),
            (("p", "c"), ChallengeNameType::SmsMfa),
        ] {
            let e = check(&row, ids, challenge, 0).unwrap_err();
            assert_eq!(e.message, "Invalid session for the user.");
        }
    }

    #[test]
    fn state_round_trips() {
        let state = SessionState {
            sub: "s".to_owned(),
            auth_time_ms: 7,
            device_key: None,
        };
        let json = serde_json::to_string(&state).unwrap();
        assert_eq!(serde_json::from_str::<SessionState>(&json).unwrap(), state);
    }
}
