//! `DecoyStore`: failures counted against names a pool does not have. With
//! PreventUserExistenceErrors an unknown name must be answered as an existing user is, past
//! the limits too: the sign-in lockout and the code attempt limit come after the same
//! number of tries, and each failure costs the same database write. The counts live in the
//! store (not in a node's memory) so that every node, and a restart, agrees.

use async_trait::async_trait;

use crate::cx::Rng;
use crate::entities::UserPool;
use crate::store::StoreResult;
use crate::users::{normalise, KeyKind, NameRules};

/// The name an unknown user's attempts are kept under: normalised as the pool normalises
/// usernames, so that `Nobody` and `nobody` share one count in a case-insensitive pool, as
/// the spellings of a real user's name share theirs.
pub fn decoy_name(pool: &UserPool, typed: &str) -> String {
    normalise(&NameRules::of(pool), KeyKind::Username, typed)
}

/// The failures of one unknown name (normalised as usernames are) for one purpose
/// (`sign_in`, or a code purpose such as `forgot_password`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecoyAttempts {
    pub pool_id: String,
    pub name: String,
    pub purpose: String,
    pub failures: i64,
    /// When the last failure was counted (epoch ms); `None` right after a simulated code
    /// was "issued".
    pub last_failure_ms: Option<i64>,
    /// After this (epoch ms) the row counts as absent: a real user's count would have been
    /// forgotten, or its code expired, by then.
    pub expires_ms: i64,
}

#[async_trait]
pub trait DecoyStore: Send + Sync {
    /// The attempts of `name` for `purpose`, unless expired at `now_ms`.
    async fn get_decoy_attempts(
        &self,
        pool_id: &str,
        name: &str,
        purpose: &str,
        now_ms: i64,
    ) -> StoreResult<Option<DecoyAttempts>>;
    /// Stores the attempts, replacing the earlier row of the same name and purpose
    /// (`NotFound` if the pool is gone).
    async fn put_decoy_attempts(&self, attempts: &DecoyAttempts) -> StoreResult<()>;
    /// Deletes the pool's rows expired at `now_ms`; returns how many. One pool at a time:
    /// `now_ms` is the caller's clock, which must not decide for other pools.
    async fn purge_decoy_attempts(&self, pool_id: &str, now_ms: i64) -> StoreResult<u64>;
}

/// One write in this many also deletes the expired rows, so that names tried once (an
/// attacker can try many) do not pile up, without a sweeper and at no cost to the median.
const PURGE_EVERY: u16 = 1024;

/// Stores `attempts` ([`DecoyStore::put_decoy_attempts`]), now and then purging the rows
/// expired at `now_ms`.
pub async fn put_attempts<S>(
    store: &S,
    rng: &dyn Rng,
    attempts: &DecoyAttempts,
    now_ms: i64,
) -> StoreResult<()>
where
    S: DecoyStore + ?Sized,
{
    store.put_decoy_attempts(attempts).await?;
    let mut draw = [0u8; 2];
    rng.fill(&mut draw);
    if u16::from_le_bytes(draw) % PURGE_EVERY == 0 {
        store
            .purge_decoy_attempts(&attempts.pool_id, now_ms)
            .await?;
    }
    Ok(())
}
