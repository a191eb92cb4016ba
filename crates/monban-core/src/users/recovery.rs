//! Where a password-reset code can go, per the pool's `AccountRecoverySetting`: the
//! verified email or phone number of highest priority. Without a setting, Cognito's legacy
//! order applies (a verified phone number, else a verified email).

use std::collections::BTreeMap;

use monban_wire::idp::RecoveryOptionNameType;

use crate::entities::{User, UserPool};
use crate::error::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecoveryChannel {
    Email,
    PhoneNumber,
}

fn verified(attributes: &BTreeMap<String, String>, value: &str, flag: &str) -> bool {
    attributes.get(value).is_some_and(|v| !v.is_empty())
        && attributes
            .get(flag)
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
}

/// The channel a reset code goes to, or Cognito's error when the user has none.
pub fn recovery_channel(pool: &UserPool, user: &User) -> Result<RecoveryChannel, Error> {
    let email = verified(&user.attributes, "email", "email_verified");
    let phone = verified(&user.attributes, "phone_number", "phone_number_verified");
    let order: Vec<RecoveryOptionNameType> = match pool
        .config
        .account_recovery_setting
        .as_ref()
        .and_then(|s| s.recovery_mechanisms.as_ref())
        .filter(|m| !m.is_empty())
    {
        Some(mechanisms) => {
            let mut mechanisms = mechanisms.clone();
            mechanisms.sort_by_key(|m| m.priority);
            mechanisms.into_iter().map(|m| m.name).collect()
        }
        None => vec![
            RecoveryOptionNameType::VerifiedPhoneNumber,
            RecoveryOptionNameType::VerifiedEmail,
        ],
    };
    if order == [RecoveryOptionNameType::AdminOnly] {
        return Err(Error::not_authorized(
            "Self-service account recovery is not enabled for this user pool (admin_only): \
             set a new password with AdminSetUserPassword.",
        ));
    }
    order
        .into_iter()
        .find_map(|name| match name {
            RecoveryOptionNameType::VerifiedEmail if email => Some(RecoveryChannel::Email),
            RecoveryOptionNameType::VerifiedPhoneNumber if phone => {
                Some(RecoveryChannel::PhoneNumber)
            }
            _ => None,
        })
        .ok_or_else(|| {
            Error::invalid_parameter(
                "Cannot reset password for the user as there is no registered/verified email \
                 or phone_number",
            )
        })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use monban_wire::idp::{AccountRecoverySettingType, RecoveryOptionType, UserStatusType};
    use monban_wire::ErrorKind;

    use super::*;
    use crate::entities::UserData;
    use crate::users::test_support::pool_with_schema;

    fn user(pairs: &[(&str, &str)]) -> User {
        User {
            pool_id: "us-east-1_test".to_owned(),
            username: "bob".to_owned(),
            sub: "s".to_owned(),
            status: UserStatusType::Confirmed,
            enabled: true,
            attributes: pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            password_hash: None,
            created_ms: 0,
            modified_ms: 0,
            version: 1,
            keys: vec![],
            data: UserData::default(),
        }
    }

    fn pool(mechanisms: &[(RecoveryOptionNameType, i32)]) -> UserPool {
        let mut pool = pool_with_schema(vec![]);
        pool.config.account_recovery_setting = Some(AccountRecoverySettingType {
            recovery_mechanisms: Some(
                mechanisms
                    .iter()
                    .map(|(name, priority)| RecoveryOptionType {
                        name: *name,
                        priority: *priority,
                    })
                    .collect(),
            ),
        });
        pool
    }

    const BOTH: &[(&str, &str)] = &[
        ("email", "a@example.com"),
        ("email_verified", "true"),
        ("phone_number", "+15555550100"),
        ("phone_number_verified", "true"),
    ];

    #[test]
    fn legacy_prefers_the_phone() {
        let legacy = pool_with_schema(vec![]);
        assert_eq!(
            recovery_channel(&legacy, &user(BOTH)).unwrap(),
            RecoveryChannel::PhoneNumber
        );
        let email_only = user(&[("email", "a@example.com"), ("email_verified", "true")]);
        assert_eq!(
            recovery_channel(&legacy, &email_only).unwrap(),
            RecoveryChannel::Email
        );
    }

    #[test]
    fn priorities_are_honoured() {
        let p = pool(&[
            (RecoveryOptionNameType::VerifiedPhoneNumber, 2),
            (RecoveryOptionNameType::VerifiedEmail, 1),
        ]);
        assert_eq!(
            recovery_channel(&p, &user(BOTH)).unwrap(),
            RecoveryChannel::Email
        );
    }

    #[test]
    fn unverified_contacts_do_not_count() {
        let p = pool(&[(RecoveryOptionNameType::VerifiedEmail, 1)]);
        let unverified = user(&[("email", "a@example.com"), ("email_verified", "false")]);
        let err = recovery_channel(&p, &unverified).unwrap_err();
        assert_eq!(err.kind, ErrorKind::InvalidParameterException);
        assert!(err
            .message
            .starts_with("Cannot reset password for the user"));
        // A verified phone does not help when only email recovery is configured.
        let phone = user(&[
            ("phone_number", "+15555550100"),
            ("phone_number_verified", "true"),
        ]);
        assert!(recovery_channel(&p, &phone).is_err());
    }

    #[test]
    fn admin_only_pools_refuse() {
        let p = pool(&[(RecoveryOptionNameType::AdminOnly, 1)]);
        assert_eq!(
            recovery_channel(&p, &user(BOTH)).unwrap_err().kind,
            ErrorKind::NotAuthorizedException
        );
    }
}
