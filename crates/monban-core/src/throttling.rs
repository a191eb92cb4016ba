//! Per-source throttling of the public sign-in and sign-up operations: one token bucket per
//! source address, so that one client cannot exhaust the service (and its password hashing)
//! for everyone. Cognito answers `TooManyRequestsException` past its quotas; so does monban.
//!
//! The buckets live in each node's memory: with N nodes behind a load balancer a source
//! gets up to N times the rate. That is enough to keep one source from starving the others;
//! the per-user guard against password guessing is the lockout, which is in the store.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

/// Rate and burst of the buckets. `rate_per_sec == 0` turns throttling off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottleSettings {
    /// Requests per second a source may sustain.
    pub rate_per_sec: u32,
    /// Requests a source may make at once after being quiet.
    pub burst: u32,
}

impl Default for ThrottleSettings {
    /// Far above what one honest client (or the project's test suites) sends from one
    /// address, far below what a brute-force script would like.
    fn default() -> Self {
        Self {
            rate_per_sec: 200,
            burst: 1000,
        }
    }
}

impl ThrottleSettings {
    pub fn enabled(&self) -> bool {
        self.rate_per_sec > 0 && self.burst > 0
    }
}

/// Sources tracked at most; past it, buckets that have refilled (idle sources) are dropped
/// first, and if all are busy the table starts over rather than growing without bound.
const MAX_SOURCES: usize = 100_000;

/// A token is worth this many units: a bucket refills `rate_per_sec` units a millisecond,
/// in exact integer arithmetic.
const UNIT: i64 = 1000;

#[derive(Debug, Clone, Copy)]
struct Bucket {
    units: i64,
    updated_ms: i64,
}

/// The buckets of one node, by source address (`None`: the address is unknown, as when
/// the router runs without connection information; those requests share one bucket).
#[derive(Debug)]
pub struct TokenBuckets {
    settings: ThrottleSettings,
    buckets: Mutex<HashMap<Option<IpAddr>, Bucket>>,
}

impl TokenBuckets {
    pub fn new(settings: ThrottleSettings) -> Self {
        Self {
            settings,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token for `source` at `now_ms`; false when its bucket is empty (the
    /// request must be refused). Always true when throttling is off.
    pub fn try_take(&self, source: Option<IpAddr>, now_ms: i64) -> bool {
        if !self.settings.enabled() {
            return true;
        }
        let burst = i64::from(self.settings.burst).saturating_mul(UNIT);
        let rate = i64::from(self.settings.rate_per_sec);
        // A poisoned lock only means another request panicked mid-update: the map is
        // still a map of buckets.
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if buckets.len() >= MAX_SOURCES && !buckets.contains_key(&source) {
            buckets.retain(|_, b| refilled(b, now_ms, rate, burst) < burst);
            if buckets.len() >= MAX_SOURCES {
                buckets.clear();
            }
        }
        let bucket = buckets.entry(source).or_insert(Bucket {
            units: burst,
            updated_ms: now_ms,
        });
        bucket.units = refilled(bucket, now_ms, rate, burst);
        // A clock that went backwards (a development clock moved by hand) refills nothing.
        bucket.updated_ms = bucket.updated_ms.max(now_ms);
        if bucket.units >= UNIT {
            bucket.units -= UNIT;
            true
        } else {
            false
        }
    }
}

/// The units of `bucket` at `now_ms`: `rate_per_sec` tokens a second are `rate_per_sec`
/// units a millisecond, up to `burst`.
fn refilled(bucket: &Bucket, now_ms: i64, rate: i64, burst: i64) -> i64 {
    let elapsed = now_ms.saturating_sub(bucket.updated_ms).max(0);
    bucket
        .units
        .saturating_add(elapsed.saturating_mul(rate))
        .min(burst)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(last: u8) -> Option<IpAddr> {
        Some(IpAddr::from([10, 0, 0, last]))
    }

    #[test]
    fn a_source_gets_its_burst_then_the_rate() {
        let buckets = TokenBuckets::new(ThrottleSettings {
            rate_per_sec: 2,
            burst: 3,
        });
        let t = 1_000_000;
        assert!((0..3).all(|_| buckets.try_take(ip(1), t)));
        assert!(!buckets.try_take(ip(1), t));
        // Another source is not affected.
        assert!(buckets.try_take(ip(2), t));
        // Two per second: one token after 500 ms, not before.
        assert!(!buckets.try_take(ip(1), t + 499));
        assert!(buckets.try_take(ip(1), t + 500));
        assert!(!buckets.try_take(ip(1), t + 500));
        // A long quiet period refills the burst, never more.
        let later = t + 3_600_000;
        assert!((0..3).all(|_| buckets.try_take(ip(1), later)));
        assert!(!buckets.try_take(ip(1), later));
    }

    #[test]
    fn refused_requests_do_not_cost_tokens() {
        let buckets = TokenBuckets::new(ThrottleSettings {
            rate_per_sec: 1,
            burst: 1,
        });
        assert!(buckets.try_take(None, 0));
        for ms in (0..1000).step_by(100) {
            assert!(!buckets.try_take(None, ms));
        }
        assert!(buckets.try_take(None, 1000));
    }

    #[test]
    fn a_clock_going_backwards_refills_nothing() {
        let buckets = TokenBuckets::new(ThrottleSettings {
            rate_per_sec: 1,
            burst: 1,
        });
        assert!(buckets.try_take(ip(1), 10_000));
        assert!(!buckets.try_take(ip(1), 5_000));
        assert!(!buckets.try_take(ip(1), 10_999));
        assert!(buckets.try_take(ip(1), 11_000));
    }

    #[test]
    fn zero_rate_turns_throttling_off() {
        let buckets = TokenBuckets::new(ThrottleSettings {
            rate_per_sec: 0,
            burst: 0,
        });
        assert!((0..10_000).all(|_| buckets.try_take(ip(1), 0)));
    }
}
