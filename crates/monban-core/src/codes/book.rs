//! Issuing and redeeming codes. The functions that do the work are generic over the store
//! so that the unit tests can run them on an in-memory store with a hand-moved clock; the
//! public ones take the operation's [`Cx`].

use crate::cx::{Clock, Rng};
use crate::decoy_store::{decoy_name, put_attempts, DecoyAttempts, DecoyStore};
use crate::entities::{ConfirmationCode, UserPool};
use crate::error::{Error, ErrorKind};
use crate::ids::random_from;
use crate::store::{CodeStore, SecretStore, StoreError};
use crate::Cx;

use super::hash::{code_hash, code_key, same_hash};
use super::{CodeSettings, Purpose};

const DIGITS: &[u8] = b"0123456789";
const CODE_LENGTH: usize = 6;

/// A code as sent to the user. It never reaches a log: `Debug` shows no digits.
#[derive(Clone, PartialEq, Eq)]
pub struct Code(String);

impl Code {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Code(<redacted>)")
    }
}

/// What the code functions need from a [`Cx`].
pub(super) struct Env<'a, S: ?Sized> {
    pub store: &'a S,
    pub clock: &'a dyn Clock,
    pub rng: &'a dyn Rng,
    pub settings: &'a CodeSettings,
}

impl<'a> Env<'a, dyn crate::store::Store> {
    pub fn of(cx: &'a Cx) -> Self {
        Self {
            store: cx.store.as_ref(),
            clock: cx.clock.as_ref(),
            rng: cx.rng.as_ref(),
            settings: &cx.settings.codes,
        }
    }
}

pub(super) fn mismatch() -> Error {
    Error::new(
        ErrorKind::CodeMismatchException,
        "Invalid verification code provided, please try again.",
    )
}

pub(super) fn expired() -> Error {
    Error::new(
        ErrorKind::ExpiredCodeException,
        "Invalid code provided, please request a code again.",
    )
}

pub(super) fn limit_exceeded() -> Error {
    Error::new(
        ErrorKind::LimitExceededException,
        "Attempt limit exceeded, please try after some time.",
    )
}

fn millis(duration: std::time::Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

pub(super) async fn issue<S>(
    env: &Env<'_, S>,
    pool_id: &str,
    sub: &str,
    purpose: Purpose,
    data: Option<&serde_json::Value>,
) -> Result<Code, Error>
where
    S: CodeStore + SecretStore + ?Sized,
{
    let code = Code(random_from(env.rng, DIGITS, CODE_LENGTH));
    let key = code_key(env.store, env.rng).await?;
    let now = env.clock.now_ms();
    let data = match data {
        Some(value) => serde_json::to_string(value).map_err(Error::internal)?,
        None => "null".to_owned(),
    };
    env.store
        .put_code(&ConfirmationCode {
            pool_id: pool_id.to_owned(),
            sub: sub.to_owned(),
            purpose: purpose.as_str().to_owned(),
            code_hash: code_hash(&key, pool_id, sub, purpose.as_str(), code.as_str()),
            created_ms: now,
            expires_ms: now.saturating_add(millis(purpose.validity(env.settings))),
            failed_attempts: 0,
            data,
        })
        .await?;
    Ok(code)
}

/// What a user without a live code is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoCode {
    /// `ExpiredCodeException` (Cognito's answer).
    Expired,
    /// `CodeMismatchException`, as for a wrong code: where the answer must not tell a user
    /// without a code from a name the pool does not have (PreventUserExistenceErrors).
    Mismatch,
}

impl NoCode {
    fn error(self) -> Error {
        match self {
            Self::Expired => expired(),
            Self::Mismatch => mismatch(),
        }
    }
}

pub(super) async fn redeem<S>(
    env: &Env<'_, S>,
    pool_id: &str,
    sub: &str,
    purpose: Purpose,
    presented: &str,
    no_code: NoCode,
) -> Result<ConfirmationCode, Error>
where
    S: CodeStore + SecretStore + ?Sized,
{
    let key = code_key(env.store, env.rng).await?;
    let presented = code_hash(&key, pool_id, sub, purpose.as_str(), presented);
    let Some(code) = env.store.get_code(pool_id, sub, purpose.as_str()).await? else {
        return Err(no_code.error());
    };
    if env.clock.now_ms() >= code.expires_ms {
        env.store
            .delete_code(pool_id, sub, purpose.as_str())
            .await?;
        return Err(no_code.error());
    }
    if code.failed_attempts >= i64::from(env.settings.max_failed_attempts) {
        return Err(limit_exceeded());
    }
    if !same_hash(&code.code_hash, &presented) {
        count_failure(env.store, pool_id, sub, purpose).await?;
        return Err(mismatch());
    }
    // Only the caller whose delete removed the row may act on the code.
    if env
        .store
        .delete_code(pool_id, sub, purpose.as_str())
        .await?
    {
        Ok(code)
    } else {
        Err(expired())
    }
}

