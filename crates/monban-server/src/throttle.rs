//! Per-source throttling of the public sign-in and sign-up operations (core's
//! [`TokenBuckets`]): past its bucket, a source gets `TooManyRequestsException` before any
//! work is done, as Cognito answers past its quotas.
//!
//! The source is the TCP peer address. Behind a reverse proxy every client shares the
//! proxy's address; a trusted-proxy setting (reading `X-Forwarded-For` only from known
//! proxies) is not wired here yet — when one exists, its source-address function belongs
//! in [`source`]. Without connection information (the router embedded without
//! `into_make_service_with_connect_info`) all requests share one bucket.

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
}

pub async fn layer(
    State(throttle): State<Arc<Throttle>>,
    request: Request,
    next: Next,
) -> Response {
    if throttled_operation(&request)
        && !throttle
            .buckets
            .try_take(source(&request), throttle.clock.now_ms())
    {
        return response::error(Error::new(
            ErrorKind::TooManyRequestsException,
            "Rate exceeded",
        ));
    }
    next.run(request).await
}

fn throttled_operation(request: &Request) -> bool {
    request
        .headers()
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix(TARGET_PREFIX))
        .is_some_and(|op| THROTTLED.contains(&op))
}

/// The address the request came from, when the server knows it.
fn source(request: &Request) -> Option<IpAddr> {
    request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip())
}
