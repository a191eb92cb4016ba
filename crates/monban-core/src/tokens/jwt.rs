//! JWS compact serialization with RS256, as Cognito emits it: header exactly
//! `{"kid":"…","alg":"RS256"}`, base64url without padding.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::Deserialize;

use super::keys::LoadedKey;
use crate::error::Error;

/// Longer tokens are refused before any decoding (ours are a few KB at most).
const MAX_TOKEN_LEN: usize = 16 * 1024;

/// Signs `payload` (a JSON object) with `key`.
pub(crate) fn sign(key: &LoadedKey, payload: &serde_json::Value) -> Result<String, Error> {
    let kid = serde_json::to_string(&key.kid).map_err(Error::internal)?;
    let header = format!(r#"{{"kid":{kid},"alg":"RS256"}}"#);
    let payload = serde_json::to_vec(payload).map_err(Error::internal)?;
    let mut token = String::with_capacity(64 + payload.len() * 4 / 3 + 350);
    URL_SAFE_NO_PAD.encode_string(header, &mut token);
    token.push('.');
    URL_SAFE_NO_PAD.encode_string(payload, &mut token);
    let signature = key.sign(token.as_bytes())?;
    token.push('.');
    URL_SAFE_NO_PAD.encode_string(signature, &mut token);
    Ok(token)
}

/// A token split and decoded, not yet verified.
pub(crate) struct Jws<'a> {
    pub kid: String,
    pub payload: Vec<u8>,
    signing_input: &'a str,
    signature: Vec<u8>,
}

impl Jws<'_> {
    /// Whether `key` signed this token.
    pub(crate) fn verified_by(&self, key: &LoadedKey) -> bool {
        key.verify(self.signing_input.as_bytes(), &self.signature)
    }

    /// The signed message and the signature, for keys that are not ours.
    pub(crate) fn signed_parts(&self) -> (&[u8], &[u8]) {
        (self.signing_input.as_bytes(), &self.signature)
    }
}

#[derive(Deserialize)]
struct Header {
    alg: String,
    kid: String,
}

/// Splits and decodes a token whose header says RS256 with a `kid`; `None` for anything
/// else (`alg: none`, other algorithms, JWE, garbage).
pub(crate) fn parse(token: &str) -> Option<Jws<'_>> {
    if token.len() > MAX_TOKEN_LEN {
        return None;
    }
    let (signing_input, signature) = token.rsplit_once('.')?;
    let (header, payload) = signing_input.split_once('.')?;
    if payload.contains('.') {
        return None;
    }
    let header: Header = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).ok()?).ok()?;
    if header.alg != "RS256" {
        return None;
    }
    Some(Jws {
        kid: header.kid,
        payload: URL_SAFE_NO_PAD.decode(payload).ok()?,
        signing_input,
        signature: URL_SAFE_NO_PAD.decode(signature).ok()?,
    })
}

/// Whether `token` has the shape of a JWT (three segments, a JSON header with `alg`):
/// how RevokeToken tells an ID or access token from a refresh token.
pub(crate) fn looks_like_jwt(token: &str) -> bool {
    #[derive(Deserialize)]
    struct AnyHeader {
        #[allow(dead_code)]
        alg: String,
    }
    let mut parts = token.split('.');
    let header = parts.next();
    if parts.count() != 2 {
        return false;
    }
    header
        .and_then(|h| URL_SAFE_NO_PAD.decode(h).ok())
        .is_some_and(|h| serde_json::from_slice::<AnyHeader>(&h).is_ok())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use serde_json::json;

    use super::*;
    use crate::tokens::keys::tests::key;
    use crate::tokens::keys::TokenUse;

    fn b64(s: &str) -> String {
        URL_SAFE_NO_PAD.encode(s)
    }

    #[test]
    fn signed_tokens_parse_back_with_cognitos_header() {
        let k = key("kid+/=", TokenUse::Access, 0);
        let token = sign(&k, &json!({"sub": "s", "n": 1})).unwrap();
        let (header, rest) = token.split_once('.').unwrap();
        assert_eq!(
            URL_SAFE_NO_PAD.decode(header).unwrap(),
            br#"{"kid":"kid+/=","alg":"RS256"}"#
        );
        assert!(!token.contains('='), "no padding: {token}");
        assert_eq!(rest.split('.').count(), 2);
        let jws = parse(&token).unwrap();
        assert_eq!(jws.kid, "kid+/=");
        assert_eq!(
            serde_json::from_slice::<serde_json::Value>(&jws.payload).unwrap(),
            json!({"sub": "s", "n": 1})
        );
        assert!(jws.verified_by(&k));
        assert!(looks_like_jwt(&token));
    }

    #[test]
    fn tampered_tokens_do_not_verify() {
        let k = key("k", TokenUse::Access, 0);
        let token = sign(&k, &json!({"sub": "alice"})).unwrap();
        let parts: Vec<&str> = token.split('.').collect();
        let forged = format!("{}.{}.{}", parts[0], b64(r#"{"sub":"mallory"}"#), parts[2]);
        assert!(!parse(&forged).unwrap().verified_by(&k));
    }

    #[test]
    fn other_algorithms_and_garbage_are_refused() {
        let payload = b64(r#"{"sub":"alice"}"#);
        for header in [
            r#"{"kid":"k","alg":"none"}"#,
            r#"{"kid":"k","alg":"HS256"}"#,
            r#"{"kid":"k","alg":"RS512"}"#,
            r#"{"alg":"RS256"}"#,
            "not json",
        ] {
            let token = format!("{}.{payload}.c2ln", b64(header));
            assert!(parse(&token).is_none(), "{header}");
        }
        assert!(parse(&format!(
            "{}.{payload}.",
            b64(r#"{"kid":"k","alg":"none"}"#)
        ))
        .is_none());
        assert!(parse("a.b").is_none());
        assert!(parse("a.b.c.d").is_none());
        assert!(parse("").is_none());
        assert!(parse(&"a".repeat(MAX_TOKEN_LEN + 1)).is_none());
        assert!(!looks_like_jwt("Zm9vYmFy"));
        assert!(!looks_like_jwt("a.b.c"));
    }
}
