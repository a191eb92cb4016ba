//! Errors of core operations: a Cognito error type, a message safe for the client, and a
//! source that is only logged.

use std::fmt;

pub use monban_wire::ErrorKind;

use crate::store::StoreError;

pub type Result<T, E = Error> = std::result::Result<T, E>;

pub struct Error {
    pub kind: ErrorKind,
    /// Returned to the client as `message`: never a secret, never an internal detail.
    pub message: String,
    /// For the log only.
    pub source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            source: None,
        }
    }

    pub fn invalid_parameter(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidParameterException, message)
    }

    pub fn not_authorized(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::NotAuthorizedException, message)
    }

    pub fn resource_not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::ResourceNotFoundException, message)
    }

    pub fn user_not_found() -> Self {
        Self::new(ErrorKind::UserNotFoundException, "User does not exist.")
    }

    pub fn pool_not_found(pool_id: &str) -> Self {
        Self::resource_not_found(format!("User pool {pool_id} does not exist."))
    }

    pub fn client_not_found(client_id: &str) -> Self {
        Self::resource_not_found(format!("User pool client {client_id} does not exist."))
    }

    /// The server's own fault: the client sees a generic message, the log sees the cause.
    pub fn internal(source: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Self {
            kind: ErrorKind::InternalErrorException,
            message: "Internal error".to_owned(),
            source: Some(source.into()),
        }
    }

    pub fn with_source(
        mut self,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        self.source = Some(source.into());
        self
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.name(), self.message)?;
        if let Some(source) = &self.source {
            write!(f, " ({source})")?;
        }
        Ok(())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.name(), self.message)
    }
}

impl std::error::Error for Error {}

/// The fallback mapping; call sites that know better (a username conflict is
/// `UsernameExistsException`) map `StoreError` themselves.
impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Error::resource_not_found("Resource not found."),
            StoreError::Conflict { .. } | StoreError::VersionMismatch => Error::new(
                ErrorKind::ConcurrentModificationException,
                "The resource was changed concurrently; retry the request.",
            ),
            StoreError::Unavailable(cause) => Error::internal(cause),
        }
    }
}
