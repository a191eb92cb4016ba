//! The fixed vector of `shared/reference/srp-test-vector.json` (checked against pycognito and
//! amazon-cognito-identity-js), a client emulation for end-to-end and negative cases, and
//! SECRET_BLOCK sealing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::atomic::{AtomicU64, Ordering};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use crypto_bigint::{U1024, U2048, U256, U3072};
use serde_json::Value;

use super::exchange::{claim_signature, premaster_secret, scrambler, session_key};
use super::group;
use super::verifier::private_x;
use super::*;
use crate::cx::{Rng, SystemRng};

fn vector() -> Value {
    serde_json::from_str(include_str!("test-vector.json")).unwrap()
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().expect(key)
}

fn bytes(hex_text: &str) -> Vec<u8> {
    group::decode_hex(hex_text).unwrap()
}

fn u3072_hex(n: &U3072) -> String {
    group::hex_unpadded(n)
}

/// Deterministic bytes, different on every call.
struct CountingRng(AtomicU64);

impl Rng for CountingRng {
    fn fill(&self, buf: &mut [u8]) {
        for chunk in buf.chunks_mut(32) {
            let n = self.0.fetch_add(1, Ordering::Relaxed);
            let block = group::sha256(&[&n.to_be_bytes()]);
            chunk.copy_from_slice(&block[..chunk.len()]);
        }
    }
}

struct ZeroRng;

impl Rng for ZeroRng {
    fn fill(&self, buf: &mut [u8]) {
        buf.fill(0);
    }
}

/// What amazon-cognito-identity-js / pycognito compute on their side.
struct Client {
    a: U1024,
}

impl Client {
    fn new(a: &[u8]) -> Self {
        let mut buf = [0u8; 128];
        buf[128 - a.len()..].copy_from_slice(a);
        Self {
            a: U1024::from_be_slice(&buf),
        }
    }

    fn random() -> Self {
        let mut a = [0u8; 128];
        SystemRng.fill(&mut a);
        Self::new(&a)
    }

    fn srp_a(&self) -> String {
        u3072_hex(&group::g().pow_bounded_exp(&self.a, 1024).retrieve())
    }

    fn premaster(
        &self,
        who: &SrpIdentity<'_>,
        password: &str,
        salt_hex: &str,
        srp_b: &str,
    ) -> (U3072, [u8; 32]) {
        // JS re-pads SALT; pycognito uses it as sent: the same bytes for PAD(salt).
        let x = private_x(&group::pad_be(&bytes(salt_hex)), who, password);
        let big_a = group::g().pow_bounded_exp(&self.a, 1024).retrieve();
        let big_b = group::uint_from_be(&bytes(srp_b)).unwrap();
        let u = group::sha256(&[&group::pad(&big_a), &group::pad(&big_b)]);
        let base = group::elem(&big_b) - group::k() * group::pow(group::g(), &x);
        let ux = U2048::from_be_slice(&[[0u8; 224].as_slice(), &u].concat())
            .wrapping_mul(&x.resize::<{ U2048::LIMBS }>());
        let exponent = self.a.resize::<{ U2048::LIMBS }>().wrapping_add(&ux);
        (base.pow_bounded_exp(&exponent, 2048).retrieve(), u)
    }

    fn signature(
        &self,
        who: &SrpIdentity<'_>,
        password: &str,
        salt_hex: &str,
        srp_b: &str,
        secret_block: &str,
        timestamp: &str,
    ) -> String {
        let (s, u) = self.premaster(who, password, salt_hex, srp_b);
        let key = exchange::hkdf_16(&group::pad_be(&u), &group::pad(&s));
        let block = STANDARD.decode(secret_block).unwrap();
        STANDARD.encode(claim_signature(&key, who, &block, timestamp))
    }
}

#[test]
fn k_is_hash_of_padded_n_and_g() {
    let k = group::sha256(&[&group::pad(group::N.as_ref()), &[2]]);
    assert_eq!(hex::encode(k), s(&vector(), "k"));
    assert_eq!(u3072_hex(&group::k().retrieve()), s(&vector(), "k"));
    assert_eq!(u3072_hex(group::N.as_ref()), s(&vector(), "N"));
    assert_eq!(group::pad(group::N.as_ref())[0], 0);
}

#[test]
fn secret_hash_vector() {
    use crate::auth::secret_hash::{secret_hash, verify_secret_hash};
    let v = vector();
    let h = &v["secret_hash"];
    let (secret, username, client_id) =
        (s(h, "client_secret"), s(h, "username"), s(h, "client_id"));
    assert_eq!(
        secret_hash(secret, username, client_id),
        s(h, "SECRET_HASH")
    );
    assert!(verify_secret_hash(
        secret,
        username,
        client_id,
        s(h, "SECRET_HASH")
    ));
    assert!(!verify_secret_hash(
        secret,
        "alicf",
        client_id,
        s(h, "SECRET_HASH")
    ));
}

