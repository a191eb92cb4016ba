//! JWT parsing and RS256 verification against a key set (the same parser and check as
//! monban's own tokens). The seed corpus holds a token this key set verifies.
#![no_main]

use libfuzzer_sys::fuzz_target;
use monban_core::tokens::{verify_with_key_set, ExternalToken};
use std::sync::OnceLock;

/// The public half of the key that signed `corpus/jwt/valid`.
const JWKS: &str = r#"{"keys": [{"kid": "fuzz-key", "kty": "RSA", "alg": "RS256", "use": "sig", "n": "saj53T-HMGEqN0woae2TtBG7JoQkvHUoWmFd_1oiNbMxGAplfgDFUxcO_EM5Z9Pnix0sgbBLO2kM1p3gGA9UCwAMkgs0y4BduYP6StAMoNp07psiPRKAY5rjiL4LtxaHaa6e7wE1pCUHPwTw8IkARfsKOnTXeOAilIt1AuoJQaR1Fbgxj0ayAvuQPNspCiNFu2Aful31e1YsJFs3r73G_nI-bphUk7wi55UEQtW7dGmYLOUGmcVNTH0yRg6oZ2Hm3TV-uB9sAnlSCsiOFFBiLkEgkIt1uUbr_IksZyctue5JWRY6MlkWo9mPJtQSgJfYMLokkBDhOd_6TzhJS_RKaQ", "e": "AQAB"}]}"#;

fuzz_target!(|data: &[u8]| {
    static KEYS: OnceLock<serde_json::Value> = OnceLock::new();
    let keys = KEYS.get_or_init(|| serde_json::from_str(JWKS).unwrap_or_default());
    let Ok(token) = std::str::from_utf8(data) else {
        return;
    };
    if let ExternalToken::Signed(_) = verify_with_key_set(token, keys) {
        // Only an RS256 token (three base64url segments) can verify.
        assert_eq!(token.split('.').count(), 3, "verified {token:?}");
    }
});
