//! `POST /_monban/credentials/verify`: a request SigV4-signed with temporary credentials
//! that monban minted (GetCredentialsForIdentity, credential source `monban`) answers which
//! identity, identity pool and role they carry. Expired, forged or revoked credentials and
//! bad signatures are refused with 403. Served in every mode: it is how a self-hosted
//! service authorises callers holding monban credentials (the caller signs a request to
//! this endpoint, or hands a signed one to the service, which forwards it here).
//!
//! The signature may be scoped to any region and service name; the body is whatever the
//! caller signed (it is covered by the signature, so a service can bind the proof to
//! itself by asking for, say, its own name in the body, and checking it).

use std::sync::Arc;

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use monban_core::credentials::{open_session, SessionCredentials, SessionRefusal};
use monban_core::cx::wire_time;
use monban_core::Error;
use monban_wire::ErrorKind;
use serde_json::json;

use crate::app::App;
use crate::sigv4::{missing_token, parse_authorization, RequestParts, Verifier};

pub const PATH: &str = "/_monban/credentials/verify";
/// The signed body is the caller's; it only needs to be small.
const MAX_BODY: usize = 64 * 1024;

pub async fn handle(State(app): State<Arc<App>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    match verify(&app, &parts, body).await {
        Ok(session) => answer(
            StatusCode::OK,
            json!({
                "IdentityId": session.identity_id,
                "IdentityPoolId": session.identity_pool_id,
                "RoleArn": session.role_arn,
                "Authenticated": session.authenticated,
                "AccessKeyId": session.access_key_id,
                "Expiration": wire_time(session.expires_ms),
            }),
        ),
        Err(refusal) => refusal.into_response(),
    }
}

/// Why a request was not verified, as answered.
struct Refused {
    status: StatusCode,
    name: &'static str,
    message: String,
}

impl Refused {
    fn forbidden(name: &'static str, message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::FORBIDDEN,
            name,
            message: message.into(),
        }
    }

    fn invalid_token() -> Self {
        Self::forbidden(
            ErrorKind::UnrecognizedClientException.name(),
            "The security token included in the request is invalid.",
        )
    }
}

impl From<Error> for Refused {
    /// Signature errors are refusals; the server's own faults are 500s, logged.
    fn from(e: Error) -> Self {
        if e.kind.is_fault() {
            tracing::error!(error = ?e, "credential verification failed");
            return Self {
                status: StatusCode::INTERNAL_SERVER_ERROR,
                name: e.kind.name(),
                message: e.message,
            };
        }
        Self::forbidden(e.kind.name(), e.message)
    }
}

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        let mut response = answer(
            self.status,
            json!({ "__type": self.name, "message": self.message }),
        );
        response.headers_mut().insert(
            crate::response::ERROR_TYPE,
            HeaderValue::from_static(self.name),
        );
        response
    }
}

async fn verify(app: &App, parts: &Parts, body: Body) -> Result<SessionCredentials, Refused> {
    let body = to_bytes(body, MAX_BODY).await.map_err(|_| Refused {
        status: StatusCode::PAYLOAD_TOO_LARGE,
        name: ErrorKind::InvalidParameterException.name(),
        message: format!("The request body exceeds {MAX_BODY} bytes."),
    })?;
    let request = RequestParts {
        method: parts.method.as_str(),
        path: parts.uri.path(),
        query: parts.uri.query(),
        headers: &parts.headers,
        authority: parts.uri.authority().map(|a| a.as_str()),
    };
    let value = parts
        .headers
        .get(header::AUTHORIZATION)
        .ok_or_else(missing_token)?
        .to_str()
        .map_err(|_| Refused::invalid_token())?;
    let auth = parse_authorization(value)?;
    // Never the development shortcut: this endpoint is the proof itself.
    let verifier = Verifier {
        keys: &[],
        now_ms: app.cx.now_ms(),
        dev: false,
    };
    let amz_date = verifier.check_scope(&request, &auth, None)?;
    let token = parts
        .headers
        .get("x-amz-security-token")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| {
            Refused::forbidden(
                ErrorKind::MissingAuthenticationTokenException.name(),
                "The request has no X-Amz-Security-Token: only temporary credentials from \
                 GetCredentialsForIdentity can be verified here.",
            )
        })?;
    let session = open_session(&app.cx, auth.access_key_id, token)
        .await
        .map_err(|refusal| match refusal {
            SessionRefusal::Invalid => Refused::invalid_token(),
            SessionRefusal::Expired => Refused::forbidden(
                "ExpiredTokenException",
                "The security token included in the request is expired",
            ),
            SessionRefusal::Revoked => Refused::forbidden(
                ErrorKind::UnrecognizedClientException.name(),
                "The security token included in the request was revoked: its identity no \
                 longer exists.",
            ),
            SessionRefusal::Failed(e) => Refused::from(e),
        })?;
    verifier.check_signature(&request, &body, &auth, amz_date, &session.secret_access_key)?;
    Ok(session)
}

