//! The keyed hash codes are stored as: HMAC-SHA256 under a server-wide secret that every
//! node shares through the store, over the pool, the user, the purpose and the code. A
//! leaked table of hashes gives nothing without the secret, and a hash is useless for any
//! other user or purpose.

use subtle::ConstantTimeEq;

use crate::auth::hmac_sha256;
use crate::cx::Rng;
use crate::error::Error;
use crate::store::SecretStore;

/// Name of the server secret in the `SecretStore`.
const SECRET_NAME: &str = "code-hmac";

/// The server's code key, created (32 random bytes) by the first node that needs it.
pub(super) async fn code_key<S>(store: &S, rng: &dyn Rng) -> Result<Vec<u8>, Error>
where
    S: SecretStore + ?Sized,
{
    let mut candidate = [0u8; 32];
    rng.fill(&mut candidate);
    Ok(store.get_or_insert_secret(SECRET_NAME, &candidate).await?)
}

/// Hex of the keyed hash of `code` for this pool, user and purpose. Fields are
/// NUL-separated so that no two different tuples hash the same input.
pub(super) fn code_hash(key: &[u8], pool_id: &str, sub: &str, purpose: &str, code: &str) -> String {
    hex::encode(hmac_sha256(
        key,
        &[
            b"code\0",
            pool_id.as_bytes(),
            b"\0",
            sub.as_bytes(),
            b"\0",
            purpose.as_bytes(),
            b"\0",
            code.as_bytes(),
        ],
    ))
}

/// Constant-time comparison of two hashes.
pub(super) fn same_hash(stored: &str, presented: &str) -> bool {
    stored.as_bytes().ct_eq(presented.as_bytes()).into()
}

/// Stable pseudo-random bytes for a name that has no user, so that the simulated answers
/// given to unknown users do not change from one request to the next.
pub(super) fn simulation_bytes(key: &[u8], pool_id: &str, name: &str) -> [u8; 32] {
    hmac_sha256(
        key,
        &[b"simulated\0", pool_id.as_bytes(), b"\0", name.as_bytes()],
    )
}