async fn count_failure<S>(
    store: &S,
    pool_id: &str,
    sub: &str,
    purpose: Purpose,
) -> Result<(), Error>
where
    S: CodeStore + ?Sized,
{
    match store
        .record_code_failure(pool_id, sub, purpose.as_str())
        .await
    {
        // Replaced or redeemed meanwhile: the presented code was still wrong.
        Ok(_) | Err(StoreError::NotFound) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// The wrong-code path for a name the pool does not have, doing the same work as for a
/// user that has a code (key, hash, a read and a counted failure) and giving the same
/// answers: `CodeMismatchException`, then `LimitExceededException` after as many wrong
/// codes as a real code accepts. The count is kept under `name` (already normalised) until
/// a real code would have expired, or a simulated new one ([`simulate_issue`]) resets it.
/// For purposes a user holds a code of only after asking ([`Purpose::held_unasked`]), a
/// name without a simulated code is answered as a user without a code is under
/// [`NoCode::Mismatch`]: `CodeMismatchException`, nothing counted.
pub(super) async fn reject_unknown<S>(
    env: &Env<'_, S>,
    pool_id: &str,
    name: &str,
    purpose: Purpose,
    presented: &str,
) -> Error
where
    S: CodeStore + SecretStore + DecoyStore + ?Sized,
{
    let work = async {
        let key = code_key(env.store, env.rng).await?;
        let _ = code_hash(&key, pool_id, name, purpose.as_str(), presented);
        let now = env.clock.now_ms();
        let stored = env
            .store
            .get_decoy_attempts(pool_id, name, purpose.as_str(), now)
            .await?;
        if stored.is_none() && !purpose.held_unasked() {
            // As a user who never asked for a code (or whose code expired): nothing to
            // count a wrong code against.
            return Ok(mismatch());
        }
        let failures = stored.as_ref().map_or(0, |a| a.failures);
        if failures >= i64::from(env.settings.max_failed_attempts) {
            return Ok(limit_exceeded());
        }
        let expires_ms = match stored {
            Some(a) => a.expires_ms,
            None => now.saturating_add(millis(purpose.validity(env.settings))),
        };
        let attempts = DecoyAttempts {
            pool_id: pool_id.to_owned(),
            name: name.to_owned(),
            purpose: purpose.as_str().to_owned(),
            failures: failures.saturating_add(1),
            last_failure_ms: Some(now),
            expires_ms,
        };
        put_attempts(env.store, env.rng, &attempts, now).await?;
        Ok(mismatch())
    };
    match work.await {
        Ok(e) | Err(e) => e,
    }
}

/// What issuing a code is for a real user, for a name the pool does not have: one write
/// that starts a fresh count of wrong codes, valid as long as a real code.
pub(super) async fn simulate_issue<S>(
    env: &Env<'_, S>,
    pool_id: &str,
    name: &str,
    purpose: Purpose,
) -> Result<(), Error>
where
    S: DecoyStore + ?Sized,
{
    let now = env.clock.now_ms();
    let attempts = DecoyAttempts {
        pool_id: pool_id.to_owned(),
        name: name.to_owned(),
        purpose: purpose.as_str().to_owned(),
        failures: 0,
        last_failure_ms: None,
        expires_ms: now.saturating_add(millis(purpose.validity(env.settings))),
    };
    Ok(put_attempts(env.store, env.rng, &attempts, now).await?)
}

/// Issues a new code for `purpose`, replacing the user's earlier one; `data` is kept with
/// it (the value being verified, say) and comes back from [`redeem_code`].
pub async fn issue_code(
    cx: &Cx,
    pool_id: &str,
    sub: &str,
    purpose: Purpose,
    data: Option<&serde_json::Value>,
) -> Result<Code, Error> {
    issue(&Env::of(cx), pool_id, sub, purpose, data).await
}

/// Checks `presented` against the user's code for `purpose` and uses it up:
/// - no code, or expired → `ExpiredCodeException: Invalid code provided, please request a
///   code again.`, or `CodeMismatchException` (nothing counted) with [`NoCode::Mismatch`];
/// - wrong → `CodeMismatchException: Invalid verification code provided, please try
///   again.`, and the failure is counted;
/// - after too many wrong codes → `LimitExceededException: Attempt limit exceeded, please
///   try after some time.` whatever is presented, until a new code is issued;
/// - right → the stored code (for its `data`), deleted so that it works once.
pub async fn redeem_code(
    cx: &Cx,
    pool_id: &str,
    sub: &str,
    purpose: Purpose,
    presented: &str,
    no_code: NoCode,
) -> Result<ConfirmationCode, Error> {
    redeem(&Env::of(cx), pool_id, sub, purpose, presented, no_code).await
}

/// Puts back a code redeemed by this request, when what it authorised failed for a reason
/// the user can correct (an alias taken, say), so that the same code can be presented
/// again.
pub async fn restore_code(cx: &Cx, code: &ConfirmationCode) -> Result<(), Error> {
    Ok(cx.store.put_code(code).await?)
}

/// `CodeMismatchException` for a user that does not exist (`typed`: the name asked
/// about), after the same work a wrong code costs for one that does, and
/// `LimitExceededException` after as many tries (PreventUserExistenceErrors).
pub async fn reject_unknown_user(
    cx: &Cx,
    pool: &UserPool,
    typed: &str,
    purpose: Purpose,
    presented: &str,
) -> Error {
    let name = decoy_name(pool, typed);
    reject_unknown(&Env::of(cx), &pool.id, &name, purpose, presented).await
}

/// The `data` a code was issued with, if any.
pub fn code_data(code: &ConfirmationCode) -> Option<serde_json::Value> {
    serde_json::from_str::<serde_json::Value>(&code.data)
        .ok()
        .filter(|v| !v.is_null())
}
