//! `GET /{userPoolId}/forward-auth` for reverse proxies (nginx `auth_request`, Traefik
//! ForwardAuth, Caddy `forward_auth`), a monban extension. The proxy forwards the
//! visitor's `Authorization: Bearer <access or ID token>` (or, without one, the hosted
//! UI's session cookie: a session has no client or scopes); the answer is
//! - `200` with `X-Auth-Request-User`, `-Email`, `-Sub`, `-Groups` (comma-separated) and
//!   `-Client-Id` when the token is live and satisfies the query's rules:
//!   `client_id` (issued to that app client), `groups=a,b` (member of at least one),
//!   `scopes=x,y` (all of them, space or comma separated);
//! - `403` for a live token the rules refuse;
//! - `401` (with `WWW-Authenticate: Bearer`) without a usable token, or with
//!   `redirect=1` a `302` to the pool's login page, for proxies that pass redirects on
//!   (Traefik, Caddy; nginx turns a 401 into a redirect with `error_page`). The page
//!   returns to `redirect_uri` (a registered callback; default: the original URL from
//!   `X-Forwarded-Proto`/`-Host`/`-Uri`) with the original URL as `state`.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use monban_core::oauth::{forward_auth, ForwardAuthDecision, ForwardAuthRules, ForwardIdentity};
use monban_core::tokens::pool_base_url;
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};

use super::authorize::{error_page, redirect};
use super::form::Params;
use super::host::DomainBase;
use crate::app::App;

pub async fn handle(
    State(app): State<Arc<App>>,
    Path(pool_id): Path<String>,
    domain: Option<Extension<DomainBase>>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let params = match Params::parse(query.as_deref().unwrap_or_default()) {
        Ok(p) => p,
        Err(e) => return error_page(e.description.as_deref().unwrap_or("invalid request")),
    };
    let list = |name: &str| -> Vec<String> {
        params
            .get(name)
            .unwrap_or_default()
            .split([',', ' '])
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let rules = ForwardAuthRules {
        client_id: params.get("client_id").map(str::to_owned),
        any_group: list("groups"),
        all_scopes: list("scopes"),
    };
    let token = bearer(&headers);
    let session = crate::hosted_ui::session_cookie(&headers);
    match forward_auth(&app.cx, &pool_id, token, session.as_deref(), &rules).await {
        Ok(ForwardAuthDecision::Allow(identity)) => allowed(&identity),
        Ok(ForwardAuthDecision::Forbidden) => StatusCode::FORBIDDEN.into_response(),
        Ok(ForwardAuthDecision::Unauthenticated) if params.get("redirect") == Some("1") => {
            let base = match &domain {
                Some(Extension(DomainBase(base))) => base.clone(),
                None => pool_base_url(&app.cx.settings, &pool_id),
            };
            match login_url(&base, &params, &headers) {
                Some(url) => redirect(&url),
                None => unauthorized(),
            }
        }
        Ok(ForwardAuthDecision::Unauthenticated) => unauthorized(),
        Err(e) => {
            tracing::error!(error = ?e, "forward auth failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, token)| scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty())
        .map(|(_, token)| token.trim())
}

fn allowed(identity: &ForwardIdentity) -> Response {
    let mut response = StatusCode::OK.into_response();
    let headers = response.headers_mut();
    let mut put = |name: &'static str, value: &str| {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(HeaderName::from_static(name), value);
        }
    };
    put("x-auth-request-user", &identity.user);
    put("x-auth-request-sub", &identity.sub);
    if !identity.client_id.is_empty() {
        put("x-auth-request-client-id", &identity.client_id);
    }
    if let Some(email) = &identity.email {
        put("x-auth-request-email", email);
    }
    put("x-auth-request-groups", &identity.groups.join(","));
    response
}

fn unauthorized() -> Response {
    let mut response = StatusCode::UNAUTHORIZED.into_response();
    response
        .headers_mut()
        .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    response
}

/// The pool's login page for the request the proxy is checking; `None` without a
/// `client_id` or a URL to come back to.
fn login_url(base: &str, params: &Params, headers: &HeaderMap) -> Option<String> {
    let client_id = params.get("client_id")?;
    let forwarded = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .filter(|v| !v.is_empty())
    };
    let original = match (forwarded("x-forwarded-host"), forwarded("x-forwarded-uri")) {
        (Some(host), uri) => Some(format!(
            "{}://{host}{}",
            forwarded("x-forwarded-proto").unwrap_or("https"),
            uri.unwrap_or("/")
        )),
        (None, _) => None,
    };
    let redirect_uri = params
        .get("redirect_uri")
        .map(str::to_owned)
        .or_else(|| original.clone())?;
    let enc = |v: &str| utf8_percent_encode(v, NON_ALPHANUMERIC).to_string();
    let mut url = format!(
        "{base}/login?response_type=code&client_id={}&redirect_uri={}",
        enc(client_id),
        enc(&redirect_uri)
    );
    if let Some(scope) = params.get("scope") {
        url.push_str(&format!("&scope={}", enc(scope)));
    }
    if let Some(original) = original {
        url.push_str(&format!("&state={}", enc(&original)));
    }
    Some(url)
}
