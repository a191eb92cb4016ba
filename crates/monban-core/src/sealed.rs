//! The sealed envelope that SECRET_BLOCKs and identity-pool session tokens share:
//! XChaCha20-Poly1305 under a 32-byte server key with a random 192-bit nonce, bound by
//! associated data to its purpose. Confidential and authenticated; a changed byte makes it
//! unopenable.
//!
//! Layout: `0x01` (version) ‖ nonce (24) ‖ ciphertext ‖ tag (16). Text encoding is the
//! caller's.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

use crate::cx::Rng;

pub const KEY_LEN: usize = 32;

const VERSION: u8 = 1;
const NONCE_LEN: usize = 24;

/// `plaintext` sealed under `key` and `aad`; `None` only if it is too large to seal.
pub fn seal(key: &[u8; KEY_LEN], rng: &dyn Rng, aad: &[u8], plaintext: &[u8]) -> Option<Vec<u8>> {
    let mut nonce = [0u8; NONCE_LEN];
    rng.fill(&mut nonce);
    let ciphertext = cipher(key)
        .encrypt(
            &XNonce::from(nonce),
            Payload {
                msg: plaintext,
                aad,
            },
        )
        .ok()?;
    let mut sealed = Vec::with_capacity(1 + NONCE_LEN + ciphertext.len());
    sealed.push(VERSION);
    sealed.extend_from_slice(&nonce);
    sealed.extend_from_slice(&ciphertext);
    Some(sealed)
}

/// The nonce (unique per sealing) and the plaintext, if `sealed` was sealed under `key`
/// and `aad`.
pub fn open<'s>(key: &[u8; KEY_LEN], aad: &[u8], sealed: &'s [u8]) -> Option<(&'s [u8], Vec<u8>)> {
    let (&version, rest) = sealed.split_first()?;
    if version != VERSION || rest.len() < NONCE_LEN {
        return None;
    }
    let (nonce, ciphertext) = rest.split_at(NONCE_LEN);
    let plaintext = cipher(key)
        .decrypt(
            XNonce::from_slice(nonce),
            Payload {
                msg: ciphertext,
                aad,
            },
        )
        .ok()?;
    Some((nonce, plaintext))
}

fn cipher(key: &[u8; KEY_LEN]) -> XChaCha20Poly1305 {
    XChaCha20Poly1305::new(&(*key).into())
}
