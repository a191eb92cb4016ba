//! The session token of minted credentials: a sealed envelope that carries everything the
//! credentials stand for, so that nothing needs storing and every node can check them.
//! XChaCha20-Poly1305 under a 32-byte server key, random 192-bit nonce; the plaintext is
//! JSON. The token is confidential (it holds the secret access key) and authenticated (a
//! changed byte makes it unopenable).
//!
//! Layout, then standard base64 (as AWS session tokens are): `0x01` (version) ‖ nonce (24)
//! ‖ ciphertext ‖ tag (16).

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};

use crate::cx::Rng;
use crate::error::Error;
use crate::sealed;

pub const SESSION_KEY_LEN: usize = sealed::KEY_LEN;

/// Binds the ciphertext to its purpose and format version.
const AAD: &[u8] = b"monban identity-pool session token v1";
/// Far above any real token: a longer header is refused before any work.
pub const MAX_TOKEN_LEN: usize = 8192;

/// What minted credentials stand for. `Debug` hides the secret.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionCredentials {
    #[serde(rename = "k")]
    pub access_key_id: String,
    #[serde(rename = "s")]
    pub secret_access_key: String,
    #[serde(rename = "p")]
    pub identity_pool_id: String,
    #[serde(rename = "i")]
    pub identity_id: String,
    #[serde(rename = "r")]
    pub role_arn: String,
    #[serde(rename = "a")]
    pub authenticated: bool,
    /// Epoch milliseconds.
    #[serde(rename = "t")]
    pub issued_ms: i64,
    /// Epoch milliseconds from which the credentials are refused.
    #[serde(rename = "x")]
    pub expires_ms: i64,
}

impl std::fmt::Debug for SessionCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionCredentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"<redacted>")
            .field("identity_pool_id", &self.identity_pool_id)
            .field("identity_id", &self.identity_id)
            .field("role_arn", &self.role_arn)
            .field("authenticated", &self.authenticated)
            .field("issued_ms", &self.issued_ms)
            .field("expires_ms", &self.expires_ms)
            .finish()
    }
}

/// The session token for `session`.
pub fn seal(
    key: &[u8; SESSION_KEY_LEN],
    rng: &dyn Rng,
    session: &SessionCredentials,
) -> Result<String, Error> {
    let plaintext = serde_json::to_vec(session).map_err(Error::internal)?;
    let token = sealed::seal(key, rng, AAD, &plaintext)
        .ok_or_else(|| Error::internal("sealing a session token failed"))?;
    Ok(STANDARD.encode(token))
}

/// The credentials a session token stands for, if it was sealed under `key`. Expiry is the
/// caller's to check.
pub fn open(key: &[u8; SESSION_KEY_LEN], token: &str) -> Option<SessionCredentials> {
    if token.len() > MAX_TOKEN_LEN {
        return None;
    }
    let bytes = STANDARD.decode(token.trim()).ok()?;
    let (_, plaintext) = sealed::open(key, AAD, &bytes)?;
    serde_json::from_slice(&plaintext).ok()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::cx::SystemRng;

    fn session() -> SessionCredentials {
        SessionCredentials {
            access_key_id: "ASIAEXAMPLE234567ABC".to_owned(),
            secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".to_owned(),
            identity_pool_id: "us-east-1:4a5b6c7d-0000-4000-8000-000000000001".to_owned(),
            identity_id: "us-east-1:9f8e7d6c-0000-4000-8000-000000000002".to_owned(),
            role_arn: "arn:aws:iam::000000000000:role/Reader".to_owned(),
            authenticated: true,
            issued_ms: 1_700_000_000_000,
            expires_ms: 1_700_003_600_000,
        }
    }

    #[test]
    fn a_sealed_token_opens_to_what_was_sealed() {
        let key = [7u8; SESSION_KEY_LEN];
        let token = seal(&key, &SystemRng, &session()).unwrap();
        assert_eq!(open(&key, &token), Some(session()));
        // Neither the secret nor the identity can be read off the token.
        let decoded = STANDARD.decode(&token).unwrap();
        let text = String::from_utf8_lossy(&decoded);
        assert!(!text.contains("wJalrXUtnFEMI"), "{text}");
        assert!(!text.contains("9f8e7d6c"), "{text}");
    }

    #[test]
    fn two_seals_differ() {
        let key = [7u8; SESSION_KEY_LEN];
        assert_ne!(
            seal(&key, &SystemRng, &session()).unwrap(),
            seal(&key, &SystemRng, &session()).unwrap()
        );
    }

    #[test]
    fn another_key_or_a_changed_byte_does_not_open() {
        let key = [7u8; SESSION_KEY_LEN];
        let token = seal(&key, &SystemRng, &session()).unwrap();
        assert_eq!(open(&[8u8; SESSION_KEY_LEN], &token), None);

        let mut bytes = STANDARD.decode(&token).unwrap();
        for i in [0, 1, 30, bytes.len() - 1] {
            bytes[i] ^= 1;
            assert_eq!(open(&key, &STANDARD.encode(&bytes)), None, "byte {i}");
            bytes[i] ^= 1;
        }
        assert_eq!(open(&key, &STANDARD.encode(&bytes)), Some(session()));
        assert_eq!(open(&key, &STANDARD.encode(&bytes[..20])), None);
    }

    #[test]
    fn garbage_does_not_open() {
        let key = [7u8; SESSION_KEY_LEN];
        for token in ["", "not base64!", "AQ==", &"A".repeat(MAX_TOKEN_LEN + 4)] {
            assert_eq!(open(&key, token), None, "{token:.20}");
        }
    }

    #[test]
    fn debug_hides_the_secret() {
        let shown = format!("{:?}", session());
        assert!(!shown.contains("wJalrXUtnFEMI"), "{shown}");
        assert!(shown.contains("ASIAEXAMPLE234567ABC"), "{shown}");
    }
}
