//! Cognito's sign-in error messages (errors.md §3), in one place.

use crate::error::{Error, ErrorKind};

/// Wrong password, failed SRP proof, and (with PreventUserExistenceErrors) unknown user.
pub fn incorrect_credentials() -> Error {
    Error::not_authorized("Incorrect username or password.")
}

/// A Session (or SRP SECRET_BLOCK) that is unknown, already used, or not this client's.
pub fn invalid_session() -> Error {
    Error::not_authorized("Invalid session for the user.")
}

pub fn session_expired() -> Error {
    Error::not_authorized("Invalid session for the user, session is expired.")
}

pub fn user_disabled() -> Error {
    Error::not_authorized("User is disabled.")
}

pub fn user_not_confirmed() -> Error {
    Error::new(
        ErrorKind::UserNotConfirmedException,
        "User is not confirmed.",
    )
}

pub fn password_reset_required() -> Error {
    Error::new(
        ErrorKind::PasswordResetRequiredException,
        "Password reset required for the user",
    )
}

pub fn temporary_password_expired() -> Error {
    Error::not_authorized("Temporary password has expired and must be reset by an administrator.")
}

pub fn missing_parameter(name: &str) -> Error {
    Error::invalid_parameter(format!("Missing required parameter {name}"))
}

/// A flow or challenge Cognito has but monban does not implement yet: refused, never
/// answered with a fake success.
pub fn not_supported(what: &str) -> Error {
    Error::invalid_parameter(format!("{what} is not supported by this server yet."))
}
