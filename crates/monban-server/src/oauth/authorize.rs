//! `GET /{userPoolId}/oauth2/authorize`: checks the request exactly as oauth.md §3 says;
//! with a live hosted-UI session cookie it goes straight back to the client (code or
//! tokens, no login page); otherwise it
//! sends the browser to the hosted UI's `/login` with the same parameters. Until
//! the user is signed in there is nothing to issue; the hosted UI mints the code
//! (`monban_core::oauth::mint_authorization_code`) once the user has signed in.
//!
//! Errors before `client_id` and `redirect_uri` are known good are an error page (400,
//! no redirect, so an attacker cannot bounce users to an unregistered URI); after that,
//! a redirect to `redirect_uri?error=…&state=…`.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use monban_core::entities::AppClient;
use monban_core::hosted_ui::signed_in_user;
use monban_core::oauth::{
    custom_scopes_of_pool, parse_scope_param, requested_scopes, OAuthError, OAuthErrorCode,
};
use monban_core::pool_config::load_pool;
use monban_core::tokens::pool_base_url;
use monban_wire::idp::OAuthFlowType;
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};

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
    let query = query.unwrap_or_default();
    let params = match Params::parse(&query) {
        Ok(p) => p,
        Err(e) => return error_page(e.description.as_deref().unwrap_or("invalid request")),
    };
    let client = match client_and_redirect(&app, &pool_id, &params).await {
        Ok(c) => c,
        Err(message) => return error_page(message),
    };
    // Checked above.
    let redirect_uri = params.get("redirect_uri").unwrap_or_default();
    let state = params.get("state");
    match check(&app, &client, &params).await {
        Ok(granted) => {
            if let Some(response) =
                signed_in(&app, &pool_id, &client, &params, &granted, &headers).await
            {
                return response;
            }
            // On a pool's domain, the login page is on that host too.
            let base = match &domain {
                Some(Extension(DomainBase(base))) => base.clone(),
                None => pool_base_url(&app.cx.settings, &pool_id),
            };
            let login = format!("{base}/login?{query}");
            redirect(&login)
        }
        Err(e) => redirect(&error_redirect(redirect_uri, &e, state)),
    }
}

/// With a live hosted-UI session cookie, the redirect back to the client without the
/// login page (oauth.md §2).
async fn signed_in(
    app: &App,
    pool_id: &str,
    client: &AppClient,
    params: &Params,
    granted: &(OAuthFlowType, Vec<String>),
    headers: &HeaderMap,
) -> Option<Response> {
    let cookie = crate::hosted_ui::session_cookie(headers)?;
    let (user, auth_time_ms) = signed_in_user(&app.cx, pool_id, &cookie).await.ok()??;
    let pool = load_pool(&app.cx, pool_id).await.ok()?;
    Some(
        crate::hosted_ui::back_to_app(app, &pool, client, params, granted, &user, auth_time_ms)
            .await,
    )
}

/// The client, if `client_id` names one of this pool and `redirect_uri` is exactly one
/// of its `CallbackURLs`; otherwise what the error page says.
pub(crate) async fn client_and_redirect(
    app: &App,
    pool_id: &str,
    params: &Params,
) -> Result<AppClient, &'static str> {
    let client_id = params.get("client_id").ok_or("client_id is required")?;
    let client = match app.cx.store.get_app_client(client_id).await {
        Ok(Some(c)) if c.pool_id == pool_id => c,
        Ok(_) => return Err("invalid client_id"),
        Err(_) => return Err("the service is unavailable"),
    };
    let redirect_uri = params
        .get("redirect_uri")
        .ok_or("redirect_uri is required")?;
    let registered = client
        .config
        .callback_ur_ls
        .as_deref()
        .unwrap_or_default()
        .iter()
        .any(|uri| uri == redirect_uri);
    if !registered {
        return Err("redirect_mismatch");
    }
    Ok(client)
}

/// The checks whose failure goes back to the client's `redirect_uri`; the flow and the
/// scopes granted when they pass.
pub(crate) async fn check(
    app: &App,
    client: &AppClient,
    params: &Params,
) -> Result<(OAuthFlowType, Vec<String>), OAuthError> {
    let flow = match params.require("response_type")? {
        "code" => OAuthFlowType::Code,
        "token" => OAuthFlowType::Implicit,
        _ => return Err(OAuthError::invalid_request("unsupported response_type")),
    };
    let config = &client.config;
    let allowed = config.allowed_o_auth_flows_user_pool_client == Some(true)
        && config
            .allowed_o_auth_flows
            .as_deref()
            .unwrap_or_default()
            .contains(&flow)
        && !config
            .supported_identity_providers
            .as_deref()
            .unwrap_or_default()
            .is_empty();
    if !allowed {
        return Err(OAuthError::new(OAuthErrorCode::UnauthorizedClient));
    }
    match (
        params.get("code_challenge_method"),
        params.get("code_challenge"),
    ) {
        (None, None) | (Some("S256"), Some(_)) => {}
        (Some("S256"), None) => {
            return Err(OAuthError::invalid_request("code_challenge is required"))
        }
        (None, Some(_)) | (Some(_), _) => {
            return Err(OAuthError::invalid_request(
                "only the S256 code_challenge_method is supported",
            ))
        }
    }
    let requested = parse_scope_param(params.get("scope"))?;
    let custom = custom_scopes_of_pool(&app.cx, &client.pool_id).await?;
    let granted = requested_scopes(client, requested.as_deref(), &custom);
    if granted.is_empty() {
        return Err(OAuthError::new(OAuthErrorCode::InvalidScope));
    }
    Ok((flow, granted))
}

pub(crate) fn error_redirect(redirect_uri: &str, e: &OAuthError, state: Option<&str>) -> String {
    let mut out = String::from(redirect_uri);
    out.push(if redirect_uri.contains('?') { '&' } else { '?' });
    out.push_str("error=");
    out.push_str(e.code.as_str());
    if let Some(description) = &e.description {
        out.push_str("&error_description=");
        out.extend(utf8_percent_encode(description, NON_ALPHANUMERIC));
    }
    if let Some(state) = state {
        out.push_str("&state=");
        out.extend(utf8_percent_encode(state, NON_ALPHANUMERIC));
    }
    out
}

pub(crate) fn redirect(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(value) => {
            let mut response = StatusCode::FOUND.into_response();
            response.headers_mut().insert(header::LOCATION, value);
            response
        }
        Err(_) => error_page("invalid redirect_uri"),
    }
}

/// The page for errors that cannot go back to the client (the hosted UI will render it
/// as HTML).
pub(super) fn error_page(message: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        format!("An error was encountered with the requested page: {message}\n"),
    )
        .into_response()
}
