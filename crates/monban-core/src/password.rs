//! Passwords: Argon2id hashing off the async workers, the pool's password policy in
//! Cognito's words, and temporary passwords that satisfy it.

use argon2::Params;
use monban_wire::idp::PasswordPolicyType;

use crate::cx::Rng;
use crate::error::{Error, ErrorKind};
use crate::ids::random_from;

mod argon2id;
pub mod foreign;
pub use foreign::{ForeignHash, Pbkdf2Digest};

/// Argon2id cost. Defaults are OWASP's minimum: m = 19 MiB, t = 2, p = 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HashParams {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl Default for HashParams {
    fn default() -> Self {
        Self {
            memory_kib: 19 * 1024,
            iterations: 2,
            parallelism: 1,
        }
    }
}

fn argon2_params(params: HashParams) -> Result<Params, Error> {
    Params::new(
        params.memory_kib,
        params.iterations,
        params.parallelism,
        None,
    )
    .map_err(|e| Error::internal(format!("argon2 parameters: {e}")))
}

/// Hashes off the async workers (see `heavy`): a hash takes tens of milliseconds of CPU.
pub async fn hash_password(
    params: HashParams,
    rng: &dyn Rng,
    password: &str,
) -> Result<String, Error> {
    let mut salt = [0u8; 16];
    rng.fill(&mut salt);
    let password = password.to_owned();
    crate::heavy::run(move || argon2id::hash(argon2_params(params)?, &salt, password.as_bytes()))
        .await?
}

/// True when `password` matches the PHC string `hash` (parameters are read from the hash),
/// or the imported [`ForeignHash`] it holds.
pub async fn verify_password(hash: &str, password: &str) -> Result<bool, Error> {
    let hash = hash.to_owned();
    let password = password.to_owned();
    crate::heavy::run(move || {
        if !hash.starts_with("$argon2") {
            return match ForeignHash::from_stored(&hash) {
                Some(foreign) => foreign.verify(&password),
                None => Err(Error::internal("stored hash: unknown format")),
            };
        }
        argon2id::verify(&hash, password.as_bytes())
    })
    .await?
}

/// True when a stored hash is not the pool's own kind (Argon2id): an imported hash, to be
/// replaced once a sign-in proves the password.
pub fn is_foreign_hash(hash: &str) -> bool {
    !hash.starts_with("$argon2id$")
}

/// The characters Cognito counts as symbols.
pub const SYMBOLS: &str = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ";

const DEFAULT_MIN_LENGTH: i32 = 8;

/// Checks a password against the pool's policy (absent policy: Cognito's defaults).
pub fn check_policy(policy: Option<&PasswordPolicyType>, password: &str) -> Result<(), Error> {
    let fail = |reason: &str| {
        Err(Error::new(
            ErrorKind::InvalidPasswordException,
            format!("Password did not conform with policy: {reason}"),
        ))
    };
    let min = policy
        .and_then(|p| p.minimum_length)
        .unwrap_or(DEFAULT_MIN_LENGTH);
    let need = |flag: Option<bool>| flag.unwrap_or(policy.is_none());
    if i64::try_from(password.chars().count()).unwrap_or(i64::MAX) < i64::from(min) {
        return fail("Password not long enough");
    }
    if password.chars().count() > 256 {
        return fail("Password is too long");
    }
    if need(policy.and_then(|p| p.require_lowercase))
        && !password.chars().any(|c| c.is_ascii_lowercase())
    {
        return fail("Password must have lowercase characters");
    }
    if need(policy.and_then(|p| p.require_uppercase))
        && !password.chars().any(|c| c.is_ascii_uppercase())
    {
        return fail("Password must have uppercase characters");
    }
    if need(policy.and_then(|p| p.require_numbers)) && !password.chars().any(|c| c.is_ascii_digit())
    {
        return fail("Password must have numeric characters");
    }
    if need(policy.and_then(|p| p.require_symbols))
        && !password.chars().any(|c| SYMBOLS.contains(c))
    {
        return fail("Password must have symbol characters");
    }
    Ok(())
}

/// A random temporary password that satisfies any policy: at least the minimum length and
/// one character of every class.
pub fn generate_temporary_password(rng: &dyn Rng, policy: Option<&PasswordPolicyType>) -> String {
    let min = policy
        .and_then(|p| p.minimum_length)
        .unwrap_or(DEFAULT_MIN_LENGTH);
    let len = usize::try_from(min.max(12)).unwrap_or(12);
    let mut out = String::new();
    out.push_str(&random_from(rng, b"ABCDEFGHJKLMNPQRSTUVWXYZ", 1));
    out.push_str(&random_from(rng, b"abcdefghijkmnopqrstuvwxyz", 1));
    out.push_str(&random_from(rng, b"23456789", 1));
    out.push_str(&random_from(rng, b"!#%&*+-=?@^_", 1));
    out.push_str(&random_from(
        rng,
        b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789",
        len - 4,
    ));
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::cx::SystemRng;

    #[test]
    fn default_policy_requires_every_class() {
        assert!(check_policy(None, "Abcdef1!").is_ok());
        let err = check_policy(None, "Abc1!").unwrap_err();
        assert_eq!(
            err.message,
            "Password did not conform with policy: Password not long enough"
        );
        assert!(check_policy(None, "abcdefg1!")
            .unwrap_err()
            .message
            .ends_with("uppercase characters"));
        assert!(check_policy(None, "ABCDEFG1!")
            .unwrap_err()
            .message
            .ends_with("lowercase characters"));
        assert!(check_policy(None, "Abcdefgh!")
            .unwrap_err()
            .message
            .ends_with("numeric characters"));
        assert!(check_policy(None, "Abcdefgh1")
            .unwrap_err()
            .message
            .ends_with("symbol characters"));
    }

    #[test]
    fn explicit_policy_is_honoured() {
        let policy = PasswordPolicyType {
            minimum_length: Some(6),
            ..Default::default()
        };
        assert!(check_policy(Some(&policy), "simple").is_ok());
        assert!(check_policy(Some(&policy), "short").is_err());
    }

    #[test]
    fn temporary_passwords_satisfy_the_policy() {
        for _ in 0..50 {
            let p = generate_temporary_password(&SystemRng, None);
            check_policy(None, &p).unwrap();
        }
    }

    #[tokio::test]
    async fn hashes_verify() {
        let params = HashParams {
            memory_kib: 1024,
            iterations: 1,
            parallelism: 1,
        };
        let hash = hash_password(params, &SystemRng, "Passw0rd!")
            .await
            .unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password(&hash, "Passw0rd!").await.unwrap());
        assert!(!verify_password(&hash, "passw0rd!").await.unwrap());
    }
}
