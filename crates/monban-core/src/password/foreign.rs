//! Password hashes made by other directories, imported as they are: bcrypt
//! (`$2a$`/`$2b$`/`$2y$`), PBKDF2 as Keycloak stores it, Firebase's scrypt variant, and
//! Argon2 of any variant. Such a hash is checked at password sign-in and, once it matched,
//! replaced by the pool's Argon2id and an SRP verifier (as Cognito's UserMigration trigger
//! brings a password in on its first sign-in).
//!
//! A foreign hash is kept in the user's `password_hash` as one self-describing string:
//! bcrypt and Argon2 as their own PHC-like strings, the others as
//! `$pbkdf2-<digest>$i=<iterations>$<salt>$<value>` and
//! `$firebase-scrypt$r=<rounds>,m=<mem_cost>$<signer key>$<salt separator>$<salt>$<hash>`
//! (standard base64, which never holds a `$`).

use aes::cipher::{KeyIvInit, StreamCipher};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;

use crate::error::Error;

/// Bounds on the work one sign-in may cost: parameters past them are refused at import.
const MAX_BCRYPT_COST: u32 = 16;
const MAX_PBKDF2_ITERATIONS: u32 = 10_000_000;
const MAX_SCRYPT_MEM_COST: u32 = 17;
const MAX_SCRYPT_ROUNDS: u32 = 32;
/// scrypt's memory is 128 · r · N bytes: at most 128 MiB a sign-in.
const MAX_SCRYPT_MEMORY: u64 = 128 * 1024 * 1024;
const MAX_ARGON2_MEMORY_KIB: u32 = 1024 * 1024;
const MAX_ARGON2_ITERATIONS: u32 = 64;

/// A hash from another directory, as an import file gives it (`format` names the kind).
/// `Debug` names the format only.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "format", rename_all = "snake_case")]
pub enum ForeignHash {
    /// A bcrypt string: `$2a$`, `$2b$` or `$2y$`, cost, salt and hash.
    Bcrypt { hash: String },
    /// An Argon2 PHC string (`$argon2id$`, `$argon2i$`, `$argon2d$`), any parameters.
    Argon2 { hash: String },
    /// Keycloak's `pbkdf2-sha256` / `pbkdf2-sha512` / `pbkdf2` (SHA-1) credential: its
    /// `hashIterations`, and the base64 `salt` and `value` of its secret data.
    Pbkdf2 {
        algorithm: Pbkdf2Digest,
        iterations: u32,
        salt: String,
        value: String,
    },
    /// Firebase's modified scrypt: the user's base64 `salt` and `hash` (`passwordHash` /
    /// `salt` of `auth:export`), and the project's hash parameters.
    FirebaseScrypt {
        hash: String,
        salt: String,
        signer_key: String,
        salt_separator: String,
        rounds: u32,
        mem_cost: u32,
    },
}

impl std::fmt::Debug for ForeignHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ForeignHash({}, ..)", self.format_name())
    }
}

/// The digest of a PBKDF2 hash, in Keycloak's names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Pbkdf2Digest {
    #[serde(rename = "pbkdf2-sha256")]
    Sha256,
    #[serde(rename = "pbkdf2-sha512")]
    Sha512,
    #[serde(rename = "pbkdf2", alias = "pbkdf2-sha1")]
    Sha1,
}

impl Pbkdf2Digest {
    fn tag(self) -> &'static str {
        match self {
            Self::Sha256 => "pbkdf2-sha256",
            Self::Sha512 => "pbkdf2-sha512",
            Self::Sha1 => "pbkdf2-sha1",
        }
    }

    fn from_tag(tag: &str) -> Option<Self> {
        [Self::Sha256, Self::Sha512, Self::Sha1]
            .into_iter()
            .find(|d| d.tag() == tag)
    }
}

fn bad(message: impl Into<String>) -> Error {
    Error::invalid_parameter(message)
}

fn decode(what: &str, value: &str) -> Result<Vec<u8>, Error> {
    STANDARD.decode(value.trim()).map_err(|_| {
        bad(format!(
            "The {what} of the password hash is not valid base64."
        ))
    })
}

