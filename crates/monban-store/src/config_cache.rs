//! A short-lived copy of user pool and app client rows: every token check reads both, and
//! they change rarely. Writes through this store drop the entry at once; a write from
//! another node is seen within [`TTL`] (DESIGN.md §5: caches are bounded and short-lived).
//! Users, token families and everything else that revocation depends on are never cached.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use monban_core::entities::{AppClient, UserPool};

/// How long another node's change to a pool or client may go unseen here.
pub(crate) const TTL: Duration = Duration::from_secs(1);

/// Entries per map before it is emptied and starts over: bounds memory with many pools.
const CAPACITY: usize = 4096;

#[derive(Default)]
pub(crate) struct ConfigCache {
    pub(crate) pools: TtlMap<UserPool>,
    pub(crate) clients: TtlMap<AppClient>,
}

impl ConfigCache {
    /// Forgets everything (the development reset empties the database under it).
    pub(crate) fn clear(&self) {
        self.pools.remove_where(|_| true);
        self.clients.remove_where(|_| true);
    }
}

pub(crate) struct TtlMap<V> {
    entries: Mutex<HashMap<String, (Instant, V)>>,
}

impl<V> Default for TtlMap<V> {
    fn default() -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
        }
    }
}

impl<V: Clone> TtlMap<V> {
    pub(crate) fn get(&self, key: &str) -> Option<V> {
        let entries = self.entries.lock().ok()?;
        let (stored, value) = entries.get(key)?;
        (stored.elapsed() < TTL).then(|| value.clone())
    }

    pub(crate) fn put(&self, key: &str, value: &V) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= CAPACITY {
                entries.clear();
            }
            entries.insert(key.to_owned(), (Instant::now(), value.clone()));
        }
    }

    pub(crate) fn remove(&self, key: &str) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.remove(key);
        }
    }

    /// Drops every entry `doomed` picks (the clients of a deleted pool).
    pub(crate) fn remove_where(&self, doomed: impl Fn(&V) -> bool) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.retain(|_, (_, value)| !doomed(value));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire_and_can_be_dropped() {
        let map = TtlMap::<String>::default();
        map.put("a", &"one".to_owned());
        assert_eq!(map.get("a").as_deref(), Some("one"));
        map.remove("a");
        assert_eq!(map.get("a"), None);
        map.put("b", &"two".to_owned());
        map.remove_where(|v| v == "two");
        assert_eq!(map.get("b"), None);
        map.put("c", &"three".to_owned());
        std::thread::sleep(TTL + Duration::from_millis(20));
        assert_eq!(map.get("c"), None);
    }
}
