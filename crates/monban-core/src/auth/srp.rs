//! The server side of Cognito's SRP-6a (USER_SRP_AUTH / PASSWORD_VERIFIER, USER_AUTH's
//! PASSWORD_SRP, and remembered-device DEVICE_SRP_AUTH / DEVICE_PASSWORD_VERIFIER), as
//! `shared/reference/srp.md` specifies it. Pure functions: randomness and time come in as
//! arguments.
//!
//! The sign-in flow uses it like this:
//! 1. When a password is set: [`Verifier::generate`] → store `salt_hex()` and `verifier_hex()`.
//!    For ConfirmDevice: [`Verifier::from_device_config`] on the client's
//!    `DeviceSecretVerifierConfig`.
//! 2. InitiateAuth: [`PublicA::parse`] the `SRP_A`, [`ServerEphemeral::generate`], then
//!    [`seal_secret_block`] an [`SrpState`]; answer `SALT` = `verifier.salt_hex()`,
//!    `SRP_B` = `ephemeral.srp_b()`, `SECRET_BLOCK` = the sealed block.
//! 3. RespondToAuthChallenge: [`open_secret_block`] the `PASSWORD_CLAIM_SECRET_BLOCK`,
//!    check its `username`, load the verifier, then [`verify_password_claim`].

mod error;
mod exchange;
mod group;
mod secret_block;
mod timestamp;
mod verifier;

#[cfg(test)]
mod tests;

pub use error::SrpError;
pub use exchange::{verify_password_claim, PasswordClaim, PublicA, ServerEphemeral};
pub use secret_block::{
    open_secret_block, seal_secret_block, OpenedSecretBlock, SrpKind, SrpState,
    SECRET_BLOCK_KEY_LEN,
};
pub use timestamp::{parse_timestamp, render_timestamp, MAX_TIMESTAMP_SKEW_MS};
pub use verifier::{SrpIdentity, Verifier};

/// The part of a user pool id after the first `_` (`us-east-1_AbCdEf123` → `AbCdEf123`),
/// which the clients mix into x and the signature. Taken exactly as the SDKs take it
/// (`split('_')[1]`).
pub fn pool_name(pool_id: &str) -> &str {
    pool_id.split('_').nth(1).unwrap_or("")
}
