//! `SECRET_HASH` (and `SecretHash`) of app clients with a secret:
//! Base64(HMAC-SHA256(key = client secret, msg = username ‖ client id)).

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use subtle::ConstantTimeEq;

use super::{hmac_sha256, BASE64_LENIENT};

/// The SECRET_HASH a client with this secret computes for `username`.
pub fn secret_hash(client_secret: &str, username: &str, client_id: &str) -> String {
    STANDARD.encode(digest(client_secret, username, client_id))
}

/// Whether `presented` is the SECRET_HASH for `username` under `client_secret`, compared in
/// constant time. A client may have two active secrets: call once per secret.
pub fn verify_secret_hash(
    client_secret: &str,
    username: &str,
    client_id: &str,
    presented: &str,
) -> bool {
    let Ok(presented) = BASE64_LENIENT.decode(presented) else {
        return false;
    };
    let expected = digest(client_secret, username, client_id);
    expected.ct_eq(presented.as_slice()).into()
}

fn digest(client_secret: &str, username: &str, client_id: &str) -> [u8; 32] {
    hmac_sha256(
        client_secret.as_bytes(),
        &[username.as_bytes(), client_id.as_bytes()],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    // The vector's own case is checked in srp/tests.rs, with the rest of srp-test-vector.json.
    const SECRET: &str = "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnop";
    const CLIENT_ID: &str = "1example23456789abcdefghij";
    const EXPECTED: &str = "ZlzLKRF0Yczf15mIG60LmoQP66/YXhu6oZgf9EThX/s=";

    #[test]
    fn secret_hash_rejects_other_inputs() {
        assert!(!verify_secret_hash(SECRET, "bob", CLIENT_ID, EXPECTED));
        assert!(!verify_secret_hash(
            "other-secret",
            "alice",
            CLIENT_ID,
            EXPECTED
        ));
        assert!(!verify_secret_hash(SECRET, "alice", "2example", EXPECTED));
        assert!(!verify_secret_hash(SECRET, "alice", CLIENT_ID, ""));
        assert!(!verify_secret_hash(
            SECRET,
            "alice",
            CLIENT_ID,
            "not base64!"
        ));
        // A prefix of the right hash is not the right hash.
        assert!(!verify_secret_hash(
            SECRET,
            "alice",
            CLIENT_ID,
            &EXPECTED[..20]
        ));
    }

    #[test]
    fn long_keys_are_hashed_as_hmac_requires() {
        // RFC 4231 test case 6: a 131-byte key.
        let key = [0xaau8; 131];
        let mac = hmac_sha256(
            &key,
            &[b"Test Using Larger Than Block-Size Key - Hash Key First"],
        );
        assert_eq!(
            hex::encode(mac),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }
}
