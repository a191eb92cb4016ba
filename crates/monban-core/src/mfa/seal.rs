//! TOTP secrets at rest: XChaCha20-Poly1305 under a server-wide key, bound to the pool and
//! the user, so that a copy of the users table gives no authenticator secret and a sealed
//! secret moved to another user does not open.
//!
//! Layout (base64): nonce (24) ‖ ciphertext ‖ tag (16).

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

use crate::entities::SealedSecret;
use crate::error::Error;
use crate::Cx;

/// Name of the server secret in the `SecretStore`.
const KEY_NAME: &str = "totp-seal";
const KEY_LEN: usize = 32;
const NONCE_LEN: usize = 24;

fn aad(pool_id: &str, sub: &str) -> Vec<u8> {
    [
        b"monban TOTP v1\0",
        pool_id.as_bytes(),
        b"\0",
        sub.as_bytes(),
    ]
    .concat()
}

async fn cipher(cx: &Cx) -> Result<XChaCha20Poly1305, Error> {
    let key = cx.secrets.get(cx, KEY_NAME, KEY_LEN).await?;
    XChaCha20Poly1305::new_from_slice(&key).map_err(Error::internal)
}

/// Seals `secret` for user `sub` of pool `pool_id`.
pub async fn seal(cx: &Cx, pool_id: &str, sub: &str, secret: &[u8]) -> Result<SealedSecret, Error> {
    let mut nonce = [0u8; NONCE_LEN];
    cx.rng.fill(&mut nonce);
    let aad = aad(pool_id, sub);
    let ciphertext = cipher(cx)
        .await?
        .encrypt(
            &XNonce::from(nonce),
            Payload {
                msg: secret,
                aad: &aad,
            },
        )
        .map_err(|_| Error::internal("cannot seal a TOTP secret"))?;
    Ok(SealedSecret(
        STANDARD.encode([&nonce[..], &ciphertext].concat()),
    ))
}

/// Opens a secret sealed by [`seal`] for the same pool and user.
pub async fn open(
    cx: &Cx,
    pool_id: &str,
    sub: &str,
    sealed: &SealedSecret,
) -> Result<Vec<u8>, Error> {
    let broken = || Error::internal("a stored TOTP secret does not open");
    let bytes = STANDARD.decode(&sealed.0).map_err(|_| broken())?;
    if bytes.len() < NONCE_LEN {
        return Err(broken());
    }
    let (nonce, ciphertext) = bytes.split_at(NONCE_LEN);
    let aad = aad(pool_id, sub);
    cipher(cx)
        .await?
        .decrypt(
            XNonce::from_slice(nonce),
            Payload {
                msg: ciphertext,
                aad: &aad,
            },
        )
        .map_err(|_| broken())
}
