//! `GET /{userPoolId}/.well-known/jwks.json` and `…/openid-configuration`: a pool's
//! signing keys and OpenID discovery document, under monban's own base URL whatever the
//! issuer style; on a pool's domain the document names the endpoints on that host.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use monban_core::pool_config::load_pool;
use monban_core::{tokens, Error};
use monban_wire::ErrorKind;

use crate::app::App;
use crate::oauth::host::DomainBase;

pub async fn jwks(State(app): State<Arc<App>>, Path(pool_id): Path<String>) -> Response {
    if !plausible_pool_id(&pool_id) {
        return not_found(&pool_id);
    }
    match tokens::jwks(&app.cx, &pool_id).await {
        Ok(keys) => json(StatusCode::OK, &keys),
        Err(e) => failure(e, &pool_id),
    }
}

pub async fn openid_configuration(
    State(app): State<Arc<App>>,
    Path(pool_id): Path<String>,
    domain: Option<Extension<DomainBase>>,
) -> Response {
    if !plausible_pool_id(&pool_id) {
        return not_found(&pool_id);
    }
    match load_pool(&app.cx, &pool_id).await {
        Ok(pool) => json(
            StatusCode::OK,
            &tokens::openid_configuration_at(
                &app.cx.settings,
                &pool.id,
                domain
                    .as_ref()
                    .map(|Extension(DomainBase(base))| base.as_str()),
            ),
        ),
        Err(e) => failure(e, &pool_id),
    }
}

/// The model's pattern for pool ids (`[\w-]+_[0-9a-zA-Z]+`, at most 55 characters):
/// anything else cannot be a pool and needs no database lookup.
fn plausible_pool_id(id: &str) -> bool {
    let Some((region, suffix)) = id.split_once('_') else {
        return false;
    };
    id.len() <= 55
        && !region.is_empty()
        && !suffix.is_empty()
        && region
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && suffix.chars().all(|c| c.is_ascii_alphanumeric())
}

fn failure(e: Error, pool_id: &str) -> Response {
    if e.kind == ErrorKind::ResourceNotFoundException {
        return not_found(pool_id);
    }
    tracing::error!(error = ?e, pool_id, "well-known document failed");
    json(
        StatusCode::INTERNAL_SERVER_ERROR,
        &serde_json::json!({ "message": "Internal error" }),
    )
}

fn not_found(pool_id: &str) -> Response {
    json(
        StatusCode::NOT_FOUND,
        &serde_json::json!({ "message": format!("User pool {pool_id} does not exist.") }),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pool_ids_are_screened() {
        assert!(plausible_pool_id("us-east-1_AbC123xyZ"));
        assert!(!plausible_pool_id("us-east-1"));
        assert!(!plausible_pool_id("_AbC"));
        assert!(!plausible_pool_id("us-east-1_"));
        assert!(!plausible_pool_id("us-east-1_a.b"));
        assert!(!plausible_pool_id(&format!("us-east-1_{}", "a".repeat(60))));
    }
}
