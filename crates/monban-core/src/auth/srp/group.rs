//! The group Cognito's SRP works in — RFC 3526's 3072-bit MODP prime, g = 2, SHA-256 — and
//! Cognito's PAD, which is the minimal two's-complement encoding (Java's
//! `BigInteger.toByteArray`), not RFC 5054's pad-to-length-of-N.
//!
//! Arithmetic is crypto-bigint's constant-time Montgomery form: exponentiations with a secret
//! exponent (x, b) run in time independent of the exponent's value.

use crypto_bigint::modular::{FixedMontyForm, FixedMontyParams};
use std::sync::LazyLock;

use crypto_bigint::{Choice, CtAssign, Odd, Word, U256, U3072, U6144};
use sha2::{Digest, Sha256};

const N_HEX: &str = concat!(
    "ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74",
    "020bbea63b139b22514a08798e3404ddef9519b3cd3a431b302b0a6df25f1437",
    "4fe1356d6d51c245e485b576625e7ec6f44c42e9a637ed6b0bff5cb6f406b7ed",
    "ee386bfb5a899fa5ae9f24117c4b1fe649286651ece45b3dc2007cb8a163bf05",
    "98da48361c55d39a69163fa8fd24cf5f83655d23dca3ad961c62f356208552bb",
    "9ed529077096966d670c354e4abc9804f1746c08ca18217c32905e462e36ce3b",
    "e39e772c180e86039b2783a2ec07a28fb5c55df06f4c52c9de2bcbf695581718",
    "3995497cea956ae515d2261898fa051015728e5a8aaac42dad33170d04507a33",
    "a85521abdf1cba64ecfb850458dbef0a8aea71575d060c7db3970f85a6e1e4c7",
    "abf5ae8cdb0933d71e8c94e04a25619dcee3d2261ad2ee6bf12ffa06d98a0864",
    "d87602733ec86a64521f2b18177b200cbbe117577a615d6c770988c0bad946e2",
    "08e24fa074e5ab3143db5bfce0fd108e4b82d120a93ad2caffffffffffffffff",
);

/// H(PAD(N) ‖ PAD(g)); a unit test recomputes it.
const K_HEX: &str = "538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6";

const LIMBS: usize = U3072::LIMBS;

/// Bytes of N.
pub(super) const N_LEN: usize = 384;

/// A residue mod N in Montgomery form.
pub(super) type Elem = FixedMontyForm<LIMBS>;

pub(super) const N: Odd<U3072> = Odd::<U3072>::from_be_hex(N_HEX);

// All computed by the compiler: no start-up cost and no lazy initialisation.
static PARAMS: FixedMontyParams<LIMBS> = FixedMontyParams::new_vartime(N);
static G: Elem = Elem::new(&U3072::from_u8(2), &PARAMS);
static K: Elem = Elem::new(&U256::from_be_hex(K_HEX).resize(), &PARAMS);

/// Secret and hash-derived exponents (x, b, u) are SHA-256 sized.
pub(super) const EXP_BITS: u32 = 256;

pub(super) fn elem(n: &U3072) -> Elem {
    Elem::new(n, &PARAMS)
}

#[cfg(test)]
pub(super) fn g() -> &'static Elem {
    &G
}

pub(super) fn k() -> &'static Elem {
    &K
}

/// `base^exp mod N`, in time independent of `exp`'s value.
pub(super) fn pow(base: &Elem, exp: &U256) -> Elem {
    base.pow_bounded_exp(exp, EXP_BITS)
}

/// Exponent bits per table row: g^b is a product of one entry per 4-bit digit of b.
const DIGIT_BITS: u32 = 4;
const DIGITS: usize = (EXP_BITS / DIGIT_BITS) as usize;
const DIGIT_VALUES: usize = 1 << DIGIT_BITS;

