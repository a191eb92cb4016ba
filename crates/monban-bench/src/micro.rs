//! Micro-benchmarks of the primitives on the hot paths, measured on one core in the same
//! run, and the ceilings they imply: what each workload could reach if the server spent
//! CPU on nothing but its cryptography.

use std::time::Instant;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::KeySize;
use aws_lc_rs::signature::{
    KeyPair as _, RsaKeyPair, UnparsedPublicKey, RSA_PKCS1_2048_8192_SHA256, RSA_PKCS1_SHA256,
};
use monban_core::auth::srp::{
    render_timestamp, verify_password_claim, PasswordClaim, PublicA, ServerEphemeral, SrpIdentity,
    Verifier,
};
use monban_core::password::HashParams;
use monban_core::SystemRng;

use crate::workloads::Workload;

/// Seconds of one core per operation.
#[derive(Debug, Clone, Copy)]
pub struct Primitives {
    pub argon2_verify: f64,
    /// The same with every core verifying at once (Argon2 is memory-hard: the cores share
    /// the caches and the memory bus, so each hash takes longer than alone).
    pub argon2_verify_all_cores: f64,
    pub rs256_sign: f64,
    pub rs256_verify: f64,
    /// An SRP verifier v = g^x (3072-bit group, 256-bit exponent, fixed base g): sign-up.
    pub srp_verifier: f64,
    /// The server's side of one SRP sign-in: B = kv + g^b, then S = (A·v^u)^b and the
    /// claim's check (one fixed-base and two variable-base exponentiations).
    pub srp_server: f64,
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// Average seconds per call of `f` over `n` calls, after one warm-up call.
fn time(n: u32, mut f: impl FnMut()) -> f64 {
    f();
    let start = Instant::now();
    for _ in 0..n {
        f();
    }
    start.elapsed().as_secs_f64() / f64::from(n)
}

pub fn measure() -> Result<Primitives, String> {
    let p = HashParams::default();
    let argon = Argon2::new(
        Algorithm::Argon2id,
        Version::V0x13,
        Params::new(p.memory_kib, p.iterations, p.parallelism, None).map_err(|e| e.to_string())?,
    );
    let salt = SaltString::encode_b64(b"bench-salt-16byt").map_err(|e| e.to_string())?;
    let phc = argon
        .hash_password(b"Bench-Passw0rd!", &salt)
        .map_err(|e| e.to_string())?
        .to_string();
    let parsed = PasswordHash::new(&phc).map_err(|e| e.to_string())?;
    let argon2_verify = time(20, || {
        let _ = Argon2::default().verify_password(b"Bench-Passw0rd!", &parsed);
    });
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let per_thread: Vec<f64> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..cores)
            .map(|_| {
                s.spawn(|| {
                    time(10, || {
                        let _ = Argon2::default().verify_password(b"Bench-Passw0rd!", &parsed);
                    })
                })
            })
            .collect();
        handles.into_iter().filter_map(|h| h.join().ok()).collect()
    });
    let argon2_verify_all_cores = per_thread.iter().sum::<f64>() / per_thread.len().max(1) as f64;

    let pair = RsaKeyPair::generate(KeySize::Rsa2048).map_err(|e| e.to_string())?;
    let rng = SystemRandom::new();
    let message = [7u8; 600];
    let mut signature = vec![0u8; pair.public_modulus_len()];
    let rs256_sign = time(300, || {
        let _ = pair.sign(&RSA_PKCS1_SHA256, &rng, &message, &mut signature);
    });
    let public = UnparsedPublicKey::new(
        &RSA_PKCS1_2048_8192_SHA256,
        pair.public_key().as_ref().to_vec(),
    );
    let rs256_verify = time(3000, || {
        let _ = public.verify(&message, &signature);
    });

    let who = SrpIdentity::user("us-east-1_bench", "user0000000");
    let srp_verifier = time(200, || {
        let _ = Verifier::from_salt(&[1u8; 16], &who, "Bench-Passw0rd!");
    });
    let verifier = Verifier::from_salt(&[1u8; 16], &who, "Bench-Passw0rd!");
    // Any A in range costs the same; a wrong signature is found only after S and K.
    let a = PublicA::parse(&verifier.verifier_hex()).map_err(|e| format!("{e:?}"))?;
    let timestamp = render_timestamp(now_ms());
    let claim = PasswordClaim {
        secret_block: "AAAA",
        timestamp: &timestamp,
        signature: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    };
    let srp_server = time(100, || {
        if let Ok(server) = ServerEphemeral::generate(&SystemRng, &verifier) {
            let _ = verify_password_claim(&who, &verifier, &a, &server, &claim, now_ms());
        }
    });
    Ok(Primitives {
        argon2_verify,
        argon2_verify_all_cores,
        rs256_sign,
        rs256_verify,
        srp_verifier,
        srp_server,
    })
}

impl Primitives {
    /// CPU seconds of cryptography per transaction of `w`; `None` when the workload has
    /// no cryptography to speak of (ListUsers: the database).
    pub fn cost(&self, w: Workload) -> Option<f64> {
        // Each sign-in mints an ID and an access token (the refresh token is opaque).
        let mint = 2.0 * self.rs256_sign;
        let password = self.argon2_verify + mint;
        let refresh = mint;
        let get_user = self.rs256_verify;
        match w {
            // Argon2id hash (same cost as verify) and the SRP verifier.
            Workload::SignUp => Some(self.argon2_verify + self.srp_verifier),
            Workload::Password => Some(password),
            Workload::Srp => Some(self.srp_server + mint),
            Workload::Refresh => Some(refresh),
            Workload::GetUser => Some(get_user),
            Workload::ListUsers => None,
            // One access token minted per request.
            Workload::ClientCredentials => Some(self.rs256_sign),
            Workload::Mixed => Some(0.80 * get_user + 0.15 * refresh + 0.05 * password),
            // The timed GetUser calls; the sign-ins beside them are load, not output.
            Workload::Storm => None,
        }
    }
}
