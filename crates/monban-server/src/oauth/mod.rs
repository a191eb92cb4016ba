//! The OAuth 2.0 / OpenID Connect endpoints of a pool (reference `oauth.md`), at
//! `{public_url}/{userPoolId}/oauth2/…`: one file per endpoint and per grant. Core does
//! the work (`monban_core::oauth`); this module reads forms and headers and writes RFC
//! 6749 answers.

mod authorization_code;
pub(crate) mod authorize;
mod client_credentials;
pub(crate) mod form;
mod forward_auth;
pub(crate) mod host;
mod introspect;
mod refresh_token;
mod response;
mod revoke;
mod token;
mod user_info;

use std::sync::Arc;

use axum::routing::{get, post};
use axum::Router;

use crate::app::App;

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/{pool_id}/oauth2/authorize", get(authorize::handle))
        .route("/{pool_id}/oauth2/token", post(token::handle))
        .route(
            "/{pool_id}/oauth2/userInfo",
            get(user_info::handle).post(user_info::handle),
        )
        .route("/{pool_id}/oauth2/revoke", post(revoke::handle))
        .route("/{pool_id}/oauth2/introspect", post(introspect::handle))
        .route("/{pool_id}/forward-auth", get(forward_auth::handle))
}
