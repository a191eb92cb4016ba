//! Which MFA a sign-in needs, from the pool's `MfaConfiguration` and factors and the user's
//! settings (flows.md §3, §10):
//! - a factor counts for a user when the pool offers it and the user can receive it (a
//!   phone number for SMS, an email address for email, a verified authenticator for TOTP);
//! - the user's enabled factors (SetUserMFAPreference, or a legacy SMS `MFAOptions` entry):
//!   the preferred one is challenged, a single one is challenged, several without a
//!   preference give SELECT_MFA_TYPE;
//! - OPTIONAL with none enabled: no MFA;
//! - ON with none enabled: every factor the user can receive counts (Cognito sends SMS to a
//!   user with a phone number without being asked), and with none at all the user must
//!   set one up (MFA_SETUP).

use monban_wire::idp::{ChallengeNameType, DeliveryMediumType, UserPoolMfaType};

use crate::entities::{User, UserPool};
use crate::pool_config::{mfa_configuration, mfa_factors, MfaFactors};

/// An MFA factor, named as UserMFASettingList, PreferredMfaSetting and the challenge
/// parameters name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MfaFactor {
    Sms,
    SoftwareToken,
    Email,
}

impl MfaFactor {
    /// In the order Cognito lists them (`["SMS_MFA","SOFTWARE_TOKEN_MFA"]`).
    pub const ALL: [Self; 3] = [Self::Sms, Self::SoftwareToken, Self::Email];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sms => "SMS_MFA",
            Self::SoftwareToken => "SOFTWARE_TOKEN_MFA",
            Self::Email => "EMAIL_OTP",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == name)
    }

    /// The sign-in challenge that asks for this factor's code.
    pub fn challenge(self) -> ChallengeNameType {
        match self {
            Self::Sms => ChallengeNameType::SmsMfa,
            Self::SoftwareToken => ChallengeNameType::SoftwareTokenMfa,
            Self::Email => ChallengeNameType::EmailOtp,
        }
    }

    /// The attribute a code of this factor is sent to (none for TOTP).
    pub fn attribute(self) -> Option<&'static str> {
        match self {
            Self::Sms => Some("phone_number"),
            Self::Email => Some("email"),
            Self::SoftwareToken => None,
        }
    }

    fn offered(self, factors: &MfaFactors) -> bool {
        match self {
            Self::Sms => factors.sms,
            Self::SoftwareToken => factors.software_token,
            Self::Email => factors.email,
        }
    }
}

/// What a sign-in must do for MFA once the first factor is proven.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MfaStep {
    None,
    /// Ask for this factor's code.
    Challenge(MfaFactor),
    /// SELECT_MFA_TYPE among these.
    Select(Vec<MfaFactor>),
    /// MFA_SETUP: MFA is required and the user has nothing to use; these can be set up.
    Setup(Vec<MfaFactor>),
}

/// The value of a user attribute, if not empty.
fn attribute<'a>(user: &'a User, name: &str) -> Option<&'a str> {
    user.attributes
        .get(name)
        .map(String::as_str)
        .filter(|v| !v.is_empty())
}

/// Whether `user` can receive a code of `factor`.
pub fn can_receive(user: &User, factor: MfaFactor) -> bool {
    match factor.attribute() {
        Some(name) => attribute(user, name).is_some(),
        None => user.data.software_token.is_some(),
    }
}

/// Whether a legacy `MFAOptions` entry asks for SMS.
fn legacy_sms(user: &User) -> bool {
    let sms = DeliveryMediumType::Sms.as_str();
    user.data
        .mfa_options
        .iter()
        .any(|(a, b)| a == sms || b == sms)
}

/// The factors the user turned on, whether or not the pool offers them now.
pub fn enabled_factors(user: &User) -> Vec<MfaFactor> {
    MfaFactor::ALL
        .into_iter()
        .filter(|f| {
            user.data.enabled_mfas.iter().any(|e| e == f.as_str())
                || (*f == MfaFactor::Sms && legacy_sms(user))
        })
        .collect()
}

pub fn preferred_factor(user: &User) -> Option<MfaFactor> {
    user.data
        .preferred_mfa
        .as_deref()
        .and_then(MfaFactor::parse)
}

/// The MFA a sign-in of `user` needs in `pool`.
pub fn mfa_step(pool: &UserPool, user: &User) -> MfaStep {
    let mode = mfa_configuration(pool);
    if mode == UserPoolMfaType::Off {
        return MfaStep::None;
    }
    let offered = mfa_factors(pool);
    let usable = |f: &MfaFactor| f.offered(&offered) && can_receive(user, *f);
    let mut candidates: Vec<MfaFactor> = enabled_factors(user).into_iter().filter(usable).collect();
    if candidates.is_empty() {
        if mode != UserPoolMfaType::On {
            return MfaStep::None;
        }
        candidates = MfaFactor::ALL.into_iter().filter(usable).collect();
    }
    if let Some(preferred) = preferred_factor(user).filter(|p| candidates.contains(p)) {
        return MfaStep::Challenge(preferred);
    }
    match candidates.as_slice() {
        [] => MfaStep::Setup(
            MfaFactor::ALL
                .into_iter()
                .filter(|f| f.offered(&offered))
                .collect(),
        ),
        [one] => MfaStep::Challenge(*one),
        _ => MfaStep::Select(candidates),
    }
}

