//! A pool's signing keys: RSA-2048, one set for ID tokens and one for access tokens,
//! created on first use, added to by rotation, read through the [`KeyRing`] cache.
//!
//! Several nodes may create a pool's first keys at the same time: each inserts its own,
//! every one of them verifies, and signers converge on the newest. A key signs only once
//! it is a couple of seconds old (unless it is the only one), so a node that meets a new
//! `kid` always finds it in the store when it reloads.

use std::sync::Arc;

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::KeySize;
use aws_lc_rs::signature::{
    KeyPair as _, ParsedPublicKey, RsaKeyPair, RsaPublicKeyComponents, RSA_PKCS1_2048_8192_SHA256,
    RSA_PKCS1_SHA256,
};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use serde_json::json;

use super::keyring::PoolKeys;
use crate::entities::SigningKey;
use crate::error::Error;
use crate::pool_config::load_pool;
use crate::store::StoreError;
use crate::Cx;

/// A token signed with a new key may reach a node that read the pool's keys just
/// before: such a node reads them again, at most this often (ms), however many tokens
/// with unknown kids it is sent.
const RELOAD_UNKNOWN_KID_AFTER_MS: i64 = 1_000;
/// New keys sign once they are this old, so every node can find them (see the module doc).
const SIGN_AFTER_MS: i64 = 2_000;
/// A key leaves the JWKS (and stops verifying) once a newer key of its use has been
/// signing for longer than any token lives (one day) plus the cache lifetime.
const RETIRE_AFTER_MS: i64 = 25 * 3_600_000;

/// Which tokens a key signs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenUse {
    Id,
    Access,
}

impl TokenUse {
    const ALL: [TokenUse; 2] = [TokenUse::Id, TokenUse::Access];

    fn as_str(self) -> &'static str {
        match self {
            Self::Id => "id",
            Self::Access => "access",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "id" => Some(Self::Id),
            "access" => Some(Self::Access),
            _ => None,
        }
    }
}

/// A signing key, parsed once.
pub(crate) struct LoadedKey {
    pub kid: String,
    pub token_use: TokenUse,
    pub created_ms: i64,
    pair: RsaKeyPair,
    public: ParsedPublicKey,
    /// JWK `n` and `e` (base64url).
    n: String,
    e: String,
}

impl LoadedKey {
    pub(crate) fn parse(row: &SigningKey) -> Result<Self, Error> {
        let token_use = TokenUse::parse(&row.token_use).ok_or_else(|| {
            Error::internal(format!(
                "signing key {} has use {:?}",
                row.kid, row.token_use
            ))
        })?;
        let pair = RsaKeyPair::from_pkcs8(&row.private_key_der)
            .map_err(|e| Error::internal(format!("signing key {}: {e}", row.kid)))?;
        let components = RsaPublicKeyComponents {
            n: pair
                .public_key()
                .modulus()
                .big_endian_without_leading_zero()
                .to_vec(),
            e: pair
                .public_key()
                .exponent()
                .big_endian_without_leading_zero()
                .to_vec(),
        };
        let public = components
            .to_parsed_public_key(&RSA_PKCS1_2048_8192_SHA256)
            .map_err(|e| Error::internal(format!("signing key {}: {e}", row.kid)))?;
        Ok(Self {
            kid: row.kid.clone(),
            token_use,
            created_ms: row.created_ms,
            n: URL_SAFE_NO_PAD.encode(&components.n),
            e: URL_SAFE_NO_PAD.encode(&components.e),
            pair,
            public,
        })
    }

    /// RS256 signature of `message`.
    pub(crate) fn sign(&self, message: &[u8]) -> Result<Vec<u8>, Error> {
        let mut signature = vec![0u8; self.pair.public_modulus_len()];
        self.pair
            .sign(
                &RSA_PKCS1_SHA256,
                &SystemRandom::new(),
                message,
                &mut signature,
            )
            .map_err(|_| Error::internal(format!("signing with key {} failed", self.kid)))?;
        Ok(signature)
    }

