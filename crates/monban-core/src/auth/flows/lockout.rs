//! Failed sign-in lockout (flows.md §4): the first failures are free, then each failure
//! locks the user out for a time that starts at 1 s and doubles, up to a cap; attempts
//! during a lockout are refused without being counted (so they cannot extend it), and the
//! count is forgotten after a success or after a quiet period, as long as the cap, following
//! the last lockout. The count lives in the user's row and is written with the user's
//! version, so every node agrees.

use crate::entities::{User, UserData, UserPool};
use crate::error::Error;
use crate::pool_config::{update_with_retry, AttemptError};
use crate::store::StoreError;
use crate::Cx;

/// Lockout thresholds. Cognito's: 5 free failures, lockouts capped at 15 minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockoutSettings {
    /// Failures before the first lockout: the n-th failure (n ≥ this) locks the user out
    /// for 2^(n − this) seconds.
    pub free_failures: u32,
    /// The longest lockout, and the quiet period after which the count is forgotten.
    pub max_lockout_ms: i64,
}

impl Default for LockoutSettings {
    fn default() -> Self {
        Self {
            free_failures: 5,
            max_lockout_ms: 15 * 60 * 1000,
        }
    }
}

/// 2^40 s is far past any sensible cap; the exponent stops there.
const MAX_DOUBLINGS: u32 = 40;

impl LockoutSettings {
    /// How long the `failures`-th failure locks the user out (0: not at all).
    pub fn lockout_ms(&self, failures: u32) -> i64 {
        if failures == 0 || failures < self.free_failures.max(1) {
            return 0;
        }
        let doublings = (failures - self.free_failures.max(1)).min(MAX_DOUBLINGS);
        (1000i64 << doublings).min(self.max_lockout_ms.max(0))
    }

    /// The failures that still count at `now_ms`: none once a quiet period as long as the
    /// cap has followed the end of the last lockout (so that waiting out a capped lockout
    /// does not buy a fresh set of free attempts).
    pub fn counted_failures(&self, data: &UserData, now_ms: i64) -> u32 {
        let Some(last) = data.last_failed_sign_in_ms else {
            return 0;
        };
        let lockout_end = last.saturating_add(self.lockout_ms(data.failed_sign_ins));
        if now_ms < lockout_end.saturating_add(self.max_lockout_ms) {
            data.failed_sign_ins
        } else {
            0
        }
    }

    /// Whether the user is locked out at `now_ms`.
    pub fn is_locked(&self, data: &UserData, now_ms: i64) -> bool {
        let Some(last) = data.last_failed_sign_in_ms else {
            return false;
        };
        let lockout = self.lockout_ms(self.counted_failures(data, now_ms));
        lockout > 0 && now_ms < last.saturating_add(lockout)
    }

    /// Counts one failure at `now_ms` (after the quiet period, as the first of a new run).
    pub fn count_failure(&self, data: &mut UserData, now_ms: i64) {
        data.failed_sign_ins = self.counted_failures(data, now_ms).saturating_add(1);
        data.last_failed_sign_in_ms = Some(now_ms);
    }
}

/// `NotAuthorizedException: Password attempts exceeded` while the user is locked out.
pub fn check_not_locked(cx: &Cx, user: &User) -> Result<(), Error> {
    check_counts_not_locked(cx, &user.data)
}

/// [`check_not_locked`] for counts kept elsewhere (an unknown name's, by the decoy).
pub(super) fn check_counts_not_locked(cx: &Cx, data: &UserData) -> Result<(), Error> {
    if cx.settings.lockout.is_locked(data, cx.now_ms()) {
        Err(Error::not_authorized("Password attempts exceeded"))
    } else {
        Ok(())
    }
}

/// Records a failed sign-in of `user` (read-modify-write under the user's version, re-read
/// when another node wrote first). The user's last-modified date is left alone: a failed
/// sign-in is not a change of the user.
pub async fn record_failure(cx: &Cx, pool: &UserPool, user: &User) -> Result<(), Error> {
    let now = cx.now_ms();
    let settings = cx.settings.lockout;
    write_counts(cx, pool, user, |data| settings.count_failure(data, now)).await
}

/// Forgets the failures of `user` after a successful sign-in; no write when there are none.
/// Returns the user as stored.
pub async fn clear_failures(cx: &Cx, pool: &UserPool, mut user: User) -> Result<User, Error> {
    if user.data.failed_sign_ins == 0 && user.data.last_failed_sign_in_ms.is_none() {
        return Ok(user);
    }
    write_counts(cx, pool, &user, clear).await?;
    clear(&mut user.data);
    user.version += 1;
    Ok(user)
}