#[test]
fn pad_is_minimal_twos_complement() {
    assert_eq!(group::pad_be(&[]), [0]);
    assert_eq!(group::pad_be(&[0, 0]), [0]);
    assert_eq!(group::pad_be(&[0, 0, 0x7f, 1]), [0x7f, 1]);
    assert_eq!(group::pad_be(&[0x80]), [0, 0x80]);
    assert_eq!(group::pad_be(&[0, 0xff, 2]), [0, 0xff, 2]);
}

#[test]
fn pool_name_is_the_part_after_the_region() {
    assert_eq!(pool_name("us-east-1_AbCdEf123"), "AbCdEf123");
    assert_eq!(pool_name("eu-west-2_x"), "x");
    assert_eq!(pool_name("nounderscore"), "");
}

#[test]
fn password_vector_every_intermediate_value() {
    let v = vector();
    let who = SrpIdentity::user(s(&v, "pool_id"), s(&v, "USER_ID_FOR_SRP"));
    assert_eq!(who.realm(), s(&v, "pool_name"));

    // Salt integer 0xc3e1…98 (top bit set, so PAD adds a zero byte).
    let verifier = Verifier::from_salt(
        &bytes("c3e1f0d2b4a6987856341200fedcba98"),
        &who,
        s(&v, "password"),
    );
    assert_eq!(verifier.salt_hex(), s(&v, "SALT"));
    let x = private_x(&bytes(s(&v, "SALT")), &who, s(&v, "password"));
    assert_eq!(hex::encode(x.to_be_bytes()), s(&v, "x"));
    assert_eq!(verifier.verifier_hex(), format!("00{}", s(&v, "v")));

    let client = Client::new(&bytes(s(&v, "a")));
    assert_eq!(client.srp_a(), s(&v, "SRP_A"));
    let a = PublicA::parse(s(&v, "SRP_A")).unwrap();

    let b: [u8; 32] = bytes(s(&v, "b")).try_into().unwrap();
    let server = ServerEphemeral::from_secret(&b, &verifier).unwrap();
    assert_eq!(server.srp_b(), s(&v, "SRP_B"));

    let u = scrambler(&a, &server).unwrap();
    assert_eq!(hex::encode(u), s(&v, "u"));
    let premaster = premaster_secret(&a, &server, &verifier, &u);
    assert_eq!(u3072_hex(&premaster), s(&v, "S"));
    let key = session_key(&a, &server, &verifier).unwrap();
    assert_eq!(hex::encode(key), s(&v, "hkdf_key"));

    // The client side reaches the same S.
    let (client_s, client_u) =
        client.premaster(&who, s(&v, "password"), s(&v, "SALT"), s(&v, "SRP_B"));
    assert_eq!(client_u, u);
    assert_eq!(client_s, premaster);

    let block = STANDARD.decode(s(&v, "SECRET_BLOCK")).unwrap();
    let message = [
        who.realm().as_bytes(),
        who.user_name().as_bytes(),
        &block,
        s(&v, "TIMESTAMP").as_bytes(),
    ]
    .concat();
    assert_eq!(hex::encode(message), s(&v, "message_hex"));
    let signature = claim_signature(&key, &who, &block, s(&v, "TIMESTAMP"));
    assert_eq!(
        STANDARD.encode(signature),
        s(&v, "PASSWORD_CLAIM_SIGNATURE")
    );

    let claim = PasswordClaim {
        secret_block: s(&v, "SECRET_BLOCK"),
        timestamp: s(&v, "TIMESTAMP"),
        signature: s(&v, "PASSWORD_CLAIM_SIGNATURE"),
    };
    let now = parse_timestamp(s(&v, "TIMESTAMP")).unwrap() + 1234;
    assert_eq!(
        verify_password_claim(&who, &verifier, &a, &server, &claim, now),
        Ok(())
    );

    // What storage gives back verifies just the same.
    let stored = Verifier::from_stored(verifier.salt_hex(), &verifier.verifier_hex()).unwrap();
    assert_eq!(stored, verifier);
    assert_eq!(
        verify_password_claim(&who, &stored, &a, &server, &claim, now),
        Ok(())
    );
}