fn answer(status: StatusCode, body: serde_json::Value) -> Response {
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
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use axum::http::Request;
    use tower::ServiceExt;

    use super::*;
    use crate::sigv4::{self, amz_date};
    use crate::AdminKey;

    /// The router tests' clock.
    const NOW_MS: i64 = 1_700_000_000_000;

    fn signed(security_token: Option<&str>, signed_at_ms: i64) -> Request<Body> {
        let body = br#"{"Audience":"svc"}"#;
        let mut request = Request::post(PATH)
            .header("host", "127.0.0.1:9876")
            .header("content-type", "application/json")
            .header("x-amz-date", amz_date::format(signed_at_ms))
            .body(Body::from(&body[..]))
            .unwrap();
        let mut signed_headers = vec!["content-type", "host", "x-amz-date"];
        if let Some(token) = security_token {
            request.headers_mut().insert(
                "x-amz-security-token",
                HeaderValue::from_str(token).unwrap(),
            );
            signed_headers.push("x-amz-security-token");
        }
        let (parts, stream) = request.into_parts();
        let authorization = sigv4::sign(
            &RequestParts {
                method: parts.method.as_str(),
                path: parts.uri.path(),
                query: parts.uri.query(),
                headers: &parts.headers,
                authority: None,
            },
            body,
            &AdminKey {
                access_key_id: "ASIAEXAMPLEEXAMPLE22".to_owned(),
                secret_access_key: "secret".to_owned(),
            },
            &amz_date::format(signed_at_ms),
            "us-east-1",
            "monban",
            &signed_headers,
        );
        let mut request = Request::from_parts(parts, stream);
        request.headers_mut().insert(
            "authorization",
            HeaderValue::from_str(&authorization).unwrap(),
        );
        request
    }

    async fn refusal(request: Request<Body>) -> (StatusCode, serde_json::Value) {
        let app = crate::router_tests::harness().app;
        let response = crate::router(app).oneshot(request).await.unwrap();
        let status = response.status();
        let bytes = to_bytes(response.into_body(), usize::MAX).await.unwrap();
        (status, serde_json::from_slice(&bytes).unwrap())
    }

    #[tokio::test]
    async fn unsigned_requests_are_refused() {
        let request = Request::post(PATH).body(Body::empty()).unwrap();
        let (status, body) = refusal(request).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(body["__type"], "MissingAuthenticationTokenException");
    }

    #[tokio::test]
    async fn only_session_credentials_can_be_verified() {
        let (status, body) = refusal(signed(None, NOW_MS)).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(body["__type"], "MissingAuthenticationTokenException");
        assert!(body["message"]
            .as_str()
            .unwrap()
            .contains("X-Amz-Security-Token"));
    }

    #[tokio::test]
    async fn stale_signatures_are_refused_before_the_token_is_opened() {
        // The fake store is down: reaching the token would be a 500, not this 403.
        let an_hour_ago = NOW_MS - 3_600_000;
        let (status, body) = refusal(signed(Some("AQ=="), an_hour_ago)).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(body["__type"], "InvalidSignatureException");
        assert!(body["message"]
            .as_str()
            .unwrap()
            .contains("Signature expired"));
    }

    #[tokio::test]
    async fn a_store_failure_is_a_server_error_not_a_verdict() {
        let (status, body) = refusal(signed(Some("AQ=="), NOW_MS)).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(body["__type"], "InternalErrorException");
    }
}
