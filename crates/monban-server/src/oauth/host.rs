//! A pool's OAuth endpoints and hosted-UI pages by `Host`: a request for one of the
//! pool's domains (its prefix domain `{prefix}.{auth_base_domain}`, or its custom
//! domain) at `/oauth2/token`, `/login`, `/.well-known/openid-configuration`, … is served
//! as `/{userPoolId}/oauth2/token`, … so a reverse proxy can give each pool its own host
//! name, as Cognito's domains do. The paths under `{public_url}/{userPoolId}/` keep
//! working on every host.
//!
//! The rewrite happens before routing (this wraps the whole router), so every
//! pool-scoped route, the hosted UI's included, gets it without knowing. The rewritten
//! request carries [`DomainBase`]: the `scheme://host` the client used, for documents
//! that name endpoints (discovery) and for redirects.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, Uri};
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use monban_core::oauth::UserPoolDomain;

use crate::app::App;

/// The external base (`https://auth.example.com`) of a request that arrived on a pool's
/// domain; endpoints of that pool are `{base}/oauth2/…` there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainBase(pub String);

/// `router` behind the `Host` rewrite.
pub fn wrap(app: Arc<App>, router: Router) -> Router {
    let layer = axum::middleware::from_fn_with_state(app, rewrite);
    Router::new().fallback_service(tower::Layer::layer(&layer, router))
}

async fn rewrite(State(app): State<Arc<App>>, mut request: Request, next: Next) -> Response {
    let authority = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| request.uri().authority().map(|a| a.as_str()))
        .map(str::to_owned);
    let scoped = pool_scoped(request.uri().path());
    let found = match authority {
        Some(authority) if scoped => domain_of(&app, &authority).await,
        _ => None,
    };
    if let Some((pool_id, base)) = found {
        let path_and_query = request
            .uri()
            .path_and_query()
            .map(|p| p.as_str())
            .unwrap_or("/");
        if let Ok(uri) = format!("/{pool_id}{path_and_query}").parse::<Uri>() {
            *request.uri_mut() = uri;
            request.extensions_mut().insert(DomainBase(base));
        }
    }
    next.run(request).await
}

/// The pool and external base when `authority` (the `Host`) is a configured domain.
async fn domain_of(app: &App, authority: &str) -> Option<(String, String)> {
    let settings = &app.cx.settings;
    let (scheme, public_authority) = settings.public_url.split_once("://")?;
    let public_authority = public_authority.split('/').next().unwrap_or_default();
    if authority.eq_ignore_ascii_case(public_authority) {
        return None;
    }
    let host = host_name(authority)?;
    let domain = match find_domain(app, &host).await {
        Ok(domain) => domain?,
        Err(e) => {
            tracing::warn!(error = ?e, "domain lookup failed; serving the request as is");
            return None;
        }
    };
    Some((
        domain.pool_id,
        format!("{scheme}://{}", authority.to_ascii_lowercase()),
    ))
}

/// `/` (the API), `/health` and `/_…` (monban's own) are never a pool's; neither is a
/// path that already names a pool.
fn pool_scoped(path: &str) -> bool {
    let first = path
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or_default();
    !(first.is_empty() || first == "health" || first.starts_with('_') || looks_like_pool_id(first))
}

/// `{region}_{suffix}` (the model's `[\w-]+_[0-9a-zA-Z]+`).
fn looks_like_pool_id(segment: &str) -> bool {
    segment.rsplit_once('_').is_some_and(|(region, suffix)| {
        !region.is_empty()
            && !suffix.is_empty()
            && suffix.bytes().all(|b| b.is_ascii_alphanumeric())
            && region.contains('-')
    })
}

/// The lower-cased host of a `Host` value, without the port.
fn host_name(authority: &str) -> Option<String> {
    let host = match authority.rsplit_once(':') {
        Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => host,
        _ => authority,
    };
    (!host.is_empty() && !host.starts_with('[')).then(|| host.to_ascii_lowercase())
}

/// The domain `host` names: `{prefix}.{auth_base_domain}` is the prefix domain
/// `{prefix}`; anything else may be a custom domain.
async fn find_domain(
    app: &App,
    host: &str,
) -> Result<Option<UserPoolDomain>, monban_core::store::StoreError> {
    let base = app.cx.settings.oauth.auth_base_domain.as_deref();
    let prefix = base.and_then(|base| {
        host.strip_suffix(base.trim_matches('.'))
            .and_then(|rest| rest.strip_suffix('.'))
            .filter(|prefix| !prefix.is_empty() && !prefix.contains('.'))
    });
    match prefix {
        Some(prefix) => Ok(app
            .cx
            .store
            .get_domain(prefix)
            .await?
            .filter(|d| !d.is_custom())),
        None if host.contains('.') => Ok(app
            .cx
            .store
            .get_domain(host)
            .await?
            .filter(UserPoolDomain::is_custom)),
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_pool_paths_are_rewritten() {
        assert!(pool_scoped("/oauth2/token"));
        assert!(pool_scoped("/login"));
        assert!(pool_scoped("/.well-known/openid-configuration"));
        assert!(!pool_scoped("/"));
        assert!(!pool_scoped("/health"));
        assert!(!pool_scoped("/_monban/clock"));
        assert!(!pool_scoped("/us-east-1_AbC123/oauth2/token"));
    }

    #[test]
    fn host_names_lose_the_port() {
        assert_eq!(
            host_name("Auth.Example.com:8443").as_deref(),
            Some("auth.example.com")
        );
        assert_eq!(
            host_name("auth.example.com").as_deref(),
            Some("auth.example.com")
        );
        assert_eq!(host_name("[::1]:80"), None);
    }
}
