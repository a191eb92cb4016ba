//! monban's HTTP front door: Cognito's AWS JSON 1.1 API on `POST /` (both services,
//! SigV4-authenticated where the model says so), CORS for browser SDKs, `GET /health`, and
//! the SMTP adapter of core's mail port. The store is plugged in by the binary through
//! [`monban_core::Cx`]; this crate never depends on a storage backend.

mod api;
mod app;
mod audit;
mod cors;
mod credentials_verify;
mod date;
mod dev_api;
mod dispatch;
#[doc(hidden)]
pub mod fuzzing;
mod health;
mod hosted_ui;
mod identity_well_known;
mod mail_sender;
mod oauth;
mod oidc_keys;
mod outbound_http;
mod request_log;
mod response;
mod sigv4;
mod sms_webhook;
mod smtp;
mod sts_client;
mod throttle;
mod user_import_upload;
mod webhook;
mod well_known;

#[cfg(test)]
mod router_tests;

use std::sync::Arc;

use axum::routing::{get, post};
use axum::Router;

pub use app::{AdminKey, App};
pub use dev_api::DevControls;
pub use mail_sender::{MailSender, RetryPolicy};
pub use oidc_keys::HttpOidcKeys;
pub use sms_webhook::{SmsWebhookSettings, WebhookSms};
pub use smtp::dkim::{sender_domain, DkimKey, DkimSigner, DkimSigners};
pub use smtp::{SendError, SmtpMailer, SmtpSecurity, SmtpSettings};
pub use sts_client::HttpStsTransport;
pub use webhook::{WebhookSettings, WebhookTriggers};

/// The whole HTTP surface. The `/_monban/` paths answer 404 here: see [`dev_router`].
pub fn router(app: App) -> Router {
    build(app, None)
}

/// Development mode (`--dev`): [`router`] accepting any SigV4 signature, plus the
/// test-support API under `/_monban/`. `controls` become the clock and (when ids are
/// seeded) the generator of `app.cx`; build the mailers on the same clock.
pub fn dev_router(mut app: App, controls: DevControls) -> Router {
    app.dev = true;
    app.cx.clock = controls.clock.clone();
    if let Some(rng) = &controls.rng {
        app.cx.rng = rng.clone();
    }
    build(app, Some(controls))
}

fn build(app: App, dev: Option<DevControls>) -> Router {
    let app = Arc::new(app);
    let test_support = match dev {
        Some(controls) => dev_api::routes(app.clone(), controls),
        None => dev_api::refused(),
    };
    let throttle = Arc::new(throttle::Throttle {
        buckets: monban_core::throttling::TokenBuckets::new(app.cx.settings.throttling),
        clock: app.cx.clock.clone(),
        trusted_proxies: app.cx.settings.audit.trusted_proxies.clone(),
        app: app.clone(),
    });
    let domains = app.clone();
    let router = Router::new()
        .route(
            "/",
            post(api::handle).layer(axum::middleware::from_fn_with_state(
                throttle,
                throttle::layer,
            )),
        )
        .route("/health", get(health::handle))
        .route(credentials_verify::PATH, post(credentials_verify::handle))
        .route(
            identity_well_known::JWKS_PATH,
            get(identity_well_known::jwks),
        )
        .route(
            identity_well_known::DISCOVERY_PATH,
            get(identity_well_known::openid_configuration),
        )
        .route(
            &user_import_upload::path(),
            get(user_import_upload::get).put(user_import_upload::put),
        )
        .route("/{pool_id}/.well-known/jwks.json", get(well_known::jwks))
        .route(
            "/{pool_id}/.well-known/openid-configuration",
            get(well_known::openid_configuration),
        )
        .merge(oauth::routes())
        .merge(hosted_ui::routes())
        .merge(test_support)
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            date::layer,
        ))
        .with_state(app)
        .layer(cors::layer())
        .layer(axum::middleware::from_fn(request_log::layer));
    oauth::host::wrap(domains, router)
}
