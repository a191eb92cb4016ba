//! The HTTP side of identity pools' OpenID Connect providers: core's [`OidcKeySource`] as
//! the issuer's discovery document (`{issuer}/.well-known/openid-configuration`), then the
//! key set its `jwks_uri` names. Key sets are cached per issuer for a few minutes (bounded),
//! and fetched again early, at most every few seconds, when a token names a key the cached
//! set lacks.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use axum::http::{header, HeaderValue};
use monban_core::identity_pools::OidcKeySource;
use serde_json::Value;

use crate::outbound_http::{OutboundHttp, PostError};

/// How long a key set is used before it is fetched again.
const FRESH_FOR: Duration = Duration::from_secs(600);
/// A key set is fetched again for an unknown key at most this often.
const REFETCH_AFTER: Duration = Duration::from_secs(10);
/// Issuers whose key sets are kept; the oldest goes first beyond that.
const MAX_ISSUERS: usize = 64;
/// Each fetch (discovery and key set) must finish within this.
const TIMEOUT: Duration = Duration::from_secs(10);
/// Discovery documents and key sets are a few kilobytes.
const MAX_ANSWER: usize = 256 * 1024;

pub struct HttpOidcKeys {
    http: OutboundHttp,
    cache: Mutex<HashMap<String, (Instant, Arc<Value>)>>,
}

impl Default for HttpOidcKeys {
    fn default() -> Self {
        Self::new()
    }
}

impl HttpOidcKeys {
    pub fn new() -> Self {
        Self {
            http: OutboundHttp::new(),
            cache: Mutex::new(HashMap::new()),
        }
    }

    fn cached(&self, issuer: &str, fresh: bool) -> Option<Arc<Value>> {
        let cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        let (at, keys) = cache.get(issuer)?;
        let max_age = if fresh { REFETCH_AFTER } else { FRESH_FOR };
        (at.elapsed() < max_age).then(|| keys.clone())
    }

    fn keep(&self, issuer: &str, keys: Arc<Value>) {
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if !cache.contains_key(issuer) && cache.len() >= MAX_ISSUERS {
            let oldest = cache
                .iter()
                .min_by_key(|(_, (at, _))| *at)
                .map(|(issuer, _)| issuer.clone());
            if let Some(oldest) = oldest {
                cache.remove(&oldest);
            }
        }
        cache.insert(issuer.to_owned(), (Instant::now(), keys));
    }

    async fn get_json(&self, url: &str) -> Result<Value, String> {
        let headers = vec![(header::ACCEPT, HeaderValue::from_static("application/json"))];
        let reply = tokio::time::timeout(TIMEOUT, self.http.get(url, headers, MAX_ANSWER))
            .await
            .map_err(|_| format!("{url}: no answer within {TIMEOUT:?}"))?
            .map_err(|e| match e {
                PostError::BadUrl(e) | PostError::Connection(e) => e,
            })?;
        if reply.status != 200 {
            return Err(format!("{url}: HTTP {}", reply.status));
        }
        serde_json::from_slice(&reply.body).map_err(|e| format!("{url}: not JSON: {e}"))
    }

    async fn fetch(&self, issuer: &str) -> Result<Value, String> {
        let discovery_url = format!(
            "{}/.well-known/openid-configuration",
            issuer.trim_end_matches('/')
        );
        let discovery = self.get_json(&discovery_url).await?;
        // OpenID Connect Discovery 1.0 §4.3: the document must name the issuer asked for.
        if discovery.get("issuer").and_then(Value::as_str) != Some(issuer) {
            return Err(format!("{discovery_url} names another issuer"));
        }
        let jwks_uri = discovery
            .get("jwks_uri")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("{discovery_url} has no jwks_uri"))?;
        let keys = self.get_json(jwks_uri).await?;
        if !keys.get("keys").is_some_and(Value::is_array) {
            return Err(format!("{jwks_uri} is not a JSON Web Key Set"));
        }
        Ok(keys)
    }
}

#[async_trait]
impl OidcKeySource for HttpOidcKeys {
    async fn key_set(&self, issuer: &str, fresh: bool) -> Result<Value, String> {
        if let Some(keys) = self.cached(issuer, fresh) {
            return Ok((*keys).clone());
        }
        let keys = self.fetch(issuer).await?;
        self.keep(issuer, Arc::new(keys.clone()));
        Ok(keys)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use std::sync::atomic::{AtomicUsize, Ordering};

    use axum::routing::get;
    use axum::{Json, Router};
    use serde_json::json;

    use super::*;

    /// An OpenID Connect provider on a free port that counts its key-set fetches.
    async fn provider(fetches: Arc<AtomicUsize>, claimed_issuer: Option<&str>) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let issuer = format!("http://{}", listener.local_addr().unwrap());
        let named = claimed_issuer.map_or_else(|| issuer.clone(), str::to_owned);
        let jwks_uri = format!("{issuer}/keys");
        let router = Router::new()
            .route(
                "/.well-known/openid-configuration",
                get(move || async move { Json(json!({ "issuer": named, "jwks_uri": jwks_uri })) }),
            )
            .route(
                "/keys",
                get(move || async move {
                    let n = fetches.fetch_add(1, Ordering::SeqCst);
                    Json(json!({ "keys": [ { "kid": format!("k{n}"), "kty": "RSA" } ] }))
                }),
            );
        tokio::spawn(async move { axum::serve(listener, router).await });
        issuer
    }

    #[tokio::test]
    async fn key_sets_come_from_discovery_and_are_cached() {
        let fetches = Arc::new(AtomicUsize::new(0));
        let issuer = provider(fetches.clone(), None).await;
        let keys = HttpOidcKeys::new();
        let first = keys.key_set(&issuer, false).await.unwrap();
        assert_eq!(first["keys"][0]["kid"], "k0");
        assert_eq!(keys.key_set(&issuer, false).await.unwrap(), first);
        // An unknown kid right after a fetch does not fetch again.
        assert_eq!(keys.key_set(&issuer, true).await.unwrap(), first);
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_discovery_document_of_another_issuer_or_no_server_is_an_error() {
        let liar = provider(Arc::new(AtomicUsize::new(0)), Some("https://elsewhere")).await;
        let keys = HttpOidcKeys::new();
        let e = keys.key_set(&liar, false).await.unwrap_err();
        assert!(e.contains("another issuer"), "{e}");
        let e = keys.key_set("http://127.0.0.1:1", false).await.unwrap_err();
        assert!(e.contains("127.0.0.1:1"), "{e}");
    }
}
