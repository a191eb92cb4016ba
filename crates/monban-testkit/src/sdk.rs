//! Reading the AWS SDK's results in tests.

use std::fmt::Debug;

use aws_sdk_cognitoidentityprovider::error::{ProvideErrorMetadata, SdkError};

/// What a Cognito error looks like to a client: its `__type` and `message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceError {
    pub code: String,
    pub message: String,
}

impl ServiceError {
    /// Asserts the error type, returning the error for further checks on the message.
    #[track_caller]
    pub fn assert_code(self, code: &str) -> Self {
        assert_eq!(
            self.code, code,
            "expected {code}, got {}: {}",
            self.code, self.message
        );
        self
    }

    /// Asserts that the message contains `part`.
    #[track_caller]
    pub fn assert_message_contains(self, part: &str) -> Self {
        assert!(
            self.message.contains(part),
            "{} message {:?} does not contain {part:?}",
            self.code,
            self.message
        );
        self
    }
}

/// The service error of a call that must fail; panics (failing the test) if it succeeded
/// or failed without an answer from the server.
#[track_caller]
pub fn service_error<T, E, R>(result: Result<T, SdkError<E, R>>) -> ServiceError
where
    T: Debug,
    E: ProvideErrorMetadata + Debug,
    R: Debug,
{
    match result {
        Ok(output) => panic!("expected an error, the call succeeded: {output:?}"),
        Err(err) => match err.code() {
            Some(code) => ServiceError {
                code: code.to_owned(),
                message: err.message().unwrap_or_default().to_owned(),
            },
            None => panic!("expected a service error, got: {err:?}"),
        },
    }
}

/// Shorthand: the call must fail with error type `code`.
#[track_caller]
pub fn expect_code<T, E, R>(result: Result<T, SdkError<E, R>>, code: &str) -> ServiceError
where
    T: Debug,
    E: ProvideErrorMetadata + Debug,
    R: Debug,
{
    service_error(result).assert_code(code)
}
