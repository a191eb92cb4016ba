//! Confirmation codes: sign-up confirmation, password reset and attribute verification.
//! A code is 6 random digits, stored only as a keyed hash (HMAC-SHA256 under a server-wide
//! secret, bound to the pool, the user and the purpose), valid for a configurable time,
//! refused after too many wrong tries, and good for one use even when two nodes race for
//! it. Codes go out by email through the pool's verification message template; monban
//! sends no SMS.
//!
//! The usual sequence: [`send_code`] (issue + email, returns the `CodeDeliveryDetails`),
//! then [`redeem_code`] when the user presents it; [`restore_code`] puts a redeemed code
//! back when the action it authorised failed for a reason the user can fix.

mod book;
mod delivery;
mod hash;
mod message;
#[cfg(test)]
mod tests;

use std::time::Duration;

pub use book::{
    code_data, issue_code, redeem_code, reject_unknown_user, restore_code, Code, NoCode,
};
pub use delivery::{
    mask_destination, message_texts, recovery_destination, send_code, simulated_delivery,
    sms_not_supported, Destination, MessageTexts,
};
pub use message::{render_code_message, CodeMessage, DEFAULT_CODE_MESSAGE, DEFAULT_CODE_SUBJECT};

/// What a code confirms. Each user has at most one live code per purpose: issuing a new
/// one replaces the old.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    SignUp,
    ForgotPassword,
    VerifyEmail,
    VerifyPhoneNumber,
}

impl Purpose {
    /// The name the store keeps (`sign_up`, `forgot_password`, `verify:email`,
    /// `verify:phone_number`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SignUp => "sign_up",
            Self::ForgotPassword => "forgot_password",
            Self::VerifyEmail => "verify:email",
            Self::VerifyPhoneNumber => "verify:phone_number",
        }
    }

    /// Whether users hold a code of this purpose without having asked for one: a user
    /// pending confirmation holds the code SignUp sent; nobody holds a password-reset or
    /// verification code unasked. It decides how a name the pool does not have answers a
    /// wrong code before any simulated request ([`reject_unknown_user`]).
    pub fn held_unasked(self) -> bool {
        matches!(self, Self::SignUp)
    }

    /// The verification purpose of an attribute; only email and phone_number are verified.
    pub fn verify(attribute: &str) -> Option<Self> {
        match attribute {
            "email" => Some(Self::VerifyEmail),
            "phone_number" => Some(Self::VerifyPhoneNumber),
            _ => None,
        }
    }

    /// How long a code of this purpose stays valid.
    pub fn validity(self, settings: &CodeSettings) -> Duration {
        match self {
            Self::SignUp => settings.sign_up_validity,
            Self::ForgotPassword => settings.forgot_password_validity,
            Self::VerifyEmail | Self::VerifyPhoneNumber => settings.attribute_verification_validity,
        }
    }
}

/// Lifetimes and attempt limits of codes. Defaults are Cognito's: 24 hours for sign-up
/// and attribute verification, 1 hour for a password reset, 5 wrong tries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeSettings {
    pub sign_up_validity: Duration,
    pub attribute_verification_validity: Duration,
    pub forgot_password_validity: Duration,
    /// Wrong codes accepted before the code is dead (`LimitExceededException`).
    pub max_failed_attempts: u32,
}

impl Default for CodeSettings {
    fn default() -> Self {
        Self {
            sign_up_validity: Duration::from_secs(24 * 3600),
            attribute_verification_validity: Duration::from_secs(24 * 3600),
            forgot_password_validity: Duration::from_secs(3600),
            max_failed_attempts: 5,
        }
    }
}
