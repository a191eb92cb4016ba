//! The per-process cache of parsed signing keys, so that signing and verifying never parse
//! a key or read the database on the hot path.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use super::keys::LoadedKey;

/// Pools whose keys are kept; the least recently loaded goes first beyond that.
const DEFAULT_CAPACITY: usize = 1024;
/// How long (ms) a pool's key set is trusted before it is read again, so that a key
/// rotated on another node (or by `monban keys rotate`) is used here soon after.
const FRESH_FOR_MS: i64 = 60_000;

/// Parsed signing keys per pool (`Cx.keys`): bounded, refreshed from the store after a
/// short time or when a token names an unknown `kid`. Keys are immutable rows, so a cached
/// key is never wrong, only possibly incomplete.
pub struct KeyRing {
    pools: RwLock<HashMap<String, Arc<PoolKeys>>>,
    capacity: usize,
}

/// One pool's keys as read at `loaded_ms` (by `Cx.clock`, the clock key ages are measured
/// with), newest first.
pub(crate) struct PoolKeys {
    pub loaded_ms: i64,
    pub keys: Vec<Arc<LoadedKey>>,
}

impl PoolKeys {
    /// How long ago the keys were read; `None` if the clock went backwards since.
    pub(crate) fn age_ms(&self, now_ms: i64) -> Option<i64> {
        Some(now_ms - self.loaded_ms).filter(|age| *age >= 0)
    }

    pub(crate) fn is_fresh(&self, now_ms: i64) -> bool {
        self.age_ms(now_ms).is_some_and(|age| age < FRESH_FOR_MS)
    }
}

impl KeyRing {
    pub fn new() -> Self {
        Self::with_capacity(DEFAULT_CAPACITY)
    }

    /// A ring that keeps the keys of at most `capacity` pools.
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            pools: RwLock::new(HashMap::new()),
            capacity: capacity.max(1),
        }
    }

    pub(crate) fn get(&self, pool_id: &str) -> Option<Arc<PoolKeys>> {
        // A poisoned lock only means another thread panicked mid-insert of an Arc: the
        // map is still consistent.
        let pools = self.pools.read().unwrap_or_else(|e| e.into_inner());
        pools.get(pool_id).cloned()
    }

    pub(crate) fn put(&self, pool_id: &str, keys: Arc<PoolKeys>) {
        let mut pools = self.pools.write().unwrap_or_else(|e| e.into_inner());
        if !pools.contains_key(pool_id) && pools.len() >= self.capacity {
            let oldest = pools
                .iter()
                .min_by_key(|(_, k)| k.loaded_ms)
                .map(|(id, _)| id.clone());
            if let Some(oldest) = oldest {
                pools.remove(&oldest);
            }
        }
        pools.insert(pool_id.to_owned(), keys);
    }

    pub(crate) fn forget(&self, pool_id: &str) {
        let mut pools = self.pools.write().unwrap_or_else(|e| e.into_inner());
        pools.remove(pool_id);
    }

    /// Forgets every pool's keys (after the store was emptied, say).
    pub fn clear(&self) {
        let mut pools = self.pools.write().unwrap_or_else(|e| e.into_inner());
        pools.clear();
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.pools.read().unwrap_or_else(|e| e.into_inner()).len()
    }
}

impl Default for KeyRing {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for KeyRing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let pools = self.pools.read().unwrap_or_else(|e| e.into_inner());
        f.debug_struct("KeyRing")
            .field("pools", &pools.len())
            .field("capacity", &self.capacity)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ring_is_bounded() {
        let ring = KeyRing::with_capacity(2);
        for (loaded_ms, pool) in ["a", "b", "c"].into_iter().enumerate() {
            ring.put(
                pool,
                Arc::new(PoolKeys {
                    loaded_ms: loaded_ms as i64,
                    keys: vec![],
                }),
            );
        }
        assert_eq!(ring.len(), 2);
        assert!(ring.get("a").is_none(), "the oldest entry is evicted");
        assert!(ring.get("c").is_some());
        ring.forget("c");
        assert!(ring.get("c").is_none());
        ring.clear();
        assert_eq!(ring.len(), 0);
    }

    #[test]
    fn freshness_follows_the_clock_and_distrusts_it_going_back() {
        let keys = PoolKeys {
            loaded_ms: 1_000_000,
            keys: vec![],
        };
        assert!(keys.is_fresh(1_000_000));
        assert!(keys.is_fresh(1_000_000 + FRESH_FOR_MS - 1));
        assert!(!keys.is_fresh(1_000_000 + FRESH_FOR_MS));
        assert!(!keys.is_fresh(999_999));
        assert_eq!(keys.age_ms(999_999), None);
    }
}
