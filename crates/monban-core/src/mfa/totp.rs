//! TOTP as authenticator apps compute it (RFC 6238): HMAC-SHA-1, 6 digits, 30-second
//! steps. A code is accepted for the current step and one step either side (clock drift
//! and typing time), and only for a step later than the last one accepted, so that each
//! code works once.

use totp_rs::{Algorithm, Secret, TOTP};

use crate::cx::Rng;

/// Secret length: 256 bits, 52 base32 characters, as Cognito's `SecretCode`.
pub const SECRET_BYTES: usize = 32;
const DIGITS: usize = 6;
const STEP_SECONDS: u64 = 30;
/// Steps accepted on each side of the current one.
const WINDOW: u64 = 1;

/// A new random secret.
pub fn new_secret(rng: &dyn Rng) -> Vec<u8> {
    let mut secret = vec![0u8; SECRET_BYTES];
    rng.fill(&mut secret);
    secret
}

/// The secret as the `SecretCode` an authenticator app takes: base32 without padding
/// (model pattern `[A-Za-z0-9]+`).
pub fn secret_code(secret: &[u8]) -> String {
    match Secret::Raw(secret.to_vec()).to_encoded() {
        Secret::Encoded(code) => code,
        Secret::Raw(_) => String::new(),
    }
}

fn totp(secret: &[u8]) -> TOTP {
    TOTP::new_unchecked(Algorithm::SHA1, DIGITS, 0, STEP_SECONDS, secret.to_vec())
}

/// The time step that `code` belongs to at `now_ms`, if it is one of the accepted steps
/// and later than `after_step`. Every candidate is computed and compared in constant time.
pub fn accepted_step(
    secret: &[u8],
    code: &str,
    now_ms: i64,
    after_step: Option<u64>,
) -> Option<u64> {
    let code = code.trim();
    if code.len() != DIGITS || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let now = u64::try_from(now_ms.max(0)).unwrap_or(0) / 1000;
    let current = now / STEP_SECONDS;
    let totp = totp(secret);
    let mut found = None;
    for step in current.saturating_sub(WINDOW)..=current.saturating_add(WINDOW) {
        let expected = totp.generate(step * STEP_SECONDS);
        let same: bool = subtle::ConstantTimeEq::ct_eq(expected.as_bytes(), code.as_bytes()).into();
        if same && after_step.is_none_or(|last| step > last) && found.is_none() {
            found = Some(step);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1 (8-digit values; the 6-digit code is their last six).
    const RFC_SECRET: &[u8] = b"12345678901234567890";

    #[test]
    fn rfc_6238_vectors() {
        for (t, expected) in [
            (59u64, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
        ] {
            let code = &expected[2..];
            let ms = i64::try_from(t * 1000).unwrap_or(0);
            assert_eq!(
                accepted_step(RFC_SECRET, code, ms, None),
                Some(t / 30),
                "t = {t}"
            );
        }
    }

    #[test]
    fn one_step_either_side_and_never_an_old_step() {
        let t = 1_234_567_890u64;
        let ms = |s: u64| i64::try_from(s * 1000).unwrap_or(0);
        let code = &"89005924"[2..];
        assert_eq!(
            accepted_step(RFC_SECRET, code, ms(t + 30), None),
            Some(t / 30)
        );
        assert_eq!(
            accepted_step(RFC_SECRET, code, ms(t - 30), None),
            Some(t / 30)
        );
        assert_eq!(accepted_step(RFC_SECRET, code, ms(t + 60), None), None);
        // Used once: the same step again, or an earlier one, is refused.
        assert_eq!(accepted_step(RFC_SECRET, code, ms(t), Some(t / 30)), None);
        assert_eq!(
            accepted_step(RFC_SECRET, code, ms(t), Some(t / 30 - 1)),
            Some(t / 30)
        );
    }

    #[test]
    fn malformed_codes_are_refused() {
        for code in ["", "12345", "1234567", "abcdef", "12 456"] {
            assert_eq!(accepted_step(RFC_SECRET, code, 59_000, None), None);
        }
    }

    #[test]
    fn secret_codes_are_52_base32_characters() {
        let code = secret_code(&[0xA5; SECRET_BYTES]);
        assert_eq!(code.len(), 52);
        assert!(code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b)));
    }
}
