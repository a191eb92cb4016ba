//! SRP: the client's `SRP_A`, `TIMESTAMP`, `PASSWORD_CLAIM_SIGNATURE` and
//! `PASSWORD_CLAIM_SECRET_BLOCK` as a RespondToAuthChallenge carries them (one a line),
//! checked against the fixed exchange of `srp-test-vector.json` (the seed
//! `corpus/srp/test-vector` is that vector's valid claim), and a SECRET_BLOCK opened.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use monban_core::auth::srp::{
    open_secret_block, parse_timestamp, render_timestamp, verify_password_claim, PasswordClaim,
    PublicA, ServerEphemeral, SrpIdentity, Verifier, SECRET_BLOCK_KEY_LEN,
};

const POOL_ID: &str = "us-east-1_AbCdEf123";
const USER: &str = "alice";
const PASSWORD: &str = "Correct-Horse-9";
const SALT_HEX: &str = "00c3e1f0d2b4a6987856341200fedcba98";
const B_HEX: &str = "75e2b44bff039c650b0fb842a73669ec5655a8389fdf93f6255ea1eb6d81e872";

fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap_or(0))
        .collect()
}

fn exchange() -> &'static (Verifier, ServerEphemeral) {
    static EXCHANGE: OnceLock<(Verifier, ServerEphemeral)> = OnceLock::new();
    EXCHANGE.get_or_init(|| {
        let who = SrpIdentity::user(POOL_ID, USER);
        let verifier = Verifier::from_salt(&hex(SALT_HEX), &who, PASSWORD);
        let b: [u8; 32] = hex(B_HEX).try_into().unwrap_or([1; 32]);
        let server = ServerEphemeral::from_secret(&b, &verifier).unwrap();
        (verifier, server)
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut lines = text.split('\n');
    let (srp_a, timestamp, signature, secret_block) = (
        lines.next().unwrap_or_default(),
        lines.next().unwrap_or_default(),
        lines.next().unwrap_or_default(),
        lines.next().unwrap_or_default(),
    );
    let now_ms = parse_timestamp(timestamp);
    if let Some(ms) = now_ms {
        // A parsed TIMESTAMP renders to a string that parses to the same instant.
        assert_eq!(
            parse_timestamp(&render_timestamp(ms)),
            Some(ms),
            "{timestamp:?}"
        );
    }
    let _ = open_secret_block(
        &[7; SECRET_BLOCK_KEY_LEN],
        secret_block,
        POOL_ID,
        "client",
        0,
    );
    let Ok(a) = PublicA::parse(srp_a) else {
        return;
    };
    let (verifier, server) = exchange();
    let claim = PasswordClaim {
        secret_block,
        timestamp,
        signature,
    };
    let who = SrpIdentity::user(POOL_ID, USER);
    let _ = verify_password_claim(&who, verifier, &a, server, &claim, now_ms.unwrap_or(0));
});
