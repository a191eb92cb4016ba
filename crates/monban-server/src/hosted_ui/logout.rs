//! `GET /logout` (oauth.md §7): ends the hosted-UI session (the database row, so no node
//! honours the cookie any more, and the cookie itself), then either `logout_uri` (one of
//! the client's `LogoutURLs`) or, with `redirect_uri` + `response_type`, the sign-in page
//! again. Tokens already issued stay valid (RevokeToken / GlobalSignOut end those).

use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::Response;
use monban_core::hosted_ui::end_session;
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};

use super::cookies;
use super::flow::PageRequest;
use super::render::{error_page, Chrome};
use crate::app::App;
use crate::oauth::authorize::redirect;
use crate::oauth::form::Params;

pub async fn handle(State(app): State<Arc<App>>, request: PageRequest) -> Response {
    let (pool_id, query, headers) = (&request.pool_id, &request.query, &request.headers);
    let plain = Chrome::default();
    let bad = |detail: &str| error_page(StatusCode::BAD_REQUEST, &plain, detail);
    let Ok(params) = Params::parse(query.as_deref().unwrap_or_default()) else {
        return bad("invalid request");
    };
    let Some(client_id) = params.get("client_id") else {
        return bad("client_id is required");
    };
    let client = match app.cx.store.get_app_client(client_id).await {
        Ok(Some(c)) if &c.pool_id == pool_id => c,
        Ok(_) => return bad("invalid client_id"),
        Err(_) => {
            return error_page(
                StatusCode::SERVICE_UNAVAILABLE,
                &plain,
                "the service is unavailable",
            )
        }
    };
    let config = &client.config;
    let location = if let Some(logout_uri) = params.get("logout_uri") {
        let registered = config.logout_ur_ls.as_deref().unwrap_or_default();
        if !registered.iter().any(|uri| uri == logout_uri) {
            return bad("logout_uri is not one of the client's sign-out URLs");
        }
        logout_uri.to_owned()
    } else if let (Some(redirect_uri), Some(_)) =
        (params.get("redirect_uri"), params.get("response_type"))
    {
        let registered = config.callback_ur_ls.as_deref().unwrap_or_default();
        if !registered.iter().any(|uri| uri == redirect_uri) {
            return bad("redirect_mismatch");
        }
        let mut login = format!("/{pool_id}/login?");
        let carried = [
            "client_id",
            "redirect_uri",
            "response_type",
            "state",
            "scope",
        ]
        .iter()
        .filter_map(|name| {
            params
                .get(name)
                .map(|v| format!("{name}={}", utf8_percent_encode(v, NON_ALPHANUMERIC)))
        })
        .collect::<Vec<_>>()
        .join("&");
        login.push_str(&carried);
        login
    } else {
        return bad("logout_uri or redirect_uri and response_type are required");
    };
    if let Some(cookie) = cookies::get(headers, cookies::SESSION) {
        if let Err(e) = end_session(&app.cx, &cookie).await {
            return error_page(StatusCode::SERVICE_UNAVAILABLE, &plain, &e.message);
        }
    }
    let mut response = redirect(&location);
    let cleared = cookies::set(
        &app.cx.settings.public_url,
        &request.cookie_path,
        cookies::SESSION,
        "",
        Some(0),
    );
    if let Some(cookie) = cleared {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}
