//! Argon2id hashing and verification on reused memory. Each hash needs `m` KiB of working
//! memory (19 MiB by default); allocating it per call leaves glibc holding freed buffers in
//! per-thread arenas, so a burst of sign-ins grew the process by a gigabyte. Here buffers
//! are taken from a small shared stock and put back: the stock never holds more buffers
//! than `heavy` lets jobs run at once.

use std::sync::Mutex;

use argon2::password_hash::{Output, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};

use crate::error::Error;

/// Buffers kept between hashes (more are made, and dropped, only if more jobs run).
static STOCK: Mutex<Vec<Vec<Block>>> = Mutex::new(Vec::new());

fn with_memory<T>(blocks: usize, f: impl FnOnce(&mut [Block]) -> T) -> T {
    let taken = STOCK.lock().ok().and_then(|mut stock| {
        let at = stock.iter().position(|b| b.len() >= blocks)?;
        Some(stock.swap_remove(at))
    });
    let mut memory = taken.unwrap_or_else(|| vec![Block::default(); blocks]);
    let result = f(&mut memory);
    if let Ok(mut stock) = STOCK.lock() {
        if stock.len() < crate::heavy::max_jobs() {
            stock.push(memory);
        }
    }
    result
}

fn internal(what: &str, e: impl std::fmt::Display) -> Error {
    Error::internal(format!("{what}: {e}"))
}

/// The PHC string of `password` hashed with `params` and `salt`.
pub(super) fn hash(params: Params, salt: &[u8], password: &[u8]) -> Result<String, Error> {
    let salt = SaltString::encode_b64(salt).map_err(|e| internal("salt", e))?;
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let mut out = vec![0u8; params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN)];
    let mut raw_salt = [0u8; 64];
    let raw_salt = salt
        .decode_b64(&mut raw_salt)
        .map_err(|e| internal("salt", e))?;
    with_memory(params.block_count(), |memory| {
        argon.hash_password_into_with_memory(password, raw_salt, &mut out, memory)
    })
    .map_err(|e| internal("argon2", e))?;
    let phc = PasswordHash {
        algorithm: argon2::ARGON2ID_IDENT,
        version: Some(Version::V0x13.into()),
        params: (&params).try_into().map_err(|e| internal("argon2", e))?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out).map_err(|e| internal("argon2", e))?),
    };
    Ok(phc.to_string())
}

/// True when `password` matches the Argon2 PHC string `phc` (any variant and parameters;
/// the comparison is constant-time).
pub(super) fn verify(phc: &str, password: &[u8]) -> Result<bool, Error> {
    let parsed = PasswordHash::new(phc).map_err(|e| internal("stored hash", e))?;
    let algorithm =
        Algorithm::try_from(parsed.algorithm).map_err(|e| internal("stored hash", e))?;
    let version = parsed
        .version
        .map(Version::try_from)
        .transpose()
        .map_err(|e| internal("stored hash", e))?
        .unwrap_or_default();
    let params = Params::try_from(&parsed).map_err(|e| internal("stored hash", e))?;
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return Err(Error::internal("stored hash: no salt or no hash"));
    };
    let mut raw_salt = [0u8; 64];
    let raw_salt = salt
        .decode_b64(&mut raw_salt)
        .map_err(|e| internal("stored hash", e))?;
    let mut out = vec![0u8; expected.len()];
    let argon = Argon2::new(algorithm, version, params.clone());
    with_memory(params.block_count(), |memory| {
        argon.hash_password_into_with_memory(password, raw_salt, &mut out, memory)
    })
    .map_err(|e| internal("argon2", e))?;
    let computed = Output::new(&out).map_err(|e| internal("argon2", e))?;
    Ok(computed == expected)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use argon2::password_hash::{PasswordHasher, PasswordVerifier};

    use super::*;

    fn small() -> Params {
        Params::new(64, 1, 1, None).unwrap()
    }

    #[test]
    fn agrees_with_the_argon2_crate_both_ways() {
        let ours = hash(small(), b"0123456789abcdef", b"hunter2").unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(Argon2::default()
            .verify_password(b"hunter2", &parsed)
            .is_ok());
        let theirs = Argon2::new(Algorithm::Argon2id, Version::V0x13, small())
            .hash_password(
                b"hunter2",
                &SaltString::encode_b64(b"fedcba9876543210").unwrap(),
            )
            .unwrap()
            .to_string();
        assert!(verify(&theirs, b"hunter2").unwrap());
        assert!(!verify(&theirs, b"hunter3").unwrap());
        assert!(!verify(&ours, b"Hunter2").unwrap());
    }

    #[test]
    fn other_variants_and_parameters_verify() {
        let argon2i = Argon2::new(
            Algorithm::Argon2i,
            Version::V0x10,
            Params::new(128, 3, 2, Some(16)).unwrap(),
        )
        .hash_password(b"pw", &SaltString::encode_b64(b"saltsaltsalt").unwrap())
        .unwrap()
        .to_string();
        assert!(verify(&argon2i, b"pw").unwrap());
        assert!(!verify(&argon2i, b"px").unwrap());
    }
}
