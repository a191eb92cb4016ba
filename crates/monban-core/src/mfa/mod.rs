//! Multi-factor authentication of users: which factor a sign-in asks for ([`mfa_step`]),
//! the users' MFA settings (SetUserMFAPreference, the legacy MFAOptions), TOTP
//! authenticators (RFC 6238; secrets sealed at rest), and the SMS and email codes of the
//! SMS_MFA and EMAIL_OTP challenges. The challenges themselves are sign-in steps in
//! `auth::flows`; the operations are in `ops::mfa`.

mod delivery;
mod factors;
mod options;
mod preference;
pub(crate) mod seal;
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

/// A user with the given attributes and, if `totp`, a verified authenticator (unit tests).
#[cfg(test)]
pub(crate) fn test_user(attributes: &[(&str, &str)], totp: bool) -> crate::entities::User {
    use crate::entities::{SealedSecret, SoftwareToken, User, UserData};
    User {
        pool_id: "us-east-1_AbCdEf123".to_owned(),
        username: "alice".to_owned(),
        sub: "s".to_owned(),
        status: monban_wire::idp::UserStatusType::Confirmed,
        enabled: true,
        attributes: attributes
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
        password_hash: None,
        created_ms: 0,
        modified_ms: 0,
        version: 1,
        keys: vec![],
        data: UserData {
            software_token: totp.then(|| SoftwareToken {
                secret: SealedSecret("x".to_owned()),
                friendly_device_name: None,
                verified_ms: 0,
                last_step: None,
            }),
            ..UserData::default()
        },
    }
}