    pub(crate) fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        self.public.verify_sig(message, signature).is_ok()
    }

    pub(crate) fn jwk(&self) -> serde_json::Value {
        json!({
            "alg": "RS256",
            "e": self.e,
            "kid": self.kid,
            "kty": "RSA",
            "n": self.n,
            "use": "sig",
        })
    }
}

/// The key that signs the pool's `token_use` tokens now, creating the pool's keys on
/// first use.
pub(crate) async fn signing_key(
    cx: &Cx,
    pool_id: &str,
    token_use: TokenUse,
) -> Result<Arc<LoadedKey>, Error> {
    let mut keys = current(cx, pool_id).await?;
    if TokenUse::ALL
        .iter()
        .any(|u| !keys.keys.iter().any(|k| k.token_use == *u))
    {
        let missing: Vec<TokenUse> = TokenUse::ALL
            .into_iter()
            .filter(|u| !keys.keys.iter().any(|k| k.token_use == *u))
            .collect();
        create_keys(cx, pool_id, &missing, cx.now_ms()).await?;
        keys = reload(cx, pool_id, Some(&keys)).await?;
    }
    pick_signing_key(&keys.keys, token_use, cx.now_ms())
        .ok_or_else(|| Error::internal(format!("pool {pool_id} has no {token_use:?} key")))
}

/// The live key `kid` of the pool for `token_use` tokens, if there is one.
pub(crate) async fn verification_key(
    cx: &Cx,
    pool_id: &str,
    kid: &str,
    token_use: TokenUse,
) -> Result<Option<Arc<LoadedKey>>, Error> {
    let now = cx.now_ms();
    let keys = current(cx, pool_id).await?;
    if let Some(key) = find_live(&keys.keys, kid, token_use, now) {
        return Ok(Some(key));
    }
    if keys
        .age_ms(now)
        .is_some_and(|age| age < RELOAD_UNKNOWN_KID_AFTER_MS)
    {
        return Ok(None);
    }
    let keys = reload(cx, pool_id, Some(&keys)).await?;
    Ok(find_live(&keys.keys, kid, token_use, now))
}

/// Adds a new ID-token key and a new access-token key to the pool, returning their kids.
/// New tokens are signed with them (after a moment, see the module doc); tokens signed
/// with the old ones verify until they expire, and the JWKS lists old and new.
pub async fn rotate_keys(cx: &Cx, pool_id: &str) -> Result<Vec<String>, Error> {
    load_pool(cx, pool_id).await?;
    // Strictly newer than every existing key, even within the same millisecond, so that
    // "newest" is never a tie.
    let existing = reload(cx, pool_id, cx.keys.get(pool_id).as_deref()).await?;
    let created_ms = existing
        .keys
        .first()
        .map_or(cx.now_ms(), |newest| cx.now_ms().max(newest.created_ms + 1));
    let kids = create_keys(cx, pool_id, &TokenUse::ALL, created_ms).await?;
    cx.keys.forget(pool_id);
    Ok(kids)
}

/// The pool's JSON Web Key Set: every live key of both uses, newest first. Always read
/// from the store (verifiers fetch it rarely, and right after meeting a new `kid`, which
/// another node may have just created). A pool's keys are created here if it has none
/// yet, so verifiers can fetch them before any sign-in.
pub async fn jwks(cx: &Cx, pool_id: &str) -> Result<serde_json::Value, Error> {
    let mut keys = reload(cx, pool_id, cx.keys.get(pool_id).as_deref()).await?;
    if keys.keys.is_empty() {
        load_pool(cx, pool_id).await?;
    }
    if TokenUse::ALL
        .iter()
        .any(|u| !keys.keys.iter().any(|k| k.token_use == *u))
    {
        signing_key(cx, pool_id, TokenUse::Id).await?;
        keys = current(cx, pool_id).await?;
    }
    let now = cx.now_ms();
    let jwks: Vec<serde_json::Value> = live_keys(&keys.keys, now).map(|k| k.jwk()).collect();
    Ok(json!({ "keys": jwks }))
}

