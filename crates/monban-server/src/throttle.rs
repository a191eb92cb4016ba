//! Per-source throttling of the public sign-in and sign-up operations (core's
//! [`TokenBuckets`]): past its bucket, a source gets `TooManyRequestsException` before any
//! work is done, as Cognito answers past its quotas.
//!
//! The source is the client's address as the audit trail sees it: the TCP peer, or the
//! `X-Forwarded-For` / `Forwarded` headers when the peer is a configured trusted proxy
//! (`--trusted-proxy`), so clients behind a reverse proxy get buckets of their own. Without
//! connection information (the router embedded without `into_make_service_with_connect_info`)
//! all requests share one bucket.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use monban_core::throttling::TokenBuckets;
use monban_core::{Clock, Error};
use monban_wire::ErrorKind;

use crate::response;

/// The operations anyone can call without credentials that start or advance a sign-in or a
/// sign-up: the ones a brute-force or enumeration script drives.
const THROTTLED: &[&str] = &[
    "InitiateAuth",
    "RespondToAuthChallenge",
    "SignUp",
    "ConfirmSignUp",
    "ResendConfirmationCode",
    "ForgotPassword",
    "ConfirmForgotPassword",
];

const TARGET_PREFIX: &str = "AWSCognitoIdentityProviderService.";

pub struct Throttle {
    pub buckets: TokenBuckets,
    pub clock: Arc<dyn Clock>,
    pub trusted_proxies: Vec<monban_core::audit::IpNet>,
    /// Where refusals are recorded (the audit trail).
    pub app: Arc<crate::app::App>,
}

pub async fn layer(
    State(throttle): State<Arc<Throttle>>,
    request: Request,
    next: Next,
) -> Response {
    let Some(operation) = throttled_operation(&request) else {
        return next.run(request).await;
    };
    if throttle
        .buckets
        .try_take(source(&throttle, &request), throttle.clock.now_ms())
    {
        return next.run(request).await;
    }
    // A refused call is still a call: the trail shows who was throttled, and when.
    let (parts, _) = request.into_parts();
    let mut event = crate::audit::event(&throttle.app, operation, &parts);
    event.outcome = monban_core::audit::Outcome::Fail;
    event.error = Some(ErrorKind::TooManyRequestsException.name().to_owned());
    crate::audit::record(&throttle.app, event).await;
    response::error(Error::new(
        ErrorKind::TooManyRequestsException,
        "Rate exceeded",
    ))
}

/// The operation, when it is one of [`THROTTLED`].
fn throttled_operation(request: &Request) -> Option<&'static str> {
    let op = request
        .headers()
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix(TARGET_PREFIX))?;
    THROTTLED.iter().copied().find(|known| *known == op)
}

/// The address the request came from, when the server knows it.
fn source(throttle: &Throttle, request: &Request) -> Option<IpAddr> {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip());
    crate::audit::client_ip(&throttle.trusted_proxies, peer, request.headers())
        .and_then(|ip| ip.parse().ok())
        .or(peer)
}
