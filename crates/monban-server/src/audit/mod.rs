//! The audit trail's recorder (the records and the chain are core's [`monban_core::audit`]).
//!
//! Every `POST /` call is recorded by [`api.rs`](crate::api) through [`ApiCall`]: the
//! operation, pool, client, user, source IP, user agent, outcome and error type, and for
//! changes the names (never the values) of what changed, all derived from the request and
//! response JSON by the table in [`table`], so that core's flows stay untouched.
//!
//! Other surfaces record their own events with [`record`]:
//!
//! ```ignore
//! let mut event = audit::event(&app, "HostedUI.SignIn", &parts);
//! event.pool_id = Some(pool.id.clone());
//! event.username = Some(username.clone());
//! event.auth_event = Some(AuthEventKind::HostedUiSignIn);
//! event.outcome = Outcome::Pass;
//! audit::record(&app, event).await;
//! ```
//!
//! Writing is synchronous: the record is committed before the response goes out, so a
//! call that was answered has its record — nothing acknowledged is lost. The store commits
//! the records of concurrent calls together (group commit), so the cost is not one
//! transaction per call. A failed append is logged and does not fail the call, whose own
//! effects are already committed.

mod api_call;
mod claims;
mod table;

use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use axum::http::request::Parts;
use axum::http::HeaderMap;
use monban_core::audit::{source_ip, AuditEvent};

use crate::app::App;

pub use api_call::ApiCall;
pub use table::response_names_user;

/// Longest user agent kept.
const USER_AGENT_MAX: usize = 512;

/// A new event of `operation` for the request in `parts`: time, id, source IP and user
/// agent filled in; `outcome` `Pass`.
pub fn event(app: &App, operation: &str, parts: &Parts) -> AuditEvent {
    let mut event = AuditEvent::new(
        // Not from `cx.rng`: a seeded development generator must give the same ids with
        // or without auditing.
        uuid::Uuid::new_v4().to_string(),
        app.cx.now_ms(),
        operation,
    );
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip());
    event.source_ip = request_source_ip(app, peer, &parts.headers);
    event.user_agent = parts
        .headers
        .get(axum::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|ua| ua.chars().take(USER_AGENT_MAX).collect());
    event
}

/// The client's address: the peer, or the forwarding headers of a trusted proxy.
pub fn request_source_ip(
    app: &App,
    peer: Option<std::net::IpAddr>,
    headers: &HeaderMap,
) -> Option<String> {
    client_ip(&app.cx.settings.audit.trusted_proxies, peer, headers)
}

/// [`request_source_ip`] with the trusted proxies given (the throttle has no `App`).
pub fn client_ip(
    trusted_proxies: &[monban_core::audit::IpNet],
    peer: Option<std::net::IpAddr>,
    headers: &HeaderMap,
) -> Option<String> {
    let joined = |name: &str| {
        let values: Vec<&str> = headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        (!values.is_empty()).then(|| values.join(","))
    };
    source_ip(
        peer,
        joined("x-forwarded-for").as_deref(),
        joined("forwarded").as_deref(),
        trusted_proxies,
    )
}

/// Appends `event` to the audit trail. A failure is logged (with the operation, never the
/// request) and swallowed: the call it describes has already happened.
pub async fn record(app: &App, event: AuditEvent) {
    if let Err(e) = app
        .cx
        .store
        .append_audit(std::slice::from_ref(&event))
        .await
    {
        tracing::error!(
            operation = %event.operation,
            event_id = %event.event_id,
            error = %e,
            "audit record could not be written"
        );
    }
}

/// An audit event started for a request outside the JSON API (the OAuth endpoints): time,
/// id, source IP and user agent filled in; the handler names the operation and the rest.
pub struct RequestAudit(pub AuditEvent);

impl axum::extract::FromRequestParts<std::sync::Arc<App>> for RequestAudit {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &std::sync::Arc<App>,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self(event(app, "", parts)))
    }
}
