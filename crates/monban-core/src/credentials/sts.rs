//! Credential source `upstream`: STS's `AssumeRoleWithWebIdentity` (query protocol, version
//! 2011-06-15) called with monban's OpenID token for the identity, as Cognito's enhanced
//! flow calls AWS STS. The call is unsigned (STS authenticates the web identity token), so
//! any STS-compatible endpoint works: AWS STS, MinIO, moto. The HTTP itself is a port
//! ([`StsTransport`]) that the server implements; core only builds the request and reads
//! the answer.

use std::sync::Arc;

use async_trait::async_trait;

use super::sts_xml::{parse_assume_role_response, parse_error_response};
use super::{Grant, TemporaryCredentials};
use crate::error::{Error, ErrorKind};
use crate::Cx;

/// The `RoleSessionName` Cognito uses (it shows in the assumed-role ARN and CloudTrail).
pub const ROLE_SESSION_NAME: &str = "CognitoIdentityCredentials";
const STS_VERSION: &str = "2011-06-15";

/// An HTTP answer: status and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpReply {
    pub status: u16,
    pub body: String,
}

/// POSTs a form to the STS endpoint. `Err` is a transport failure (no answer), described
/// for the log.
#[async_trait]
pub trait StsTransport: Send + Sync {
    async fn post_form(&self, url: &str, body: &str) -> Result<HttpReply, String>;
}

/// A configured upstream STS.
pub struct Upstream {
    /// `https://sts.us-east-1.amazonaws.com/`, `http://127.0.0.1:5000/`...
    pub endpoint: String,
    pub transport: Arc<dyn StsTransport>,
}

impl std::fmt::Debug for Upstream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Upstream")
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

/// Cognito's answer when STS refuses the role (its trust policy, say).
fn invalid_configuration() -> Error {
    Error::new(
        ErrorKind::InvalidIdentityPoolConfigurationException,
        "Invalid identity pool configuration. Check assigned IAM roles for this pool.",
    )
}

fn unavailable() -> Error {
    Error::new(
        ErrorKind::ExternalServiceException,
        "The security token service did not answer; try again later.",
    )
}

/// Credentials from the upstream STS for `grant`'s role, for `web_identity_token` (monban's
/// OpenID token for the identity).
pub async fn assume_role_with_web_identity(
    cx: &Cx,
    upstream: &Upstream,
    grant: &Grant,
    web_identity_token: &str,
) -> Result<TemporaryCredentials, Error> {
    let body = request_body(
        &grant.role_arn,
        web_identity_token,
        cx.settings.credentials.duration.as_secs(),
    );
    let reply = upstream
        .transport
        .post_form(&upstream.endpoint, &body)
        .await
        .map_err(|cause| {
            tracing::warn!(endpoint = %upstream.endpoint, %cause, "upstream STS unreachable");
            unavailable().with_source(cause)
        })?;
    if (200..300).contains(&reply.status) {
        return parse_assume_role_response(&reply.body).map_err(|cause| {
            tracing::warn!(endpoint = %upstream.endpoint, %cause, "unreadable upstream STS answer");
            unavailable().with_source(cause)
        });
    }
    let sts_error = parse_error_response(&reply.body);
    tracing::warn!(
        endpoint = %upstream.endpoint,
        status = reply.status,
        code = %sts_error.code,
        message = %sts_error.message,
        role_arn = %grant.role_arn,
        "upstream STS refused AssumeRoleWithWebIdentity"
    );
    Err(match (reply.status, sts_error.code.as_str()) {
        (429, _) | (_, "Throttling" | "ThrottlingException" | "RequestLimitExceeded") => {
            Error::new(ErrorKind::TooManyRequestsException, "Rate exceeded")
        }
        (500.., _) | (_, "IDPCommunicationError" | "ServiceUnavailable") => unavailable(),
        _ => invalid_configuration(),
    })
}

/// The form body of the call.
fn request_body(role_arn: &str, web_identity_token: &str, duration_secs: u64) -> String {
    let duration = duration_secs.to_string();
    [
        ("Action", "AssumeRoleWithWebIdentity"),
        ("Version", STS_VERSION),
        ("RoleArn", role_arn),
        ("RoleSessionName", ROLE_SESSION_NAME),
        ("WebIdentityToken", web_identity_token),
        ("DurationSeconds", duration.as_str()),
    ]
    .iter()
    .map(|(name, value)| format!("{name}={}", form_encode(value)))
    .collect::<Vec<_>>()
    .join("&")
}

/// `application/x-www-form-urlencoded` value encoding (RFC 3986 unreserved kept).
fn form_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn the_request_is_an_assume_role_with_web_identity_form() {
        let body = request_body("arn:aws:iam::000000000000:role/Reader", "eyJ.a+b/c=", 3600);
        assert_eq!(
            body,
            "Action=AssumeRoleWithWebIdentity&Version=2011-06-15\
             &RoleArn=arn%3Aaws%3Aiam%3A%3A000000000000%3Arole%2FReader\
             &RoleSessionName=CognitoIdentityCredentials\
             &WebIdentityToken=eyJ.a%2Bb%2Fc%3D&DurationSeconds=3600"
        );
    }

    #[test]
    fn form_encoding_keeps_unreserved_and_escapes_utf8() {
        assert_eq!(form_encode("aZ09-_.~"), "aZ09-_.~");
        assert_eq!(form_encode("a b&é"), "a%20b%26%C3%A9");
    }
}
