//! What must fail: wrong passwords, bad A, bad timestamps, malformed input, bad verifiers.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::atomic::AtomicU64;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use crypto_bigint::{U256, U3072};

use super::super::group;
use super::super::*;
use super::{
    bytes, fixture, u3072_hex, CountingRng, ZeroRng, BLOCK, PASSWORD, POOL_ID, SIGNATURE, TIMESTAMP,
};
use crate::cx::SystemRng;

#[test]
fn wrong_password_or_identity_is_a_mismatch() {
    let f = fixture();
    let alice = SrpIdentity::user(POOL_ID, "alice");
    assert_eq!(
        f.client_signature(&alice, PASSWORD, BLOCK, TIMESTAMP),
        SIGNATURE
    );
    assert_eq!(f.verify(&alice, BLOCK, TIMESTAMP, SIGNATURE, f.now), Ok(()));

    let wrong = f.client_signature(&alice, "Correct-Horse-8", BLOCK, TIMESTAMP);
    assert_eq!(
        f.verify(&alice, BLOCK, TIMESTAMP, &wrong, f.now),
        Err(SrpError::SignatureMismatch)
    );

    // The right signature does not hold for another user or another pool.
    let bob = SrpIdentity::user(POOL_ID, "bob");
    assert_eq!(
        f.verify(&bob, BLOCK, TIMESTAMP, SIGNATURE, f.now),
        Err(SrpError::SignatureMismatch)
    );
    let other_pool = SrpIdentity::user("us-east-1_Other", "alice");
    assert_eq!(
        f.verify(&other_pool, BLOCK, TIMESTAMP, SIGNATURE, f.now),
        Err(SrpError::SignatureMismatch)
    );
}

#[test]
fn signature_covers_the_secret_block_and_the_timestamp() {
    let f = fixture();
    let alice = SrpIdentity::user(POOL_ID, "alice");
    let other_block = STANDARD.encode([7u8; 64]);
    assert_eq!(
        f.verify(&alice, &other_block, TIMESTAMP, SIGNATURE, f.now),
        Err(SrpError::SignatureMismatch)
    );
    let later = "Tue Mar 4 05:06:08 UTC 2025";
    assert_eq!(
        f.verify(&alice, BLOCK, later, SIGNATURE, f.now),
        Err(SrpError::SignatureMismatch)
    );
    // A flipped bit of the signature.
    let mut flipped = STANDARD.decode(SIGNATURE).unwrap();
    flipped[31] ^= 1;
    assert_eq!(
        f.verify(&alice, BLOCK, TIMESTAMP, &STANDARD.encode(flipped), f.now),
        Err(SrpError::SignatureMismatch)
    );
}

#[test]
fn non_canonical_timestamp_fails_like_cognito() {
    // A client that signed a zero-padded day: the server signs the canonical "Mar 4".
    let f = fixture();
    let alice = SrpIdentity::user(POOL_ID, "alice");
    let padded = "Tue Mar 04 05:06:07 UTC 2025";
    let signature = f.client_signature(&alice, PASSWORD, BLOCK, padded);
    assert_eq!(
        f.verify(&alice, BLOCK, padded, &signature, f.now),
        Err(SrpError::SignatureMismatch)
    );
}

#[test]
fn bad_or_skewed_timestamps_are_rejected() {
    let f = fixture();
    let alice = SrpIdentity::user(POOL_ID, "alice");
    for timestamp in [
        "",
        "2025-03-04T05:06:07Z",
        "Tue Mar 4 05:06:07 UTC",
        "Tue Mar 4 05:06:07 PST 2025",
    ] {
        assert_eq!(
            f.verify(&alice, BLOCK, timestamp, SIGNATURE, f.now),
            Err(SrpError::BadTimestamp),
            "{timestamp:?}"
        );
    }
    assert_eq!(
        f.verify(
            &alice,
            BLOCK,
            TIMESTAMP,
            SIGNATURE,
            f.now + MAX_TIMESTAMP_SKEW_MS
        ),
        Ok(())
    );
    assert_eq!(
        f.verify(
            &alice,
            BLOCK,
            TIMESTAMP,
            SIGNATURE,
            f.now - MAX_TIMESTAMP_SKEW_MS
        ),
        Ok(())
    );
    assert_eq!(
        f.verify(
            &alice,
            BLOCK,
            TIMESTAMP,
            SIGNATURE,
            f.now + MAX_TIMESTAMP_SKEW_MS + 1
        ),
        Err(SrpError::TimestampSkew)
    );
    assert_eq!(
        f.verify(
            &alice,
            BLOCK,
            TIMESTAMP,
            SIGNATURE,
            f.now - MAX_TIMESTAMP_SKEW_MS - 1
        ),
        Err(SrpError::TimestampSkew)
    );
}

