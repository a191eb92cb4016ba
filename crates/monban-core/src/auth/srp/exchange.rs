//! The exchange itself: the client's A, the server's (b, B), and the check of the client's
//! password claim signature.

use std::fmt;

use base64::Engine as _;
use crypto_bigint::{U256, U3072};
use subtle::ConstantTimeEq;

use super::group::{self, Elem};
use super::timestamp::{parse_timestamp, render_timestamp, MAX_TIMESTAMP_SKEW_MS};
use super::verifier::{SrpIdentity, Verifier};
use super::SrpError;
use crate::auth::{hmac_sha256, BASE64_LENIENT};
use crate::cx::Rng;

/// The client's public value A, as sent in `SRP_A`.
#[derive(Clone, PartialEq, Eq)]
pub struct PublicA {
    /// PAD of the integer the client sent (what it hashes into u).
    pad: Vec<u8>,
    /// A mod N, never zero.
    value: U3072,
}

impl PublicA {
    /// Parses `SRP_A`: hex of any length and case, unpadded. Rejects A mod N = 0, and values
    /// of more than 6144 bits (clients send A < N; SRP itself only requires A mod N ≠ 0).
    pub fn parse(srp_a: &str) -> Result<Self, SrpError> {
        Self::from_bytes(&group::decode_hex(srp_a).ok_or(SrpError::BadA)?)
    }

    pub(super) fn from_bytes(bytes: &[u8]) -> Result<Self, SrpError> {
        let value = group::reduce_from_be(bytes).ok_or(SrpError::BadA)?;
        if value.is_zero_vartime() {
            return Err(SrpError::BadA);
        }
        Ok(Self {
            pad: group::pad_be(bytes),
            value,
        })
    }

    /// PAD(A), the form kept in a SECRET_BLOCK.
    pub(super) fn pad_bytes(&self) -> &[u8] {
        &self.pad
    }
}

impl fmt::Debug for PublicA {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicA({})", hex::encode(&self.pad))
    }
}

/// The server's ephemeral pair: secret b (256 bits) and public B = (k·v + g^b) mod N.
#[derive(Clone, PartialEq, Eq)]
pub struct ServerEphemeral {
    b: U256,
    big_b: U3072,
}

/// A failing random source gets this many tries before giving up.
const EPHEMERAL_TRIES: usize = 8;

impl ServerEphemeral {
    pub fn generate(rng: &dyn Rng, verifier: &Verifier) -> Result<Self, SrpError> {
        for _ in 0..EPHEMERAL_TRIES {
            let mut b = [0u8; 32];
            rng.fill(&mut b);
            if let Ok(ephemeral) = Self::from_secret(&b, verifier) {
                return Ok(ephemeral);
            }
        }
        Err(SrpError::RandomnessFailure)
    }

    /// The pair for a given b (big-endian). Deterministic: for tests.
    pub fn from_secret(b: &[u8; 32], verifier: &Verifier) -> Result<Self, SrpError> {
        let b = U256::from_be_slice(b);
        if b.is_zero_vartime() {
            return Err(SrpError::RandomnessFailure);
        }
        let big_b = (group::k() * verifier.elem() + group::pow_g(&b)).retrieve();
        if big_b.is_zero_vartime() {
            return Err(SrpError::RandomnessFailure);
        }
        Ok(Self { b, big_b })
    }

    /// The `SRP_B` challenge parameter: lowercase hex, no leading zeros.
    pub fn srp_b(&self) -> String {
        group::hex_unpadded(&self.big_b)
    }

    pub(super) fn secret_bytes(&self) -> [u8; 32] {
        let mut out = [0u8; 32];
        out.copy_from_slice(self.b.to_be_bytes().as_ref());
        out
    }

    pub(super) fn public_pad(&self) -> Vec<u8> {
        group::pad(&self.big_b)
    }

    /// Rebuilds a pair kept in a SECRET_BLOCK (no exponentiation).
    pub(super) fn from_parts(b: &[u8; 32], big_b: &[u8]) -> Option<Self> {
        let b = U256::from_be_slice(b);
        let big_b = group::uint_from_be(big_b)?;
        let valid = !b.is_zero_vartime()
            && !big_b.is_zero_vartime()
            && big_b.cmp_vartime(group::N.as_ref()).is_lt();
        valid.then_some(Self { b, big_b })
    }
}

impl fmt::Debug for ServerEphemeral {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ServerEphemeral {{ srp_b: {}, .. }}", self.srp_b())
    }
}

