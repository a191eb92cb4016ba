//! What is stored when a password (or a remembered device's secret) is set: the salt and
//! the verifier v = g^x mod N.

use std::fmt;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use crypto_bigint::U3072;

use super::group::{self, Elem};
use super::SrpError;
use crate::auth::BASE64_LENIENT;
use crate::cx::Rng;

/// Whose password it is, in the two strings SRP mixes into x and into the signature: for a
/// user, the pool name and `USER_ID_FOR_SRP` (the internal username, not what was typed);
/// for a remembered device, the `DeviceGroupKey` and the `DeviceKey`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SrpIdentity<'a> {
    realm: &'a str,
    user: &'a str,
}

impl<'a> SrpIdentity<'a> {
    /// A user of the pool `pool_id` (the full id, `us-east-1_AbCdEf123`).
    pub fn user(pool_id: &'a str, user_id_for_srp: &'a str) -> Self {
        Self {
            realm: super::pool_name(pool_id),
            user: user_id_for_srp,
        }
    }

    pub fn device(device_group_key: &'a str, device_key: &'a str) -> Self {
        Self {
            realm: device_group_key,
            user: device_key,
        }
    }

    pub(super) fn realm(&self) -> &'a str {
        self.realm
    }

    pub(super) fn user_name(&self) -> &'a str {
        self.user
    }
}

/// A salt and verifier. Password-equivalent for offline guessing: store it like a password
/// hash; its `Debug` shows neither part.
#[derive(Clone, PartialEq, Eq)]
pub struct Verifier {
    /// Hex, lowercase: PAD(salt) for verifiers made here, the client's bytes for devices.
    salt_hex: String,
    /// 0 < v < N.
    v: U3072,
}

/// Bytes of fresh salt (srp.md §4).
const SALT_LEN: usize = 16;

impl Verifier {
    /// A fresh verifier for a new password: 16 random bytes of salt.
    pub fn generate(rng: &dyn Rng, who: &SrpIdentity<'_>, password: &str) -> Self {
        let mut salt = [0u8; SALT_LEN];
        rng.fill(&mut salt);
        Self::from_salt(&salt, who, password)
    }

    /// The verifier for a given salt (big-endian bytes of the salt integer). Deterministic:
    /// for tests and for decoy challenges of unknown users.
    pub fn from_salt(salt: &[u8], who: &SrpIdentity<'_>, password: &str) -> Self {
        // The salt is kept as PAD(salt): both SDKs then hash the same bytes (srp.md §6).
        let salt = group::pad_be(salt);
        let x = private_x(&salt, who, password);
        Self {
            salt_hex: hex::encode(salt),
            v: group::pow_g(&x).retrieve(),
        }
    }

    /// A verifier read back from storage (`salt_hex()`, `verifier_hex()`).
    pub fn from_stored(salt_hex: &str, verifier_hex: &str) -> Result<Self, SrpError> {
        let salt = group::decode_hex(salt_hex).ok_or(SrpError::BadVerifier)?;
        let verifier = group::decode_hex(verifier_hex).ok_or(SrpError::BadVerifier)?;
        Self::from_parts(&salt, &verifier)
    }

    /// ConfirmDevice's `DeviceSecretVerifierConfig`: `Salt` = base64(PAD(salt)),
    /// `PasswordVerifier` = base64(PAD(v)). The SALT later sent back is the hex of the
    /// decoded `Salt` bytes, as the client made them.
    pub fn from_device_config(
        salt_b64: &str,
        password_verifier_b64: &str,
    ) -> Result<Self, SrpError> {
        let salt = BASE64_LENIENT
            .decode(salt_b64)
            .map_err(|_| SrpError::BadVerifier)?;
        let verifier = BASE64_LENIENT
            .decode(password_verifier_b64)
            .map_err(|_| SrpError::BadVerifier)?;
        Self::from_parts(&salt, &verifier)
    }

    fn from_parts(salt: &[u8], verifier: &[u8]) -> Result<Self, SrpError> {
        let v = group::uint_from_be(verifier).ok_or(SrpError::BadVerifier)?;
        let in_range = v.cmp_vartime(group::N.as_ref()).is_lt() && !v.is_zero_vartime();
        if salt.is_empty() || !in_range {
            return Err(SrpError::BadVerifier);
        }
        Ok(Self {
            salt_hex: hex::encode(salt),
            v,
        })
    }

    /// The `SALT` challenge parameter, verbatim; also what to store.
    pub fn salt_hex(&self) -> &str {
        &self.salt_hex
    }

    /// Hex of PAD(v), what to store.
    pub fn verifier_hex(&self) -> String {
        hex::encode(group::pad(&self.v))
    }

    /// The `DeviceSecretVerifierConfig` a client would send for this verifier:
    /// (`Salt`, `PasswordVerifier`), both standard base64.
    pub fn to_device_config(&self) -> (String, String) {
        let salt = group::decode_hex(&self.salt_hex).unwrap_or_default();
        (STANDARD.encode(salt), STANDARD.encode(group::pad(&self.v)))
    }

    pub(super) fn elem(&self) -> Elem {
        group::elem(&self.v)
    }
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Verifier { .. }")
    }
}

/// x = H(PAD(salt) ‖ H(realm ‖ user ‖ ":" ‖ password)).
pub(super) fn private_x(
    salt_pad: &[u8],
    who: &SrpIdentity<'_>,
    password: &str,
) -> crypto_bigint::U256 {
    let inner = group::sha256(&[
        who.realm.as_bytes(),
        who.user.as_bytes(),
        b":",
        password.as_bytes(),
    ]);
    group::u256_from_digest(&group::sha256(&[salt_pad, &inner]))
}
