//! Multi-factor authentication of users: which factor a sign-in asks for ([`mfa_step`]),
//! the users' MFA settings (SetUserMFAPreference, the legacy MFAOptions), TOTP
//! authenticators (RFC 6238; secrets sealed at rest), and the SMS and email codes of the
//! SMS_MFA and EMAIL_OTP challenges. The challenges themselves are sign-in steps in
//! `auth::flows`; the operations are in `ops::mfa`.

mod delivery;
mod factors;
mod options;
mod preference;
mod seal;
mod software_token;
mod totp;

pub use delivery::{
    code_matches, send_mfa_code, SentCode, DEFAULT_EMAIL_MESSAGE, DEFAULT_EMAIL_SUBJECT,
    DEFAULT_SMS_MESSAGE,
};
pub use factors::{can_receive, enabled_factors, mfa_step, preferred_factor, MfaFactor, MfaStep};
pub use options::{apply_options, legacy_options};
pub use preference::{apply_preference, requested_settings, FactorSetting};
pub use software_token::{
    associate, check_sign_in_code, delete as delete_software_token, software_token_not_found,
    verify,
};
