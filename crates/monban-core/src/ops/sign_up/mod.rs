//! Self-service sign-up and account recovery, public operations authorised by the app
//! client (and its `SECRET_HASH` when it has a secret): SignUp, ConfirmSignUp,
//! ResendConfirmationCode, ForgotPassword, ConfirmForgotPassword. Codes come from
//! [`crate::codes`]; passwords are set only through [`crate::users::Credentials`].

mod common;
mod confirm_forgot_password;
mod confirm_sign_up;
mod forgot_password;
mod resend_confirmation_code;
// One file per operation, named after it, even when that is the group's name.
#[allow(clippy::module_inception)]
mod sign_up;

pub use confirm_forgot_password::confirm_forgot_password;
pub use confirm_sign_up::confirm_sign_up;
pub use forgot_password::forgot_password;
pub use resend_confirmation_code::resend_confirmation_code;
pub use sign_up::sign_up;
