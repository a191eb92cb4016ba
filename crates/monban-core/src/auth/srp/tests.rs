//! Tests of the SRP module: the fixed vector of `shared/reference/srp-test-vector.json`
//! (checked against pycognito and amazon-cognito-identity-js), negative cases driven by a
//! client emulation, and SECRET_BLOCK sealing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod negative;
mod sealing;
mod vector;

use std::sync::atomic::{AtomicU64, Ordering};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use crypto_bigint::{U1024, U2048, U3072};
use serde_json::Value;

use super::exchange::claim_signature;
use super::group;
use super::verifier::private_x;
use super::*;
use crate::cx::{Rng, SystemRng};

pub(super) fn vector() -> Value {
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
fn the_fixed_base_table_agrees_with_plain_exponentiation() {
    let mut exponents = vec![
        crypto_bigint::U256::ZERO,
        crypto_bigint::U256::ONE,
        crypto_bigint::U256::MAX,
        crypto_bigint::U256::from_u8(16),
    ];
    for _ in 0..16 {
        let mut bytes = [0u8; 32];
        SystemRng.fill(&mut bytes);
        exponents.push(group::u256_from_digest(&bytes));
    }
    for e in &exponents {
        assert_eq!(
            group::pow_g(e).retrieve(),
            group::pow(group::g(), e).retrieve(),
            "g^{e}"
        );
    }
}
