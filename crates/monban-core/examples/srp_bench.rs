//! Per-operation timings of the server side of SRP (figures, not assertions):
//! `cargo run --release -p monban-core --example srp_bench [iterations]`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use monban_core::auth::secret_hash::verify_secret_hash;
use monban_core::auth::srp::{
    open_secret_block, parse_timestamp, seal_secret_block, verify_password_claim, PasswordClaim,
    PublicA, ServerEphemeral, SrpIdentity, SrpKind, SrpState, Verifier,
};
use monban_core::SystemRng;
use serde_json::Value;

fn main() {
    let iterations: u32 = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(300);
    let v: Value =
        serde_json::from_str(include_str!("../src/auth/srp/test-vector.json")).expect("vector");
    let s = |key: &str| v[key].as_str().expect(key).to_owned();
    let rng = SystemRng;

    let who_pool = s("pool_id");
    let who_user = s("USER_ID_FOR_SRP");
    let who = SrpIdentity::user(&who_pool, &who_user);
    let salt = hex::decode(s("SALT")).expect("salt");
    let verifier = Verifier::from_salt(&salt, &who, &s("password"));
    let a = PublicA::parse(&s("SRP_A")).expect("A");
    let b: [u8; 32] = hex::decode(s("b"))
        .expect("b")
        .try_into()
        .expect("32 bytes");
    let server = ServerEphemeral::from_secret(&b, &verifier).expect("B");
    let (block, timestamp, signature) = (
        s("SECRET_BLOCK"),
        s("TIMESTAMP"),
        s("PASSWORD_CLAIM_SIGNATURE"),
    );
    let claim = PasswordClaim {
        secret_block: &block,
        timestamp: &timestamp,
        signature: &signature,
    };
    let now = parse_timestamp(&timestamp).expect("timestamp");
    verify_password_claim(&who, &verifier, &a, &server, &claim, now).expect("vector verifies");

    let key = [7u8; 32];
    let state = SrpState {
        kind: SrpKind::Password,
        pool_id: who_pool.clone(),
        client_id: "1example23456789abcdefghij".to_owned(),
        username: who_user.clone(),
        device_key: None,
        context: String::new(),
        a: a.clone(),
        ephemeral: server.clone(),
        expires_at_ms: i64::MAX,
    };
    let sealed = seal_secret_block(&key, &rng, &state).expect("seal");

    println!("SRP server operations, 3072-bit group, {iterations} iterations each");
    println!(
        "{:<44} {:>10} {:>10} {:>10}",
        "operation", "median", "mean", "min"
    );
    bench("verifier generation (g^x)", iterations, || {
        black_box(Verifier::generate(&rng, &who, "Correct-Horse-9"));
    });
    bench("server ephemeral (g^b, k*v)", iterations, || {
        black_box(ServerEphemeral::generate(&rng, &verifier).expect("B"));
    });
    bench("proof verification (v^u, (A*v^u)^b)", iterations, || {
        verify_password_claim(&who, &verifier, &a, &server, &claim, now).expect("ok");
    });
    bench("SRP_A parse + check", iterations, || {
        black_box(PublicA::parse(&s("SRP_A")).expect("A"));
    });
    bench("SECRET_BLOCK seal", iterations, || {
        black_box(seal_secret_block(&key, &rng, &state).expect("seal"));
    });
    bench("SECRET_BLOCK open", iterations, || {
        black_box(
            open_secret_block(&key, &sealed, &who_pool, &state.client_id, now).expect("open"),
        );
    });
    bench("SECRET_HASH check", iterations, || {
        black_box(verify_secret_hash(
            "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnop",
            "alice",
            "1example23456789abcdefghij",
            "ZlzLKRF0Yczf15mIG60LmoQP66/YXhu6oZgf9EThX/s=",
        ));
    });
    println!("(secret block is {} base64 characters)", sealed.len());
}

fn bench(name: &str, iterations: u32, mut op: impl FnMut()) {
    for _ in 0..iterations.div_ceil(10) {
        op();
    }
    let mut times: Vec<Duration> = (0..iterations.max(1))
        .map(|_| {
            let start = Instant::now();
            op();
            start.elapsed()
        })
        .collect();
    times.sort();
    let total: Duration = times.iter().sum();
    let mean = total / u32::try_from(times.len()).unwrap_or(1);
    println!(
        "{name:<44} {:>10} {:>10} {:>10}",
        fmt(times[times.len() / 2]),
        fmt(mean),
        fmt(times[0])
    );
}

fn fmt(d: Duration) -> String {
    let micros = d.as_secs_f64() * 1e6;
    if micros >= 1000.0 {
        format!("{:.3} ms", micros / 1000.0)
    } else {
        format!("{micros:.1} µs")
    }
}
