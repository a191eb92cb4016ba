//! The wire contract of monban: Amazon Cognito's AWS JSON 1.1 request and response shapes,
//! generated from the service models in `model/`, the operation tables, and input validation
//! from the models' constraints.
//!
//! Deviation from the design's "serde only": validation needs `regex` for the models'
//! patterns and `serde_json` to check a request before it is decoded into its struct.

pub mod schema;
mod validate;

#[rustfmt::skip]
#[path = "generated/errors.rs"]
mod errors;
/// `cognito-idp` (user pools): `AWSCognitoIdentityProviderService.<Op>`.
#[allow(missing_docs, clippy::large_enum_variant)]
#[rustfmt::skip]
#[path = "generated/idp.rs"]
pub mod idp;
/// `cognito-identity` (identity pools): `AWSCognitoIdentityService.<Op>`.
#[allow(missing_docs)]
#[rustfmt::skip]
#[path = "generated/identity.rs"]
pub mod identity;

pub use errors::ErrorKind;
pub use validate::{decode, DecodeError, Service, IDENTITY, IDP};

/// The body of an operation that has no output shape: `{}`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Empty {}