/// The cached key set if fresh, else the store's.
async fn current(cx: &Cx, pool_id: &str) -> Result<Arc<PoolKeys>, Error> {
    match cx.keys.get(pool_id) {
        Some(keys) if keys.is_fresh(cx.now_ms()) => Ok(keys),
        previous => reload(cx, pool_id, previous.as_deref()).await,
    }
}

/// Reads the pool's keys, parsing only those not parsed before (keys never change).
async fn reload(
    cx: &Cx,
    pool_id: &str,
    previous: Option<&PoolKeys>,
) -> Result<Arc<PoolKeys>, Error> {
    let loaded_ms = cx.now_ms();
    let rows = cx.store.list_signing_keys(pool_id).await?;
    let mut keys = Vec::with_capacity(rows.len());
    for row in &rows {
        let known = previous.and_then(|p| p.keys.iter().find(|k| k.kid == row.kid));
        match known {
            Some(key) => keys.push(key.clone()),
            None => match LoadedKey::parse(row) {
                Ok(key) => keys.push(Arc::new(key)),
                // One unreadable row must not take the pool's sign-in down with it.
                Err(e) => {
                    tracing::error!(pool_id, kid = %row.kid, error = ?e, "skipping a signing key")
                }
            },
        }
    }
    keys.sort_by(|a, b| (b.created_ms, &b.kid).cmp(&(a.created_ms, &a.kid)));
    let keys = Arc::new(PoolKeys { loaded_ms, keys });
    cx.keys.put(pool_id, keys.clone());
    Ok(keys)
}

