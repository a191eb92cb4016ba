//! Pruning: records older than the retention go, and a checkpoint signed with a server
//! secret (HMAC-SHA256 over the last pruned record's number and hash) takes their place as
//! the start of verification. Forging a checkpoint to hide a deletion needs that secret.

use subtle::ConstantTimeEq;

use super::store::AuditStore;
use crate::auth::hmac_sha256;
use crate::auth::server_secrets::ServerSecrets;
use crate::error::Error;
use crate::store::SecretStore;
use crate::Rng;

/// Name of the server secret that signs checkpoints.
const KEY_NAME: &str = "audit-checkpoint-key";
const KEY_LEN: usize = 32;

/// The pruned prefix of the chain: everything up to and including record `seq`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub seq: i64,
    /// The hash of record `seq`.
    pub hash: String,
    /// Hex HMAC-SHA256 of [`signed_text`].
    pub signature: String,
    pub created_ms: i64,
}

fn signed_text(seq: i64, hash: &str) -> String {
    format!("monban-audit-checkpoint-v1\n{seq}\n{hash}")
}

/// The key that signs checkpoints (made on first use, shared by every node). Takes the
/// store rather than a `Cx`, for the admin commands.
pub async fn checkpoint_key(
    store: &dyn SecretStore,
    rng: &dyn Rng,
) -> Result<std::sync::Arc<Vec<u8>>, Error> {
    ServerSecrets::default()
        .get_from(store, rng, KEY_NAME, KEY_LEN)
        .await
}

pub fn sign_checkpoint(key: &[u8], seq: i64, hash: &str) -> String {
    hex::encode(hmac_sha256(key, &[signed_text(seq, hash).as_bytes()]))
}

impl Checkpoint {
    pub fn is_signed_by(&self, key: &[u8]) -> bool {
        let expected = sign_checkpoint(key, self.seq, &self.hash);
        bool::from(expected.as_bytes().ct_eq(self.signature.as_bytes()))
    }
}

/// Removes the records older than `before_ms` (never the newest record, which the next
/// append links to), leaving a signed checkpoint. Returns the number of records removed.
pub async fn prune(
    store: &dyn AuditStore,
    key: &[u8],
    before_ms: i64,
    now_ms: i64,
) -> Result<u64, Error> {
    let Some((seq, hash)) = store.audit_prune_point(before_ms).await? else {
        return Ok(0);
    };
    let checkpoint = Checkpoint {
        signature: sign_checkpoint(key, seq, &hash),
        seq,
        hash,
        created_ms: now_ms,
    };
    Ok(store.prune_audit(&checkpoint).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_checkpoint_verifies_only_with_its_key_and_content() {
        let key = [7u8; 32];
        let cp = Checkpoint {
            seq: 10,
            hash: "ab".repeat(32),
            signature: sign_checkpoint(&key, 10, &"ab".repeat(32)),
            created_ms: 0,
        };
        assert!(cp.is_signed_by(&key));
        assert!(!cp.is_signed_by(&[8u8; 32]));
        assert!(!Checkpoint {
            seq: 11,
            ..cp.clone()
        }
        .is_signed_by(&key));
    }
}
