//! The end of a hosted-UI sign-in: the session cookie (so the next `/oauth2/authorize`
//! skips the login page), then the redirect back to the application with a code (or the
//! implicit grant's tokens) through core's `complete_authorization`.

use axum::http::{header, StatusCode};
use axum::response::Response;
use monban_core::entities::{AppClient, User, UserPool};
use monban_core::hosted_ui::open_session;
use monban_core::oauth::{complete_authorization, AuthorizationRequest};
use monban_wire::idp::OAuthFlowType;

use super::cookies;
use super::flow::Flow;
use super::render::{error_page, Chrome};
use crate::app::App;
use crate::oauth::authorize::{error_redirect, redirect};
use crate::oauth::form::Params;

/// The redirect back to the application for `user`, signed in at `auth_time_ms`, with
/// what authorize's `check` granted for `params`: the flow and the scopes.
pub async fn back_to_app(
    app: &App,
    pool: &UserPool,
    client: &AppClient,
    params: &Params,
    granted: &(OAuthFlowType, Vec<String>),
    user: &User,
    auth_time_ms: i64,
) -> Response {
    let request = AuthorizationRequest {
        flow: granted.0,
        redirect_uri: redirect_uri(params),
        scopes: granted.1.clone(),
        state: params.get("state").map(str::to_owned),
        code_challenge: params.get("code_challenge").map(str::to_owned),
        nonce: params.get("nonce").map(str::to_owned),
    };
    match complete_authorization(&app.cx, pool, client, user, &request, auth_time_ms).await {
        Ok(location) => redirect(&location),
        Err(e) => redirect(&error_redirect(
            &redirect_uri(params),
            &e,
            params.get("state"),
        )),
    }
}

fn redirect_uri(params: &Params) -> String {
    params.get("redirect_uri").unwrap_or_default().to_owned()
}

/// A sign-in through the pages just passed: opens the session, then back to the app.
pub async fn signed_in(flow: &Flow, user: &User, auth_time_ms: i64) -> Response {
    let cx = flow.cx();
    let value = match open_session(cx, &flow.pool.id, user, auth_time_ms).await {
        Ok(v) => v,
        Err(e) => {
            return error_page(
                StatusCode::SERVICE_UNAVAILABLE,
                &Chrome::default(),
                &e.message,
            )
        }
    };
    let mut response = back_to_app(
        &flow.app,
        &flow.pool,
        &flow.client,
        &flow.params,
        &flow.granted,
        user,
        auth_time_ms,
    )
    .await;
    let lifetime_s = cx.settings.hosted_ui.session_lifetime_ms / 1000;
    if let Some(cookie) = cookies::set(
        &cx.settings.public_url,
        &flow.cookie_path,
        cookies::SESSION,
        &value,
        Some(lifetime_s),
    ) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}