#[test]
fn device_vector_every_intermediate_value() {
    let v = vector();
    let d = &v["device"];
    let who = SrpIdentity::device(s(d, "DeviceGroupKey"), s(d, "DeviceKey"));
    let password = s(d, "device_password");

    let verifier = Verifier::from_salt(&bytes(s(d, "SALT")), &who, password);
    assert_eq!(verifier.salt_hex(), s(d, "SALT"));
    let x = private_x(&bytes(s(d, "SALT")), &who, password);
    assert_eq!(hex::encode(x.to_be_bytes()), s(d, "x"));
    assert_eq!(verifier.verifier_hex(), s(d, "verifier"));
    let config = &d["DeviceSecretVerifierConfig"];
    assert_eq!(
        verifier.to_device_config(),
        (
            s(config, "Salt").to_owned(),
            s(config, "PasswordVerifier").to_owned()
        )
    );
    // ConfirmDevice: what the client sends is the same verifier, and SALT comes back as sent.
    let confirmed =
        Verifier::from_device_config(s(config, "Salt"), s(config, "PasswordVerifier")).unwrap();
    assert_eq!(confirmed, verifier);

    let client = Client::new(&bytes(s(d, "a")));
    assert_eq!(client.srp_a(), s(d, "SRP_A"));
    let a = PublicA::parse(s(d, "SRP_A")).unwrap();
    let b: [u8; 32] = bytes(s(d, "b")).try_into().unwrap();
    let server = ServerEphemeral::from_secret(&b, &confirmed).unwrap();
    assert_eq!(server.srp_b(), s(d, "SRP_B"));

    let u = scrambler(&a, &server).unwrap();
    assert_eq!(hex::encode(u), s(d, "u"));
    // u's top byte is 0xa3: the HKDF salt is 00 ‖ u.
    assert_eq!(group::pad_be(&u).len(), 33);
    assert_eq!(
        u3072_hex(&premaster_secret(&a, &server, &confirmed, &u)),
        s(d, "S")
    );
    let key = session_key(&a, &server, &confirmed).unwrap();
    assert_eq!(hex::encode(key), s(d, "hkdf_key"));

    let claim = PasswordClaim {
        secret_block: s(d, "SECRET_BLOCK"),
        timestamp: s(d, "TIMESTAMP"),
        signature: s(d, "PASSWORD_CLAIM_SIGNATURE"),
    };
    let signature = client.signature(
        &who,
        password,
        s(d, "SALT"),
        s(d, "SRP_B"),
        claim.secret_block,
        claim.timestamp,
    );
    assert_eq!(signature, claim.signature);
    let now = parse_timestamp(claim.timestamp).unwrap();
    assert_eq!(
        verify_password_claim(&who, &confirmed, &a, &server, &claim, now),
        Ok(())
    );
}

/// The password vector's exchange, for negative cases.
struct Fixture {
    verifier: Verifier,
    a: PublicA,
    server: ServerEphemeral,
    now: i64,
}

const POOL_ID: &str = "us-east-1_AbCdEf123";
const PASSWORD: &str = "Correct-Horse-9";
const BLOCK: &str =
    "ZPRxW/HMmR8aa04FmMsBTIiBH4/GkRnO3RKXV8eJqXpn8/QTnVmjJ1QFGHAGjYdTEdfH3sz9qcOiJfnfkcRvjA==";
const TIMESTAMP: &str = "Tue Mar 4 05:06:07 UTC 2025";
const SIGNATURE: &str = "uWDLftAXSKF/Unb10CJqMxHS6ICsH8K+u2Pge+HtBHo=";

fn fixture() -> Fixture {
    let v = vector();
    let who = SrpIdentity::user(POOL_ID, "alice");
    let verifier = Verifier::from_salt(&bytes("c3e1f0d2b4a6987856341200fedcba98"), &who, PASSWORD);
    let b: [u8; 32] = bytes(s(&v, "b")).try_into().unwrap();
    Fixture {
        a: PublicA::parse(s(&v, "SRP_A")).unwrap(),
        server: ServerEphemeral::from_secret(&b, &verifier).unwrap(),
        verifier,
        now: parse_timestamp(TIMESTAMP).unwrap(),
    }
}

impl Fixture {
    fn verify(
        &self,
        who: &SrpIdentity<'_>,
        block: &str,
        timestamp: &str,
        signature: &str,
        now: i64,
    ) -> Result<(), SrpError> {
        let claim = PasswordClaim {
            secret_block: block,
            timestamp,
            signature,
        };
        verify_password_claim(who, &self.verifier, &self.a, &self.server, &claim, now)
    }

    fn client_signature(
        &self,
        who: &SrpIdentity<'_>,
        password: &str,
        block: &str,
        timestamp: &str,
    ) -> String {
        let client = Client::new(&bytes(s(&vector(), "a")));
        client.signature(
            who,
            password,
            self.verifier.salt_hex(),
            &self.server.srp_b(),
            block,
            timestamp,
        )
    }
}

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

const KEY: [u8; 32] = [42u8; 32];
const CLIENT_ID: &str = "1example23456789abcdefghij";

fn sealed_state(expires_at_ms: i64) -> SrpState {
    let f = fixture();
    SrpState {
        kind: SrpKind::Password,
        pool_id: POOL_ID.to_owned(),
        client_id: CLIENT_ID.to_owned(),
        username: "alice".to_owned(),
        device_key: Some("us-east-1_3b7e1a2c-4d5e-4f60-8a9b-0c1d2e3f4a5b".to_owned()),
        context: "USER_SRP_AUTH".to_owned(),
        a: f.a,
        ephemeral: f.server,
        expires_at_ms,
    }
}

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

#[test]
fn exponent_helpers_agree_with_plain_arithmetic() {
    // g^(2^8) = 2^256, which is < N: a check of `pow` independent of the vector.
    let e = U256::from_u16(256);
    let expected = U3072::ONE.shl_vartime(256);
    assert_eq!(group::pow(group::g(), &e).retrieve(), expected);
}
