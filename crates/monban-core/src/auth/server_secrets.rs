//! Server-wide secrets (the SRP SECRET_BLOCK key, code-hashing keys, ...) that every node
//! must share: made once, stored through `SecretStore` (first writer wins), then kept in
//! this per-process cache. A stored secret never changes, so the cache needs no expiry.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use crate::error::Error;
use crate::store::SecretStore;
use crate::{Cx, Rng};

/// The cache behind [`Cx::secrets`](crate::Cx). Holds a handful of entries (one per name).
#[derive(Default)]
pub struct ServerSecrets {
    cache: RwLock<HashMap<String, Arc<Vec<u8>>>>,
}

impl ServerSecrets {
    /// The secret called `name`: `len` random bytes made by whichever node asked first.
    pub async fn get(&self, cx: &Cx, name: &str, len: usize) -> Result<Arc<Vec<u8>>, Error> {
        self.get_from(cx.store.as_ref(), cx.rng.as_ref(), name, len)
            .await
    }

    /// [`get`](Self::get) for holders of the store and randomness without a `Cx` (the
    /// trigger webhook adapter, which is itself part of the `Cx`).
    pub async fn get_from(
        &self,
        store: &dyn SecretStore,
        rng: &dyn Rng,
        name: &str,
        len: usize,
    ) -> Result<Arc<Vec<u8>>, Error> {
        if let Some(secret) = self.cached(name) {
            return Ok(secret);
        }
        let mut candidate = vec![0u8; len];
        rng.fill(&mut candidate);
        let stored = store.get_or_insert_secret(name, &candidate).await?;
        if stored.len() != len {
            return Err(Error::internal(format!(
                "stored secret {name} has {} bytes, expected {len}",
                stored.len()
            )));
        }
        let stored = Arc::new(stored);
        if let Ok(mut cache) = self.cache.write() {
            cache.insert(name.to_owned(), stored.clone());
        }
        Ok(stored)
    }

    /// Forgets every secret, so the next use reads (or makes) them again: after the store
    /// was emptied, say.
    pub fn clear(&self) {
        if let Ok(mut cache) = self.cache.write() {
            cache.clear();
        }
    }

    fn cached(&self, name: &str) -> Option<Arc<Vec<u8>>> {
        self.cache.read().ok()?.get(name).cloned()
    }
}

impl std::fmt::Debug for ServerSecrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ServerSecrets { .. }")
    }
}
