//! Test-only harness for monban: [`TestApp`] runs the real server over TCP on a free
//! port, with a [`FakeClock`], a [`RecordingMailer`] and the AWS SDK for Rust pointed at it.
//!
//! A panic here is a failed test, so the harness fails loudly instead of returning errors.
#![allow(clippy::expect_used, clippy::panic)]

mod app;
mod clock;
mod dev;
mod mailer;
pub mod raw;
mod sdk;
pub mod webhook;

pub use app::{each_backend, random_access_key, unique_name, Backend, TestApp, DATABASE_URL_ENV};
pub use clock::{FakeClock, SdkTimeSource};
pub use dev::DevOptions;
pub use mailer::RecordingMailer;
pub use raw::{AccessKey, RawRequest, RawResponse};
pub use sdk::{expect_code, service_error, ServiceError};

/// The AWS SDK for Rust, re-exported so tests use the same version as the harness.
pub use aws_sdk_cognitoidentityprovider as idp;
