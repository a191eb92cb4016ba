//! How a receiver can tell monban's trigger calls from forgeries. monban has no KMS, so
//! this signature (and HTTPS to the receiver) is what protects an event, including the
//! plaintext `request.code` of the custom sender triggers.
//!
//! Each request carries:
//! - `X-Monban-Timestamp`: Unix seconds when it was signed;
//! - `X-Monban-Signature`: `v1=` + lowercase hex of
//!   HMAC-SHA256(key = the pool's signing secret, message = `"{timestamp}.{body}"`),
//!   where body is the exact request body bytes.
//!
//! The pool's signing secret is a 64-character hex string (`monban triggers secret
//! --pool-id …` prints it); it is used as the HMAC key as-is (its ASCII bytes). A receiver
//! recomputes the HMAC, compares in constant time, and rejects timestamps far from its
//! clock (say more than 5 minutes) to stop replays.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::auth::server_secrets::ServerSecrets;
use crate::error::Error;
use crate::store::SecretStore;
use crate::{Cx, Rng};

pub const TIMESTAMP_HEADER: &str = "x-monban-timestamp";
pub const SIGNATURE_HEADER: &str = "x-monban-signature";

/// Random bytes behind a pool's signing secret.
const SECRET_BYTES: usize = 32;

/// The `SecretStore` name of a pool's trigger signing secret.
pub fn secret_name(pool_id: &str) -> String {
    format!("trigger-hmac:{pool_id}")
}

/// The pool's signing secret (made on first use, the same on every node).
pub async fn signing_secret(cx: &Cx, pool_id: &str) -> Result<String, Error> {
    signing_secret_from(&cx.secrets, cx.store.as_ref(), cx.rng.as_ref(), pool_id).await
}

/// [`signing_secret`] without a `Cx` (the webhook adapter).
pub async fn signing_secret_from(
    cache: &ServerSecrets,
    store: &dyn SecretStore,
    rng: &dyn Rng,
    pool_id: &str,
) -> Result<String, Error> {
    let bytes = cache
        .get_from(store, rng, &secret_name(pool_id), SECRET_BYTES)
        .await?;
    Ok(hex::encode(bytes.as_slice()))
}

/// The `X-Monban-Signature` value of `body` signed at `timestamp`.
pub fn signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    // HMAC accepts keys of any length, so this cannot fail.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("v1={}", hex::encode(mac.finalize().into_bytes()))
}
