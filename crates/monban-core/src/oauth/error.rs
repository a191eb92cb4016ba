//! RFC 6749 errors (`{"error": …, "error_description": …}`), as the OAuth endpoints
//! answer them instead of Cognito's exceptions.

use crate::error::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OAuthErrorCode {
    InvalidRequest,
    InvalidClient,
    InvalidGrant,
    UnauthorizedClient,
    UnsupportedGrantType,
    InvalidScope,
    UnsupportedTokenType,
    InvalidToken,
    ServerError,
}

impl OAuthErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidRequest => "invalid_request",
            Self::InvalidClient => "invalid_client",
            Self::InvalidGrant => "invalid_grant",
            Self::UnauthorizedClient => "unauthorized_client",
            Self::UnsupportedGrantType => "unsupported_grant_type",
            Self::InvalidScope => "invalid_scope",
            Self::UnsupportedTokenType => "unsupported_token_type",
            Self::InvalidToken => "invalid_token",
            Self::ServerError => "server_error",
        }
    }
}

/// An OAuth error; `source` (the server's own failure) is for the log only.
#[derive(Debug)]
pub struct OAuthError {
    pub code: OAuthErrorCode,
    pub description: Option<String>,
    pub source: Option<Error>,
}

impl OAuthError {
    pub fn new(code: OAuthErrorCode) -> Self {
        Self {
            code,
            description: None,
            source: None,
        }
    }

    pub fn with(code: OAuthErrorCode, description: impl Into<String>) -> Self {
        Self {
            code,
            description: Some(description.into()),
            source: None,
        }
    }

    pub fn invalid_request(description: impl Into<String>) -> Self {
        Self::with(OAuthErrorCode::InvalidRequest, description)
    }

    pub fn invalid_grant() -> Self {
        Self::new(OAuthErrorCode::InvalidGrant)
    }

    pub fn invalid_client() -> Self {
        Self::new(OAuthErrorCode::InvalidClient)
    }
}

/// A failure of the server itself (store unavailable, say): `server_error`, the cause
/// kept for the log.
impl From<Error> for OAuthError {
    fn from(e: Error) -> Self {
        Self {
            code: OAuthErrorCode::ServerError,
            description: None,
            source: Some(e),
        }
    }
}

impl From<crate::store::StoreError> for OAuthError {
    fn from(e: crate::store::StoreError) -> Self {
        Error::from(e).into()
    }
}