/// Generates and stores one new key per use, created at `created_ms`; returns the new
/// kids.
async fn create_keys(
    cx: &Cx,
    pool_id: &str,
    uses: &[TokenUse],
    created_ms: i64,
) -> Result<Vec<String>, Error> {
    let mut kids = Vec::with_capacity(uses.len());
    for token_use in uses {
        // RSA key generation takes tens of milliseconds: keep it off the async workers.
        let der = tokio::task::spawn_blocking(|| {
            let pair = RsaKeyPair::generate(KeySize::Rsa2048)
                .map_err(|_| Error::internal("RSA key generation failed"))?;
            let der = pair
                .as_der()
                .map_err(|_| Error::internal("RSA key encoding failed"))?;
            Ok::<_, Error>(der.as_ref().to_vec())
        })
        .await
        .map_err(Error::internal)??;
        let mut kid_bytes = [0u8; 32];
        cx.rng.fill(&mut kid_bytes);
        let key = SigningKey {
            pool_id: pool_id.to_owned(),
            kid: STANDARD.encode(kid_bytes),
            token_use: token_use.as_str().to_owned(),
            private_key_der: der,
            created_ms,
        };
        match cx.store.insert_signing_key(&key).await {
            Ok(()) => kids.push(key.kid),
            // A 256-bit random kid does not collide; if the store says otherwise, the
            // caller can simply retry.
            Err(StoreError::Conflict { .. }) => {
                return Err(Error::internal("signing key id collision"))
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(kids)
}

/// Keys that are still in service at `now`: for each use, every key down to (and
/// including) the newest one that has been signing for longer than [`RETIRE_AFTER_MS`].
fn live_keys(keys: &[Arc<LoadedKey>], now: i64) -> impl Iterator<Item = &Arc<LoadedKey>> {
    let mut retired_below = [false; 2];
    keys.iter().filter(move |k| {
        let slot = usize::from(k.token_use == TokenUse::Access);
        if retired_below[slot] {
            return false;
        }
        if k.created_ms <= now - RETIRE_AFTER_MS {
            retired_below[slot] = true;
        }
        true
    })
}

fn find_live(
    keys: &[Arc<LoadedKey>],
    kid: &str,
    token_use: TokenUse,
    now: i64,
) -> Option<Arc<LoadedKey>> {
    live_keys(keys, now)
        .find(|k| k.kid == kid && k.token_use == token_use)
        .cloned()
}

/// The newest key of the use that is at least [`SIGN_AFTER_MS`] old, else the newest.
fn pick_signing_key(
    keys: &[Arc<LoadedKey>],
    token_use: TokenUse,
    now: i64,
) -> Option<Arc<LoadedKey>> {
    let mut of_use = keys.iter().filter(|k| k.token_use == token_use);
    let newest = of_use.next()?;
    if newest.created_ms <= now - SIGN_AFTER_MS {
        return Some(newest.clone());
    }
    Some(
        of_use
            .find(|k| k.created_ms <= now - SIGN_AFTER_MS)
            .unwrap_or(newest)
            .clone(),
    )
}

#[cfg(test)]
pub(crate) mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    /// One RSA key, generated once per test binary (generation is slow).
    pub(crate) fn test_key_der() -> &'static [u8] {
        static DER: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
        DER.get_or_init(|| {
            RsaKeyPair::generate(KeySize::Rsa2048)
                .unwrap()
                .as_der()
                .unwrap()
                .as_ref()
                .to_vec()
        })
    }

    pub(crate) fn key(kid: &str, token_use: TokenUse, created_ms: i64) -> Arc<LoadedKey> {
        Arc::new(
            LoadedKey::parse(&SigningKey {
                pool_id: "us-east-1_test".to_owned(),
                kid: kid.to_owned(),
                token_use: token_use.as_str().to_owned(),
                private_key_der: test_key_der().to_vec(),
                created_ms,
            })
            .unwrap(),
        )
    }

    #[test]
    fn signatures_verify_and_tampering_is_caught() {
        let k = key("k1", TokenUse::Access, 0);
        let sig = k.sign(b"header.payload").unwrap();
        assert_eq!(sig.len(), 256);
        assert!(k.verify(b"header.payload", &sig));
        assert!(!k.verify(b"header.payloaD", &sig));
        let jwk = k.jwk();
        assert_eq!(jwk["kty"], "RSA");
        assert_eq!(jwk["alg"], "RS256");
        assert_eq!(jwk["use"], "sig");
        assert_eq!(jwk["e"], "AQAB");
        assert_eq!(jwk["kid"], "k1");
        // 2048-bit modulus: 256 bytes, 342 base64url characters.
        assert_eq!(jwk["n"].as_str().unwrap().len(), 342);
    }

    #[test]
    fn new_keys_sign_after_a_moment_and_old_ones_retire_after_a_day() {
        let day = 24 * 3_600_000;
        // Newest first, as the ring keeps them.
        let keys = vec![
            key("new", TokenUse::Access, 10 * day),
            key("id", TokenUse::Id, day),
            key("old", TokenUse::Access, day),
            key("older", TokenUse::Access, 0),
        ];
        let now = 10 * day + 1000;
        assert_eq!(
            pick_signing_key(&keys, TokenUse::Access, now).unwrap().kid,
            "old"
        );
        assert_eq!(
            pick_signing_key(&keys, TokenUse::Access, now + SIGN_AFTER_MS)
                .unwrap()
                .kid,
            "new"
        );
        assert_eq!(
            pick_signing_key(&keys, TokenUse::Id, now).unwrap().kid,
            "id"
        );
        // "older" was replaced by "old" nine days ago: retired. "old" is still live.
        let live: Vec<&str> = live_keys(&keys, now).map(|k| k.kid.as_str()).collect();
        assert_eq!(live, ["new", "id", "old"]);
        let later = 10 * day + RETIRE_AFTER_MS;
        let live: Vec<&str> = live_keys(&keys, later).map(|k| k.kid.as_str()).collect();
        assert_eq!(live, ["new", "id"]);
        assert!(find_live(&keys, "id", TokenUse::Access, now).is_none());
    }

    #[test]
    fn only_key_signs_at_once() {
        let keys = vec![key("only", TokenUse::Id, 5)];
        assert_eq!(
            pick_signing_key(&keys, TokenUse::Id, 5).unwrap().kid,
            "only"
        );
        assert!(pick_signing_key(&keys, TokenUse::Access, 5).is_none());
    }
}