impl ForeignHash {
    pub fn format_name(&self) -> &'static str {
        match self {
            Self::Bcrypt { .. } => "bcrypt",
            Self::Argon2 { .. } => "argon2",
            Self::Pbkdf2 { .. } => "pbkdf2",
            Self::FirebaseScrypt { .. } => "firebase_scrypt",
        }
    }

    /// Checks the hash is well formed and affordable to verify, and gives the string to
    /// store as the user's `password_hash` (`InvalidParameterException` otherwise).
    pub fn to_stored(&self) -> Result<String, Error> {
        match self {
            Self::Bcrypt { hash } => {
                let parts: bcrypt::HashParts = hash
                    .parse()
                    .map_err(|_| bad("The bcrypt hash is not a $2a$/$2b$/$2y$ string."))?;
                if parts.get_cost() > MAX_BCRYPT_COST {
                    return Err(bad(format!("The bcrypt cost is above {MAX_BCRYPT_COST}.")));
                }
                if !["$2a$", "$2b$", "$2y$"].iter().any(|p| hash.starts_with(p)) {
                    return Err(bad("The bcrypt hash is not a $2a$/$2b$/$2y$ string."));
                }
                Ok(hash.clone())
            }
            Self::Argon2 { hash } => {
                check_argon2(hash)?;
                Ok(hash.clone())
            }
            Self::Pbkdf2 {
                algorithm,
                iterations,
                salt,
                value,
            } => {
                if *iterations == 0 || *iterations > MAX_PBKDF2_ITERATIONS {
                    return Err(bad(format!(
                        "PBKDF2 iterations must be between 1 and {MAX_PBKDF2_ITERATIONS}."
                    )));
                }
                let (salt, value) = (decode("salt", salt)?, decode("value", value)?);
                if value.len() < 16 || value.len() > 128 {
                    return Err(bad("The PBKDF2 value must be 16 to 128 bytes."));
                }
                Ok(format!(
                    "${}$i={iterations}${}${}",
                    algorithm.tag(),
                    STANDARD.encode(salt),
                    STANDARD.encode(value)
                ))
            }
            Self::FirebaseScrypt {
                hash,
                salt,
                signer_key,
                salt_separator,
                rounds,
                mem_cost,
            } => {
                if *rounds == 0 || *rounds > MAX_SCRYPT_ROUNDS {
                    return Err(bad(format!(
                        "Firebase scrypt rounds must be between 1 and {MAX_SCRYPT_ROUNDS}."
                    )));
                }
                if *mem_cost == 0 || *mem_cost > MAX_SCRYPT_MEM_COST {
                    return Err(bad(format!(
                        "Firebase scrypt mem_cost must be between 1 and {MAX_SCRYPT_MEM_COST}."
                    )));
                }
                if (128 * u64::from(*rounds)) << mem_cost > MAX_SCRYPT_MEMORY {
                    return Err(bad(
                        "Firebase scrypt rounds and mem_cost need more than 128 MiB to verify.",
                    ));
                }
                scrypt_params(*rounds, *mem_cost)?;
                let hash = decode("hash", hash)?;
                let signer_key = decode("signer key", signer_key)?;
                if hash.len() != signer_key.len() || hash.is_empty() {
                    return Err(bad(
                        "A Firebase scrypt hash is as long as the project's signer key.",
                    ));
                }
                Ok(format!(
                    "$firebase-scrypt$r={rounds},m={mem_cost}${}${}${}${}",
                    STANDARD.encode(signer_key),
                    STANDARD.encode(decode("salt separator", salt_separator)?),
                    STANDARD.encode(decode("salt", salt)?),
                    STANDARD.encode(hash)
                ))
            }
        }
    }

    /// Reads a stored string back; `None` for a string that is not a foreign hash (the
    /// pool's own Argon2id is an Argon2 hash here too).
    pub fn from_stored(stored: &str) -> Option<Self> {
        if ["$2a$", "$2b$", "$2y$"]
            .iter()
            .any(|p| stored.starts_with(p))
        {
            return Some(Self::Bcrypt {
                hash: stored.to_owned(),
            });
        }
        if stored.starts_with("$argon2") {
            return Some(Self::Argon2 {
                hash: stored.to_owned(),
            });
        }
        let mut fields = stored.strip_prefix('$')?.split('$');
        let tag = fields.next()?;
        if let Some(algorithm) = Pbkdf2Digest::from_tag(tag) {
            let iterations = fields.next()?.strip_prefix("i=")?.parse().ok()?;
            let (salt, value) = (fields.next()?, fields.next()?);
            return fields.next().is_none().then(|| Self::Pbkdf2 {
                algorithm,
                iterations,
                salt: salt.to_owned(),
                value: value.to_owned(),
            });
        }
        if tag == "firebase-scrypt" {
            let (r, m) = fields.next()?.split_once(',')?;
            let rounds = r.strip_prefix("r=")?.parse().ok()?;
            let mem_cost = m.strip_prefix("m=")?.parse().ok()?;
            let signer_key = fields.next()?.to_owned();
            let salt_separator = fields.next()?.to_owned();
            let salt = fields.next()?.to_owned();
            let hash = fields.next()?.to_owned();
            return fields.next().is_none().then_some(Self::FirebaseScrypt {
                hash,
                salt,
                signer_key,
                salt_separator,
                rounds,
                mem_cost,
            });
        }
        None
    }

    /// True when `password` matches. Synchronous and CPU-heavy: run it through `heavy`.
    pub fn verify(&self, password: &str) -> Result<bool, Error> {
        match self {
            Self::Bcrypt { hash } => bcrypt::verify(password, hash)
                .map_err(|e| Error::internal(format!("stored bcrypt hash: {e}"))),
            Self::Argon2 { hash } => super::argon2id::verify(hash, password.as_bytes()),
            Self::Pbkdf2 {
                algorithm,
                iterations,
                salt,
                value,
            } => {
                let (salt, value) = (stored_bytes(salt)?, stored_bytes(value)?);
                let mut out = vec![0u8; value.len()];
                let p = password.as_bytes();
                match algorithm {
                    Pbkdf2Digest::Sha256 => {
                        pbkdf2::pbkdf2_hmac::<sha2::Sha256>(p, &salt, *iterations, &mut out)
                    }
                    Pbkdf2Digest::Sha512 => {
                        pbkdf2::pbkdf2_hmac::<sha2::Sha512>(p, &salt, *iterations, &mut out)
                    }
                    Pbkdf2Digest::Sha1 => {
                        pbkdf2::pbkdf2_hmac::<sha1::Sha1>(p, &salt, *iterations, &mut out)
                    }
                }
                Ok(bool::from(out.ct_eq(&value)))
            }
            Self::FirebaseScrypt {
                hash,
                salt,
                signer_key,
                salt_separator,
                rounds,
                mem_cost,
            } => {
                let computed = firebase_scrypt(
                    password,
                    &stored_bytes(salt)?,
                    &stored_bytes(salt_separator)?,
                    &stored_bytes(signer_key)?,
                    *rounds,
                    *mem_cost,
                )?;
                Ok(bool::from(computed.ct_eq(&stored_bytes(hash)?)))
            }
        }
    }
}