fn clear(data: &mut UserData) {
    data.failed_sign_ins = 0;
    data.last_failed_sign_in_ms = None;
}

async fn write_counts(
    cx: &Cx,
    pool: &UserPool,
    user: &User,
    change: impl Fn(&mut UserData),
) -> Result<(), Error> {
    let change = &change;
    let mut first = Some(user.clone());
    update_with_retry(|| {
        let fresh = first.take();
        async move {
            let mut user = match fresh {
                Some(user) => user,
                None => match cx.store.get_user_by_sub(&pool.id, &user.sub).await? {
                    Some(user) => user,
                    // Deleted meanwhile: nothing left to count against.
                    None => return Ok(()),
                },
            };
            change(&mut user.data);
            match cx.store.update_user_data(&user).await {
                Ok(()) | Err(StoreError::NotFound) => Ok(()),
                Err(e) => Err(AttemptError::from(e)),
            }
        }
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: LockoutSettings = LockoutSettings {
        free_failures: 5,
        max_lockout_ms: 900_000,
    };

    fn data(failures: u32, last: Option<i64>) -> UserData {
        UserData {
            failed_sign_ins: failures,
            last_failed_sign_in_ms: last,
            ..UserData::default()
        }
    }

    #[test]
    fn lockout_doubles_from_one_second_after_the_free_failures() {
        assert_eq!(S.lockout_ms(0), 0);
        assert_eq!(S.lockout_ms(4), 0);
        assert_eq!(S.lockout_ms(5), 1_000);
        assert_eq!(S.lockout_ms(6), 2_000);
        assert_eq!(S.lockout_ms(7), 4_000);
        assert_eq!(S.lockout_ms(14), 512_000);
        // 1024 s is over the cap of 15 minutes.
        assert_eq!(S.lockout_ms(15), 900_000);
        assert_eq!(S.lockout_ms(u32::MAX), 900_000);
    }

    #[test]
    fn locked_only_until_the_lockout_ends() {
        let t = 1_000_000;
        assert!(!S.is_locked(&data(4, Some(t)), t));
        let d = data(6, Some(t));
        assert!(S.is_locked(&d, t));
        assert!(S.is_locked(&d, t + 1_999));
        assert!(!S.is_locked(&d, t + 2_000));
        assert!(!S.is_locked(&data(0, None), t));
    }

    #[test]
    fn counting_runs_up_the_lockout_and_never_past_the_cap() {
        let mut d = UserData::default();
        let mut now = 0;
        for _ in 0..100 {
            // An attacker failing as soon as each lockout ends.
            now += S.lockout_ms(S.counted_failures(&d, now)).max(1);
            assert!(!S.is_locked(&d, now));
            S.count_failure(&mut d, now);
            let until = d.last_failed_sign_in_ms.unwrap_or(0) + S.lockout_ms(d.failed_sign_ins);
            assert!(until - now <= S.max_lockout_ms);
        }
        assert_eq!(d.failed_sign_ins, 100);
        assert!(S.is_locked(&d, now + S.max_lockout_ms - 1));
        assert!(!S.is_locked(&d, now + S.max_lockout_ms));
    }

    #[test]
    fn a_quiet_period_as_long_as_the_cap_forgets_the_failures() {
        let t = 5_000_000;
        // The 9th failure locks for 16 s; the quiet period starts when that ends.
        let d = data(9, Some(t));
        assert_eq!(S.counted_failures(&d, t + 16_000 + 899_999), 9);
        assert_eq!(S.counted_failures(&d, t + 16_000 + 900_000), 0);
        let mut d = d;
        S.count_failure(&mut d, t + 16_000 + 900_000);
        assert_eq!(d.failed_sign_ins, 1);
        assert!(!S.is_locked(&d, t + 16_000 + 900_000));
        // A few free failures are forgotten after the quiet period alone.
        let d = data(3, Some(t));
        assert_eq!(S.counted_failures(&d, t + 899_999), 3);
        assert_eq!(S.counted_failures(&d, t + 900_000), 0);
    }

    #[test]
    fn zero_free_failures_locks_from_the_first() {
        let s = LockoutSettings {
            free_failures: 0,
            max_lockout_ms: 60_000,
        };
        assert_eq!(s.lockout_ms(1), 1_000);
        assert_eq!(s.lockout_ms(2), 2_000);
    }
}