/// What the client answers a PASSWORD_VERIFIER / DEVICE_PASSWORD_VERIFIER challenge with,
/// each string exactly as received.
#[derive(Debug, Clone, Copy)]
pub struct PasswordClaim<'a> {
    /// `PASSWORD_CLAIM_SECRET_BLOCK` (base64); its decoded bytes are signed.
    pub secret_block: &'a str,
    /// `TIMESTAMP`.
    pub timestamp: &'a str,
    /// `PASSWORD_CLAIM_SIGNATURE` (base64 of an HMAC-SHA256).
    pub signature: &'a str,
}

/// Checks the client's password claim: parses TIMESTAMP (within [`MAX_TIMESTAMP_SKEW_MS`]
/// of `now_ms`), computes u, S and K and compares the signature in constant time. `Ok`
/// means the client knows the password (or device secret) behind `verifier`.
pub fn verify_password_claim(
    who: &SrpIdentity<'_>,
    verifier: &Verifier,
    a: &PublicA,
    server: &ServerEphemeral,
    claim: &PasswordClaim<'_>,
    now_ms: i64,
) -> Result<(), SrpError> {
    let at = parse_timestamp(claim.timestamp).ok_or(SrpError::BadTimestamp)?;
    if at.abs_diff(now_ms) > MAX_TIMESTAMP_SKEW_MS.unsigned_abs() {
        return Err(SrpError::TimestampSkew);
    }
    let signature = BASE64_LENIENT
        .decode(claim.signature)
        .map_err(|_| SrpError::MalformedSignature)?;
    if signature.len() != 32 {
        return Err(SrpError::MalformedSignature);
    }
    let secret_block = BASE64_LENIENT
        .decode(claim.secret_block)
        .map_err(|_| SrpError::SecretBlockInvalid)?;

    let key = session_key(a, server, verifier)?;
    // Signed over the canonical rendering, as Cognito does (srp.md §2).
    let expected = claim_signature(&key, who, &secret_block, &render_timestamp(at));
    if bool::from(expected.ct_eq(signature.as_slice())) {
        Ok(())
    } else {
        Err(SrpError::SignatureMismatch)
    }
}

/// u = H(PAD(A) ‖ PAD(B)), big-endian.
pub(super) fn scrambler(a: &PublicA, server: &ServerEphemeral) -> Result<[u8; 32], SrpError> {
    let u = group::sha256(&[&a.pad, &server.public_pad()]);
    if u.iter().all(|&byte| byte == 0) {
        return Err(SrpError::ZeroScrambler);
    }
    Ok(u)
}

/// S = (A · v^u)^b mod N.
pub(super) fn premaster_secret(
    a: &PublicA,
    server: &ServerEphemeral,
    verifier: &Verifier,
    u: &[u8; 32],
) -> U3072 {
    // u is public (a hash of A and B): no need for constant time.
    let v_u: Elem = verifier.elem().pow_vartime(&group::u256_from_digest(u));
    group::pow(&(group::elem(&a.value) * v_u), &server.b).retrieve()
}

/// K = HKDF-SHA256(IKM = PAD(S), salt = PAD(u), info = "Caldera Derived Key", L = 16).
pub(super) fn session_key(
    a: &PublicA,
    server: &ServerEphemeral,
    verifier: &Verifier,
) -> Result<[u8; 16], SrpError> {
    let u = scrambler(a, server)?;
    let s = premaster_secret(a, server, verifier, &u);
    Ok(hkdf_16(&group::pad_be(&u), &group::pad(&s)))
}

/// RFC 5869 HKDF with a single output block, truncated to 16 bytes.
pub(super) fn hkdf_16(salt: &[u8], ikm: &[u8]) -> [u8; 16] {
    let prk = hmac_sha256(salt, &[ikm]);
    let block = hmac_sha256(&prk, &[b"Caldera Derived Key", &[1]]);
    let mut key = [0u8; 16];
    key.copy_from_slice(&block[..16]);
    key
}

/// HMAC(K, realm ‖ user ‖ SECRET_BLOCK bytes ‖ TIMESTAMP).
pub(super) fn claim_signature(
    key: &[u8; 16],
    who: &SrpIdentity<'_>,
    secret_block: &[u8],
    timestamp: &str,
) -> [u8; 32] {
    hmac_sha256(
        key,
        &[
            who.realm().as_bytes(),
            who.user_name().as_bytes(),
            secret_block,
            timestamp.as_bytes(),
        ],
    )
}