#[cfg(test)]
mod tests {
    use monban_wire::idp::{EmailMfaConfigType, UserPoolType};

    use super::*;
    use crate::entities::UserPoolData;

    use MfaFactor::{Email, Sms, SoftwareToken as Totp};

    fn pool(mode: UserPoolMfaType, sms: bool, totp: bool, email: bool) -> UserPool {
        UserPool {
            id: "us-east-1_AbCdEf123".to_owned(),
            name: "p".to_owned(),
            created_ms: 0,
            modified_ms: 0,
            version: 1,
            config: UserPoolType {
                mfa_configuration: Some(mode),
                ..UserPoolType::default()
            },
            data: UserPoolData {
                sms_mfa_enabled: sms,
                software_token_mfa_enabled: totp,
                email_mfa: email.then(EmailMfaConfigType::default),
                web_authn: None,
            },
        }
    }

    use super::super::test_user as user;

    fn enable(mut u: User, factors: &[MfaFactor], preferred: Option<MfaFactor>) -> User {
        u.data.enabled_mfas = factors.iter().map(|f| f.as_str().to_owned()).collect();
        u.data.preferred_mfa = preferred.map(|f| f.as_str().to_owned());
        u
    }

    const PHONE: (&str, &str) = ("phone_number", "+15555550100");
    const EMAIL: (&str, &str) = ("email", "a@example.com");

    #[test]
    fn off_never_asks() {
        let p = pool(UserPoolMfaType::Off, true, true, true);
        let u = enable(user(&[PHONE, EMAIL], true), &[Sms, Totp], Some(Totp));
        assert_eq!(mfa_step(&p, &u), MfaStep::None);
    }

    #[test]
    fn optional_asks_only_users_who_enabled_a_factor() {
        let p = pool(UserPoolMfaType::Optional, true, true, true);
        assert_eq!(mfa_step(&p, &user(&[PHONE, EMAIL], true)), MfaStep::None);
        let u = enable(user(&[PHONE], false), &[Sms], None);
        assert_eq!(mfa_step(&p, &u), MfaStep::Challenge(Sms));
        // Enabled but unreachable (no email): nothing to ask.
        let u = enable(user(&[PHONE], false), &[Email], None);
        assert_eq!(mfa_step(&p, &u), MfaStep::None);
        // The legacy MFAOptions SMS entry counts as SMS enabled.
        let mut u = user(&[PHONE], false);
        u.data.mfa_options = vec![("SMS".to_owned(), "phone_number".to_owned())];
        assert_eq!(mfa_step(&p, &u), MfaStep::Challenge(Sms));
    }

    #[test]
    fn several_without_preference_select_and_a_preference_decides() {
        let p = pool(UserPoolMfaType::Optional, true, true, true);
        let u = enable(user(&[PHONE, EMAIL], true), &[Sms, Totp, Email], None);
        assert_eq!(mfa_step(&p, &u), MfaStep::Select(vec![Sms, Totp, Email]));
        let u = enable(u, &[Sms, Totp, Email], Some(Email));
        assert_eq!(mfa_step(&p, &u), MfaStep::Challenge(Email));
        // A preference the pool no longer offers falls back to the others.
        let p = pool(UserPoolMfaType::Optional, true, true, false);
        assert_eq!(mfa_step(&p, &u), MfaStep::Select(vec![Sms, Totp]));
    }

    #[test]
    fn on_uses_what_the_user_can_receive_else_setup() {
        let p = pool(UserPoolMfaType::On, true, true, false);
        assert_eq!(
            mfa_step(&p, &user(&[PHONE], false)),
            MfaStep::Challenge(Sms)
        );
        assert_eq!(
            mfa_step(&p, &user(&[EMAIL], true)),
            MfaStep::Challenge(Totp)
        );
        assert_eq!(
            mfa_step(&p, &user(&[PHONE], true)),
            MfaStep::Select(vec![Sms, Totp])
        );
        assert_eq!(
            mfa_step(&p, &user(&[EMAIL], false)),
            MfaStep::Setup(vec![Sms, Totp])
        );
        let p = pool(UserPoolMfaType::On, false, true, true);
        assert_eq!(
            mfa_step(&p, &user(&[], false)),
            MfaStep::Setup(vec![Totp, Email])
        );
    }
}
