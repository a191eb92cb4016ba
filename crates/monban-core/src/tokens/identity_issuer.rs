//! The issuer of identity pools' OpenID tokens (GetOpenIdToken,
//! GetOpenIdTokenForDeveloperIdentity): `{public_url}/_identity`, which serves its key set
//! and discovery document like a pool does (Cognito's is `https://cognito-identity.amazonaws.com`).
//!
//! One RSA key signs for the whole server. The first node that needs it offers a new key as
//! a server secret; the store keeps the first one offered, so every node signs with the
//! same key. It is kept parsed in [`KeyRing`](super::KeyRing) under a name no pool id can
//! have. It is not rotated.

use std::sync::Arc;

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::KeySize;
use aws_lc_rs::signature::{KeyPair as _, RsaKeyPair};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use super::jwt;
use super::keyring::PoolKeys;
use super::keys::LoadedKey;
use crate::cx::Settings;
use crate::entities::SigningKey;
use crate::error::Error;
use crate::Cx;

/// The server secret holding the key (PKCS#8).
const SECRET_NAME: &str = "identity-pools/openid-signing-key";
/// Where the parsed key sits in the key ring; user pool ids always have a region before
/// the underscore, so this is never one.
const RING_ENTRY: &str = "_identity";

/// `{public_url}/_identity`: the `iss` of identity pools' OpenID tokens, and the base of
/// their key set and discovery document.
pub fn identity_issuer(settings: &Settings) -> String {
    format!("{}/{RING_ENTRY}", settings.public_url.trim_end_matches('/'))
}

/// Signs `claims` (a JSON object) with the identity issuer's key.
pub async fn sign_identity_token(cx: &Cx, claims: &Value) -> Result<String, Error> {
    let key = signing_key(cx).await?;
    jwt::sign(&key, claims)
}

/// The claims of an OpenID token this server issued for an identity, if its signature,
/// issuer and expiry check out.
pub async fn verify_identity_token(
    cx: &Cx,
    token: &str,
) -> Result<Option<Map<String, Value>>, Error> {
    let Some(jws) = jwt::parse(token) else {
        return Ok(None);
    };
    let key = signing_key(cx).await?;
    if jws.kid != key.kid || !jws.verified_by(&key) {
        return Ok(None);
    }
    let Ok(claims) = serde_json::from_slice::<Map<String, Value>>(&jws.payload) else {
        return Ok(None);
    };
    let issuer_ok =
        claims.get("iss").and_then(Value::as_str) == Some(identity_issuer(&cx.settings).as_str());
    let live = claims
        .get("exp")
        .and_then(Value::as_i64)
        .is_some_and(|exp| exp.saturating_mul(1000) > cx.now_ms());
    Ok((issuer_ok && live).then_some(claims))
}

/// The identity issuer's JSON Web Key Set.
pub async fn identity_jwks(cx: &Cx) -> Result<Value, Error> {
    let key = signing_key(cx).await?;
    Ok(json!({ "keys": [key.jwk()] }))
}

/// The identity issuer's OpenID Connect discovery document: enough for an STS or any
/// verifier to find the keys.
pub fn identity_openid_configuration(settings: &Settings) -> Value {
    let issuer = identity_issuer(settings);
    json!({
        "claims_supported": ["aud", "amr", "exp", "iat", "iss", "sub"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "issuer": issuer,
        "jwks_uri": format!("{issuer}/.well-known/jwks.json"),
        "response_types_supported": ["id_token"],
        "subject_types_supported": ["public"],
    })
}

async fn signing_key(cx: &Cx) -> Result<Arc<LoadedKey>, Error> {
    if let Some(key) = cx
        .keys
        .get(RING_ENTRY)
        .and_then(|k| k.keys.first().cloned())
    {
        return Ok(key);
    }
    // RSA key generation takes tens of milliseconds: keep it off the async workers.
    let candidate = tokio::task::spawn_blocking(|| {
        RsaKeyPair::generate(KeySize::Rsa2048)
            .and_then(|pair| pair.as_der().map(|der| der.as_ref().to_vec()))
            .map_err(|_| Error::internal("RSA key generation failed"))
    })
    .await
    .map_err(Error::internal)??;
    let der = cx
        .store
        .get_or_insert_secret(SECRET_NAME, &candidate)
        .await?;
    let public = RsaKeyPair::from_pkcs8(&der)
        .map_err(|e| Error::internal(format!("identity signing key: {e}")))?
        .public_key()
        .as_ref()
        .to_vec();
    // The same on every node: named after the public key.
    let kid = URL_SAFE_NO_PAD.encode(&Sha256::digest(&public)[..18]);
    let key = Arc::new(LoadedKey::parse(&SigningKey {
        pool_id: RING_ENTRY.to_owned(),
        kid,
        token_use: "id".to_owned(),
        private_key_der: der,
        created_ms: 0,
    })?);
    cx.keys.put(
        RING_ENTRY,
        Arc::new(PoolKeys {
            loaded_ms: cx.now_ms(),
            keys: vec![key.clone()],
        }),
    );
    Ok(key)
}
