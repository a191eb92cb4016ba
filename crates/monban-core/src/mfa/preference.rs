//! SetUserMFAPreference / AdminSetUserMFAPreference: turning factors on and off and
//! choosing the preferred one. A factor turns on only if the user can receive it (a phone
//! number, an email address, a verified authenticator); turning SMS off also drops the
//! legacy `MFAOptions`. At most one factor is preferred, and only an enabled one.

use monban_wire::idp::{EmailMfaSettingsType, SMSMfaSettingsType, SoftwareTokenMfaSettingsType};

use super::factors::{can_receive, enabled_factors, preferred_factor, MfaFactor};
use crate::entities::User;
use crate::error::Error;

/// One factor's requested settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FactorSetting {
    pub factor: MfaFactor,
    pub enabled: Option<bool>,
    pub preferred: Option<bool>,
}

/// The settings a request carries, in factor order.
pub fn requested_settings(
    sms: Option<&SMSMfaSettingsType>,
    software_token: Option<&SoftwareTokenMfaSettingsType>,
    email: Option<&EmailMfaSettingsType>,
) -> Vec<FactorSetting> {
    let mut out = Vec::new();
    if let Some(s) = sms {
        out.push(FactorSetting {
            factor: MfaFactor::Sms,
            enabled: s.enabled,
            preferred: s.preferred_mfa,
        });
    }
    if let Some(s) = software_token {
        out.push(FactorSetting {
            factor: MfaFactor::SoftwareToken,
            enabled: s.enabled,
            preferred: s.preferred_mfa,
        });
    }
    if let Some(s) = email {
        out.push(FactorSetting {
            factor: MfaFactor::Email,
            enabled: s.enabled,
            preferred: s.preferred_mfa,
        });
    }
    out
}

/// Applies `settings` to `user`.
pub fn apply_preference(user: &mut User, settings: &[FactorSetting]) -> Result<(), Error> {
    if settings
        .iter()
        .filter(|s| s.preferred == Some(true))
        .count()
        > 1
    {
        return Err(Error::invalid_parameter(
            "Only one MFA method can be set as preferred.",
        ));
    }
    // Only factors turned on through these operations are listed in UserMFASettingList;
    // a legacy SMS `MFAOptions` entry stays apart but counts as SMS being on.
    let mut listed: Vec<MfaFactor> = user
        .data
        .enabled_mfas
        .iter()
        .filter_map(|f| MfaFactor::parse(f))
        .collect();
    let mut preferred = preferred_factor(user);
    for s in settings {
        match s.enabled {
            Some(true) => {
                if !can_receive(user, s.factor) {
                    return Err(Error::invalid_parameter(format!(
                        "User does not have delivery config set to turn on {}",
                        s.factor.as_str()
                    )));
                }
                if !listed.contains(&s.factor) {
                    listed.push(s.factor);
                }
            }
            Some(false) => {
                listed.retain(|f| *f != s.factor);
                if s.factor == MfaFactor::Sms {
                    user.data.mfa_options.clear();
                }
            }
            None => {}
        }
    }
    user.data.enabled_mfas = {
        listed.sort();
        listed.iter().map(|f| f.as_str().to_owned()).collect()
    };
    let enabled = enabled_factors(user);
    for s in settings {
        match s.preferred {
            Some(true) if !enabled.contains(&s.factor) => {
                return Err(Error::invalid_parameter(format!(
                    "{} must be enabled to be the preferred MFA method.",
                    s.factor.as_str()
                )));
            }
            Some(true) => preferred = Some(s.factor),
            Some(false) if preferred == Some(s.factor) => preferred = None,
            _ => {}
        }
    }
    // A factor turned off is no longer preferred.
    user.data.preferred_mfa = preferred
        .filter(|p| enabled.contains(p))
        .map(|f| f.as_str().to_owned());
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    use super::super::test_user as user;

    fn set(factor: MfaFactor, enabled: Option<bool>, preferred: Option<bool>) -> FactorSetting {
        FactorSetting {
            factor,
            enabled,
            preferred,
        }
    }

    #[test]
    fn enabling_needs_a_way_to_receive_the_code() {
        let mut u = user(&[("email", "a@example.com")], false);
        for factor in [MfaFactor::Sms, MfaFactor::SoftwareToken] {
            let e = apply_preference(&mut u, &[set(factor, Some(true), None)]).unwrap_err();
            assert_eq!(
                e.message,
                format!(
                    "User does not have delivery config set to turn on {}",
                    factor.as_str()
                )
            );
        }
        apply_preference(&mut u, &[set(MfaFactor::Email, Some(true), Some(true))]).unwrap();
        assert_eq!(u.data.enabled_mfas, vec!["EMAIL_OTP"]);
        assert_eq!(u.data.preferred_mfa.as_deref(), Some("EMAIL_OTP"));
    }

    #[test]
    fn one_preferred_and_disabling_drops_the_preference() {
        let mut u = user(&[("phone_number", "+15555550100")], true);
        apply_preference(
            &mut u,
            &[
                set(MfaFactor::Sms, Some(true), Some(false)),
                set(MfaFactor::SoftwareToken, Some(true), Some(true)),
            ],
        )
        .unwrap();
        assert_eq!(u.data.enabled_mfas, vec!["SMS_MFA", "SOFTWARE_TOKEN_MFA"]);
        assert_eq!(u.data.preferred_mfa.as_deref(), Some("SOFTWARE_TOKEN_MFA"));
        let both = [
            set(MfaFactor::Sms, Some(true), Some(true)),
            set(MfaFactor::SoftwareToken, Some(true), Some(true)),
        ];
        assert!(apply_preference(&mut u, &both).is_err());
        apply_preference(
            &mut u,
            &[set(MfaFactor::SoftwareToken, Some(false), Some(false))],
        )
        .unwrap();
        assert_eq!(u.data.enabled_mfas, vec!["SMS_MFA"]);
        assert_eq!(u.data.preferred_mfa, None);
        let e = apply_preference(&mut u, &[set(MfaFactor::SoftwareToken, None, Some(true))]);
        assert!(e.is_err());
    }

    #[test]
    fn legacy_sms_counts_but_is_not_listed_until_set() {
        let mut u = user(&[("phone_number", "+15555550100")], false);
        u.data.mfa_options = vec![("SMS".to_owned(), "phone_number".to_owned())];
        apply_preference(&mut u, &[set(MfaFactor::Sms, None, Some(true))]).unwrap();
        assert!(u.data.enabled_mfas.is_empty());
        assert_eq!(u.data.preferred_mfa.as_deref(), Some("SMS_MFA"));
        apply_preference(&mut u, &[set(MfaFactor::Sms, Some(false), None)]).unwrap();
        assert!(u.data.mfa_options.is_empty());
        assert_eq!(u.data.preferred_mfa, None);
    }
}
