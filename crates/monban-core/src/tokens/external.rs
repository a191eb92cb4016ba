//! Verifying a JWT of another issuer against its JSON Web Key Set (RS256 keys), for
//! identity pools' OpenID Connect providers. Which claims to require is the caller's.

use aws_lc_rs::signature::{RsaPublicKeyComponents, RSA_PKCS1_2048_8192_SHA256};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::{Map, Value};

use super::jwt;

/// What checking a token against a key set found.
#[derive(Debug, Clone, PartialEq)]
pub enum ExternalToken {
    /// Not an RS256 JWS with a `kid` and a JSON object payload.
    Malformed,
    /// The key set has no RSA signing key with the token's `kid`.
    UnknownKey,
    BadSignature,
    /// The signature checked out: the claims, not yet checked.
    Signed(Map<String, Value>),
}

/// Checks `token`'s signature with the key of its `kid` in `key_set` (`{"keys": [...]}`).
pub fn verify_with_key_set(token: &str, key_set: &Value) -> ExternalToken {
    let Some(jws) = jwt::parse(token) else {
        return ExternalToken::Malformed;
    };
    let Ok(claims) = serde_json::from_slice::<Map<String, Value>>(&jws.payload) else {
        return ExternalToken::Malformed;
    };
    let key = key_set
        .get("keys")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|k| k.get("kid").and_then(Value::as_str) == Some(jws.kid.as_str()))
        .filter(|k| k.get("kty").and_then(Value::as_str) == Some("RSA"))
        .filter(|k| {
            k.get("use")
                .and_then(Value::as_str)
                .is_none_or(|u| u == "sig")
        })
        .find_map(rsa_components);
    let Some(key) = key else {
        return ExternalToken::UnknownKey;
    };
    let (message, signature) = jws.signed_parts();
    match key.verify(&RSA_PKCS1_2048_8192_SHA256, message, signature) {
        Ok(()) => ExternalToken::Signed(claims),
        Err(_) => ExternalToken::BadSignature,
    }
}

fn rsa_components(jwk: &Value) -> Option<RsaPublicKeyComponents<Vec<u8>>> {
    let part = |name: &str| {
        jwk.get(name)
            .and_then(Value::as_str)
            .and_then(|v| URL_SAFE_NO_PAD.decode(v.trim_end_matches('=')).ok())
    };
    Some(RsaPublicKeyComponents {
        n: part("n")?,
        e: part("e")?,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use serde_json::json;

    use super::*;
    use crate::tokens::keys::tests::key;
    use crate::tokens::keys::TokenUse;

    #[test]
    fn tokens_verify_against_the_key_of_their_kid() {
        let k = key("k1", TokenUse::Id, 0);
        let set = json!({ "keys": [ { "kid": "other", "kty": "RSA", "n": "AQAB", "e": "AQAB" }, k.jwk() ] });
        let token = jwt::sign(&k, &json!({"sub": "s", "iss": "https://idp"})).unwrap();
        match verify_with_key_set(&token, &set) {
            ExternalToken::Signed(claims) => assert_eq!(claims["sub"], "s"),
            other => panic!("{other:?}"),
        }
        let (head, _) = token.rsplit_once('.').unwrap();
        let forged = format!("{head}.{}", URL_SAFE_NO_PAD.encode([7u8; 256]));
        assert_eq!(
            verify_with_key_set(&forged, &set),
            ExternalToken::BadSignature
        );
        assert_eq!(
            verify_with_key_set(&token, &json!({ "keys": [] })),
            ExternalToken::UnknownKey
        );
        assert_eq!(
            verify_with_key_set(&token, &json!("junk")),
            ExternalToken::UnknownKey
        );
        assert_eq!(verify_with_key_set("a.b.c", &set), ExternalToken::Malformed);
    }
}
