//! `GET /_identity/.well-known/jwks.json` and `…/openid-configuration`: the key set and
//! discovery document of the issuer of identity pools' OpenID tokens (core
//! `tokens::identity_issuer`), for STSs and other verifiers of those tokens.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use monban_core::tokens;

use crate::app::App;

pub const JWKS_PATH: &str = "/_identity/.well-known/jwks.json";
pub const DISCOVERY_PATH: &str = "/_identity/.well-known/openid-configuration";

pub async fn jwks(State(app): State<Arc<App>>) -> Response {
    match tokens::identity_jwks(&app.cx).await {
        Ok(keys) => json(StatusCode::OK, &keys),
        Err(e) => {
            tracing::error!(error = ?e, "identity key set failed");
            json(
                StatusCode::INTERNAL_SERVER_ERROR,
                &serde_json::json!({ "message": "Internal error" }),
            )
        }
    }
}

pub async fn openid_configuration(State(app): State<Arc<App>>) -> Response {
    json(
        StatusCode::OK,
        &tokens::identity_openid_configuration(&app.cx.settings),
    )
}

fn json(status: StatusCode, body: &serde_json::Value) -> Response {
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body.to_string(),
    )
        .into_response()
}