/// `G_POWERS[i][j]` = g^(j·16^i) in Montgomery form (384 KiB, computed once): the base of
/// every verifier and every server ephemeral B is g, so g^e costs 63 multiplications and
/// no squarings instead of a full exponentiation.
static G_POWERS: LazyLock<Box<[[U3072; DIGIT_VALUES]; DIGITS]>> = LazyLock::new(|| {
    let mut table = Box::new([[U3072::ZERO; DIGIT_VALUES]; DIGITS]);
    let mut base = G;
    for row in table.iter_mut() {
        let mut power = Elem::one(&PARAMS);
        for entry in row.iter_mut() {
            *entry = power.to_montgomery();
            power = power.mul(&base);
        }
        // base^16 for the next digit.
        base = power;
    }
    table
});

/// `g^exp mod N`, in time independent of `exp`'s value: every digit reads all 16 entries
/// of its row (constant-time selection) and multiplies, zero digits included.
pub(super) fn pow_g(exp: &U256) -> Elem {
    let table = &*G_POWERS;
    let mut acc = Elem::one(&PARAMS);
    for (i, row) in table.iter().enumerate() {
        let bit = i as u32 * DIGIT_BITS;
        let word = exp.as_words()[(bit / Word::BITS) as usize];
        let digit = ((word >> (bit % Word::BITS)) & 0xf) as u8;
        let mut entry = row[0];
        for (j, candidate) in row.iter().enumerate().skip(1) {
            entry.ct_assign(candidate, Choice::from_u8_eq(j as u8, digit));
        }
        acc = acc.mul(&Elem::from_montgomery(entry, &PARAMS));
    }
    acc
}

/// The integer with these big-endian bytes (leading zeros allowed); `None` if ≥ 2^3072.
pub(super) fn uint_from_be(bytes: &[u8]) -> Option<U3072> {
    let bytes = strip_leading_zeros(bytes);
    let mut buf = [0u8; N_LEN];
    let start = N_LEN.checked_sub(bytes.len())?;
    buf[start..].copy_from_slice(bytes);
    Some(U3072::from_be_slice(&buf))
}

/// The integer with these big-endian bytes reduced mod N; `None` if ≥ 2^6144.
pub(super) fn reduce_from_be(bytes: &[u8]) -> Option<U3072> {
    let bytes = strip_leading_zeros(bytes);
    let mut buf = [0u8; 2 * N_LEN];
    let start = (2 * N_LEN).checked_sub(bytes.len())?;
    buf[start..].copy_from_slice(bytes);
    Some(U6144::from_be_slice(&buf).rem_vartime(N.as_nz_ref()))
}

pub(super) fn u256_from_digest(digest: &[u8; 32]) -> U256 {
    U256::from_be_slice(digest)
}

/// PAD(n) as bytes.
pub(super) fn pad(n: &U3072) -> Vec<u8> {
    pad_be(n.to_be_bytes().as_ref())
}

/// PAD of the integer with these big-endian bytes: minimal length, plus a 0x00 byte when
/// the top bit is set (so the value reads as positive); zero is one 0x00 byte.
pub(super) fn pad_be(bytes: &[u8]) -> Vec<u8> {
    let bytes = strip_leading_zeros(bytes);
    let mut out = Vec::with_capacity(bytes.len() + 1);
    if bytes.first().is_none_or(|top| top & 0x80 != 0) {
        out.push(0);
    }
    out.extend_from_slice(bytes);
    out
}

/// Lowercase hex without leading zeros (`'%x'`, JavaScript's `toString(16)`).
pub(super) fn hex_unpadded(n: &U3072) -> String {
    let hex = hex::encode(strip_leading_zeros(n.to_be_bytes().as_ref()));
    match hex.strip_prefix('0') {
        Some(rest) => rest.to_owned(),
        None if hex.is_empty() => "0".to_owned(),
        None => hex,
    }
}

/// Hex of any length and case, odd lengths included (`SRP_A` is sent unpadded).
pub(super) fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    if hex.is_empty() || !hex.bytes().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    if hex.len() % 2 == 1 {
        hex::decode(format!("0{hex}")).ok()
    } else {
        hex::decode(hex).ok()
    }
}

pub(super) fn sha256(parts: &[&[u8]]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part);
    }
    hasher.finalize().into()
}

fn strip_leading_zeros(bytes: &[u8]) -> &[u8] {
    let first = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    &bytes[first..]
}