#[test]
fn malformed_signature_or_block_is_rejected() {
    let f = fixture();
    let alice = SrpIdentity::user(POOL_ID, "alice");
    let short = STANDARD.encode([1u8; 31]);
    for signature in ["", "not base64!", short.as_str()] {
        assert_eq!(
            f.verify(&alice, BLOCK, TIMESTAMP, signature, f.now),
            Err(SrpError::MalformedSignature)
        );
    }
    // Unpadded base64 is accepted.
    assert_eq!(
        f.verify(
            &alice,
            BLOCK,
            TIMESTAMP,
            SIGNATURE.trim_end_matches('='),
            f.now
        ),
        Ok(())
    );
    assert_eq!(
        f.verify(&alice, "%%%", TIMESTAMP, SIGNATURE, f.now),
        Err(SrpError::SecretBlockInvalid)
    );
}

#[test]
fn a_that_is_zero_mod_n_is_rejected() {
    let n = u3072_hex(group::N.as_ref());
    let two_n = hex::encode(
        group::N
            .as_ref()
            .resize::<{ U3072::LIMBS + 1 }>()
            .wrapping_add(&group::N.as_ref().resize())
            .to_be_bytes(),
    );
    let zeros = "0".repeat(2000);
    for srp_a in [
        "0",
        "00",
        zeros.as_str(),
        n.as_str(),
        n.to_uppercase().as_str(),
        two_n.as_str(),
    ] {
        assert_eq!(
            PublicA::parse(srp_a),
            Err(SrpError::BadA),
            "{}",
            &srp_a[..srp_a.len().min(20)]
        );
    }
    let too_long = format!("1{}", "0".repeat(1536));
    for srp_a in ["", "xyz", "0x12", "12 34", "-1", too_long.as_str()] {
        assert_eq!(PublicA::parse(srp_a), Err(SrpError::BadA), "{srp_a:.20}");
    }
    // Odd length, upper case and leading zeros are fine; so is an unreduced A ≢ 0.
    assert!(PublicA::parse("abc").is_ok());
    assert!(PublicA::parse("000ABC").is_ok());
    assert_eq!(PublicA::parse("000ABC"), PublicA::parse("abc"));
    let n_plus_one = hex::encode(
        group::N
            .as_ref()
            .resize::<{ U3072::LIMBS + 1 }>()
            .wrapping_add(&crypto_bigint::Uint::ONE)
            .to_be_bytes(),
    );
    assert!(PublicA::parse(&n_plus_one).is_ok());
}

#[test]
fn stored_verifiers_are_validated() {
    let f = fixture();
    let n = u3072_hex(group::N.as_ref());
    for (salt, verifier) in [
        ("", "02"),
        ("zz", "02"),
        ("00aa", "00"),
        ("00aa", ""),
        ("00aa", n.as_str()),
        ("00aa", "not hex"),
    ] {
        assert_eq!(
            Verifier::from_stored(salt, verifier),
            Err(SrpError::BadVerifier),
            "{salt:?} {verifier:.10}"
        );
    }
    assert_eq!(
        Verifier::from_device_config("%%", "Ag=="),
        Err(SrpError::BadVerifier)
    );
    assert_eq!(
        Verifier::from_device_config("AQ==", "AA=="),
        Err(SrpError::BadVerifier)
    );
    assert_eq!(
        Verifier::from_stored(f.verifier.salt_hex(), &f.verifier.verifier_hex()),
        Ok(f.verifier.clone())
    );
}

#[test]
fn generated_verifiers_have_fresh_padded_salts() {
    let rng = CountingRng(AtomicU64::new(0));
    let who = SrpIdentity::user(POOL_ID, "alice");
    let one = Verifier::generate(&rng, &who, PASSWORD);
    let two = Verifier::generate(&rng, &who, PASSWORD);
    assert_ne!(one.salt_hex(), two.salt_hex());
    assert_ne!(one.verifier_hex(), two.verifier_hex());
    for verifier in [&one, &two] {
        let salt = bytes(verifier.salt_hex());
        assert_eq!(group::pad_be(&salt), salt, "SALT is stored as PAD(salt)");
        assert!(salt.len() == 16 || salt.len() == 17);
    }
    // Neither part shows in Debug.
    let debug = format!("{one:?}");
    assert!(!debug.contains(one.salt_hex()) && !debug.contains(&one.verifier_hex()[..16]));
}

#[test]
fn ephemerals_are_random_and_need_a_working_rng() {
    let f = fixture();
    let one = ServerEphemeral::generate(&SystemRng, &f.verifier).unwrap();
    let two = ServerEphemeral::generate(&SystemRng, &f.verifier).unwrap();
    assert_ne!(one.srp_b(), two.srp_b());
    assert!(!one.srp_b().starts_with('0'));
    assert_eq!(one.srp_b(), one.srp_b().to_lowercase());
    assert_eq!(
        ServerEphemeral::generate(&ZeroRng, &f.verifier),
        Err(SrpError::RandomnessFailure)
    );
    // b stays out of Debug.
    let b_hex = hex::encode(one.secret_bytes());
    assert!(!format!("{one:?}").contains(&b_hex));
}

#[test]
fn exponent_helpers_agree_with_plain_arithmetic() {
    // g^(2^8) = 2^256, which is < N: a check of `pow` independent of the vector.
    let e = U256::from_u16(256);
    let expected = U3072::ONE.shl_vartime(256);
    assert_eq!(group::pow(group::g(), &e).retrieve(), expected);
}
