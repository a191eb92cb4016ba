//! monban's HTTP front door: Cognito's AWS JSON 1.1 API on `POST /` (both services,
//! SigV4-authenticated where the model says so), CORS for browser SDKs, `GET /health`, and
//! the SMTP adapter of core's mail port. The store is plugged in by the binary through
//! [`monban_core::Cx`]; this crate never depends on a storage backend.

mod api;
mod app;
mod cors;
mod date;
mod dispatch;
mod health;
mod request_log;
mod response;
mod sigv4;
mod smtp;
mod well_known;

#[cfg(test)]
mod router_tests;

use std::sync::Arc;

use axum::routing::{get, post};
use axum::Router;

pub use app::{AdminKey, App};
pub use smtp::{SmtpMailer, SmtpSecurity, SmtpSettings};

/// The whole HTTP surface.
pub fn router(app: App) -> Router {
    let app = Arc::new(app);
    Router::new()
        .route("/", post(api::handle))
        .route("/health", get(health::handle))
        .route("/{pool_id}/.well-known/jwks.json", get(well_known::jwks))
        .route(
            "/{pool_id}/.well-known/openid-configuration",
            get(well_known::openid_configuration),
        )
        .layer(axum::middleware::from_fn_with_state(app.clone(), date::layer))
        .with_state(app)
        .layer(cors::layer())
        .layer(axum::middleware::from_fn(request_log::layer))
}