fn stored_bytes(value: &str) -> Result<Vec<u8>, Error> {
    STANDARD
        .decode(value)
        .map_err(|e| Error::internal(format!("stored foreign hash: {e}")))
}

fn check_argon2(hash: &str) -> Result<(), Error> {
    use argon2::password_hash::PasswordHash;
    let invalid = || bad("The argon2 hash is not a valid PHC string.");
    let parsed = PasswordHash::new(hash).map_err(|_| invalid())?;
    if argon2::Algorithm::new(parsed.algorithm.as_str()).is_err() {
        return Err(invalid());
    }
    let params = argon2::Params::try_from(&parsed).map_err(|_| invalid())?;
    if params.m_cost() > MAX_ARGON2_MEMORY_KIB || params.t_cost() > MAX_ARGON2_ITERATIONS {
        return Err(bad("The argon2 parameters are too costly to verify."));
    }
    if parsed.hash.is_none() {
        return Err(invalid());
    }
    Ok(())
}

fn scrypt_params(rounds: u32, mem_cost: u32) -> Result<scrypt::Params, Error> {
    let log_n = u8::try_from(mem_cost).map_err(|_| bad("Firebase scrypt mem_cost is too big."))?;
    scrypt::Params::new(log_n, rounds, 1, 32)
        .map_err(|_| bad("Firebase scrypt rounds and mem_cost do not make scrypt parameters."))
}

/// Firebase's variant (github.com/firebase/scrypt): the scrypt key of the password salted
/// with salt ‖ separator (N = 2^mem_cost, r = rounds, p = 1) is the AES-256-CTR key (zero
/// counter) that encrypts the project's signer key; the ciphertext is the stored hash.
fn firebase_scrypt(
    password: &str,
    salt: &[u8],
    separator: &[u8],
    signer_key: &[u8],
    rounds: u32,
    mem_cost: u32,
) -> Result<Vec<u8>, Error> {
    let params = scrypt_params(rounds, mem_cost)?;
    let mut full_salt = salt.to_vec();
    full_salt.extend_from_slice(separator);
    let mut key = [0u8; 32];
    scrypt::scrypt(password.as_bytes(), &full_salt, &params, &mut key)
        .map_err(|e| Error::internal(format!("scrypt: {e}")))?;
    let mut out = signer_key.to_vec();
    let mut cipher = ctr::Ctr128BE::<aes::Aes256>::new(&key.into(), &[0u8; 16].into());
    cipher.apply_keystream(&mut out);
    Ok(out)
}

#[cfg(test)]
mod tests;
