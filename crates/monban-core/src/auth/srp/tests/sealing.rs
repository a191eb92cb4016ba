//! SECRET_BLOCK sealing, and the whole exchange as the sign-in flow will run it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::atomic::AtomicU64;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

use super::super::*;
use super::{sealed_state, Client, CountingRng, BLOCK, CLIENT_ID, KEY, PASSWORD, POOL_ID};
use crate::cx::SystemRng;

#[test]
fn secret_block_round_trips_and_is_unique() {
    let rng = CountingRng(AtomicU64::new(7));
    let state = sealed_state(1_000_000);
    let one = seal_secret_block(&KEY, &rng, &state).unwrap();
    let two = seal_secret_block(&KEY, &rng, &state).unwrap();
    assert_ne!(one, two);
    let opened = open_secret_block(&KEY, &one, POOL_ID, CLIENT_ID, 999_999).unwrap();
    assert_eq!(opened.state, state);
    assert_eq!(opened.id.len(), 48);
    assert_ne!(
        opened.id,
        open_secret_block(&KEY, &two, POOL_ID, CLIENT_ID, 0)
            .unwrap()
            .id
    );

    let device = SrpState {
        kind: SrpKind::Device,
        device_key: None,
        context: String::new(),
        ..state
    };
    let sealed = seal_secret_block(&KEY, &rng, &device).unwrap();
    assert_eq!(
        open_secret_block(&KEY, &sealed, POOL_ID, CLIENT_ID, 0)
            .unwrap()
            .state,
        device
    );
    // b is not readable in the block.
    let raw = STANDARD.decode(&sealed).unwrap();
    let b = device.ephemeral.secret_bytes();
    assert!(!raw.windows(32).any(|w| w == b));
}

#[test]
fn expired_secret_block_is_rejected() {
    let sealed = seal_secret_block(&KEY, &SystemRng, &sealed_state(1_000_000)).unwrap();
    assert!(open_secret_block(&KEY, &sealed, POOL_ID, CLIENT_ID, 999_999).is_ok());
    assert_eq!(
        open_secret_block(&KEY, &sealed, POOL_ID, CLIENT_ID, 1_000_000),
        Err(SrpError::SecretBlockExpired)
    );
    assert_eq!(
        open_secret_block(&KEY, &sealed, POOL_ID, CLIENT_ID, i64::MAX),
        Err(SrpError::SecretBlockExpired)
    );
}

#[test]
fn tampered_or_foreign_secret_block_is_rejected() {
    let sealed = seal_secret_block(&KEY, &SystemRng, &sealed_state(1_000_000)).unwrap();
    let raw = STANDARD.decode(&sealed).unwrap();
    for index in [0, 1, 24, 25, raw.len() / 2, raw.len() - 1] {
        let mut tampered = raw.clone();
        tampered[index] ^= 0x01;
        assert_eq!(
            open_secret_block(&KEY, &STANDARD.encode(&tampered), POOL_ID, CLIENT_ID, 0),
            Err(SrpError::SecretBlockInvalid),
            "byte {index}"
        );
    }
    let truncated = STANDARD.encode(&raw[..raw.len() - 1]);
    let extended = STANDARD.encode([raw.as_slice(), &[0]].concat());
    for block in [
        "",
        "%%%",
        "AQ==",
        truncated.as_str(),
        extended.as_str(),
        BLOCK,
    ] {
        assert_eq!(
            open_secret_block(&KEY, block, POOL_ID, CLIENT_ID, 0),
            Err(SrpError::SecretBlockInvalid),
            "{block:.20}"
        );
    }
    // Another server key, another pool, another client.
    assert_eq!(
        open_secret_block(&[43u8; 32], &sealed, POOL_ID, CLIENT_ID, 0),
        Err(SrpError::SecretBlockInvalid)
    );
    assert_eq!(
        open_secret_block(&KEY, &sealed, "us-east-1_Other", CLIENT_ID, 0),
        Err(SrpError::SecretBlockInvalid)
    );
    assert_eq!(
        open_secret_block(&KEY, &sealed, POOL_ID, "other", 0),
        Err(SrpError::SecretBlockInvalid)
    );
}

#[test]
fn oversized_state_is_refused() {
    let mut state = sealed_state(1);
    state.context = "x".repeat(70_000);
    assert_eq!(
        seal_secret_block(&KEY, &SystemRng, &state),
        Err(SrpError::SecretBlockTooLarge)
    );
}

/// The whole exchange as the sign-in flow will run it, with a random client.
#[test]
fn full_exchange_with_sealed_state() {
    let rng = SystemRng;
    let who = SrpIdentity::user(POOL_ID, "3f1c0d2e-1111-4222-8333-944455556666");
    let stored = Verifier::generate(&rng, &who, PASSWORD);
    let (salt_hex, verifier_hex) = (stored.salt_hex().to_owned(), stored.verifier_hex());

    // InitiateAuth.
    let client = Client::random();
    let verifier = Verifier::from_stored(&salt_hex, &verifier_hex).unwrap();
    let a = PublicA::parse(&client.srp_a()).unwrap();
    let server = ServerEphemeral::generate(&rng, &verifier).unwrap();
    let srp_b = server.srp_b();
    let now = 1_741_064_767_000;
    let state = SrpState {
        kind: SrpKind::Password,
        pool_id: POOL_ID.to_owned(),
        client_id: CLIENT_ID.to_owned(),
        username: "3f1c0d2e-1111-4222-8333-944455556666".to_owned(),
        device_key: None,
        context: String::new(),
        a,
        ephemeral: server,
        expires_at_ms: now + 180_000,
    };
    let secret_block = seal_secret_block(&KEY, &rng, &state).unwrap();

    // The client answers 2 s later.
    let timestamp = render_timestamp(now + 2_000);
    let good = client.signature(&who, PASSWORD, &salt_hex, &srp_b, &secret_block, &timestamp);
    let bad = client.signature(&who, "wrong", &salt_hex, &srp_b, &secret_block, &timestamp);

    // RespondToAuthChallenge.
    let opened = open_secret_block(&KEY, &secret_block, POOL_ID, CLIENT_ID, now + 2_500).unwrap();
    let check = |signature: &str| {
        let claim = PasswordClaim {
            secret_block: &secret_block,
            timestamp: &timestamp,
            signature,
        };
        verify_password_claim(
            &who,
            &verifier,
            &opened.state.a,
            &opened.state.ephemeral,
            &claim,
            now + 2_500,
        )
    };
    assert_eq!(check(&good), Ok(()));
    assert_eq!(check(&bad), Err(SrpError::SignatureMismatch));
}
