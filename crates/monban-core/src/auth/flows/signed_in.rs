//! After the first factor (password or SRP proof): the user's state decides what comes
//! next — an error, the NEW_PASSWORD_REQUIRED challenge, or tokens. The decision is the
//! pure [`next_step`]; [`proceed`] carries it out.

use monban_wire::idp::{UserPoolMfaType, UserStatusType};

use super::messages::{
    incorrect_credentials, not_supported, password_reset_required, temporary_password_expired,
    user_disabled, user_not_confirmed,
};
use super::outcome::Outcome;
use super::{new_password, SignIn};
use crate::entities::{User, UserPool};
use crate::error::Error;
use crate::pool_config::{mfa_configuration, password_policy};
use crate::tokens::{issue, IssueParams};

const DAY_MS: i64 = 86_400_000;

/// Where a sign-in goes once the user has proven the password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextStep {
    /// A temporary password: the user must choose a new one.
    NewPasswordRequired,
    Tokens,
}

/// Cognito's order (flows.md §3): account state, then the temporary password, then MFA.
pub fn next_step(pool: &UserPool, user: &User, now_ms: i64) -> Result<NextStep, Error> {
    if !user.enabled {
        return Err(user_disabled());
    }
    let step = match user.status {
        UserStatusType::Confirmed => NextStep::Tokens,
        UserStatusType::ForceChangePassword => {
            if temporary_password_expired_at(pool, user, now_ms) {
                return Err(temporary_password_expired());
            }
            NextStep::NewPasswordRequired
        }
        UserStatusType::Unconfirmed => return Err(user_not_confirmed()),
        UserStatusType::ResetRequired => return Err(password_reset_required()),
        // Federated profiles and the like have no password to sign in with.
        _ => return Err(incorrect_credentials()),
    };
    check_mfa(pool, user)?;
    Ok(step)
}

/// A temporary password is good for the pool's `TemporaryPasswordValidityDays` from when
/// it was set.
fn temporary_password_expired_at(pool: &UserPool, user: &User, now_ms: i64) -> bool {
    let days = password_policy(pool)
        .temporary_password_validity_days
        .filter(|d| *d > 0)
        .unwrap_or(7);
    let set = user.data.password_set_ms.unwrap_or(user.created_ms);
    now_ms >= set.saturating_add(i64::from(days).saturating_mul(DAY_MS))
}

/// MFA comes with a later issue. A sign-in that needs it is refused rather than let
/// through without the second factor.
fn check_mfa(pool: &UserPool, user: &User) -> Result<(), Error> {
    let user_has_mfa = !user.data.enabled_mfas.is_empty()
        || user.data.preferred_mfa.is_some()
        || !user.data.mfa_options.is_empty();
    match mfa_configuration(pool) {
        UserPoolMfaType::On => Err(not_supported(
            "Sign-in to a user pool with MfaConfiguration ON",
        )),
        UserPoolMfaType::Optional if user_has_mfa => {
            Err(not_supported("Sign-in of a user with MFA enabled"))
        }
        _ => Ok(()),
    }
}

/// Carries out [`next_step`] for `user`, who proved the first factor at `auth_time_ms`.
pub async fn proceed(
    s: &SignIn<'_>,
    user: User,
    auth_time_ms: i64,
    device_key: Option<String>,
) -> Result<Outcome, Error> {
    match next_step(s.pool, &user, s.cx.now_ms())? {
        NextStep::NewPasswordRequired => {
            new_password::challenge(s, &user, auth_time_ms, device_key).await
        }
        NextStep::Tokens => {
            let result = issue(
                s.cx,
                s.pool,
                s.client,
                &user,
                IssueParams {
                    auth_time_ms,
                    family: None,
                    device_key,
                },
            )
            .await?;
            Ok(Outcome::Authenticated(result))
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::collections::BTreeMap;

    use monban_wire::idp::{PasswordPolicyType, UserPoolPolicyType, UserPoolType};
    use monban_wire::ErrorKind;

    use super::*;
    use crate::entities::UserData;

    fn pool(days: Option<i32>, mfa: Option<UserPoolMfaType>) -> UserPool {
        UserPool {
            id: "us-east-1_AbCdEf123".to_owned(),
            name: "p".to_owned(),
            created_ms: 0,
            modified_ms: 0,
            version: 1,
            config: UserPoolType {
                policies: Some(UserPoolPolicyType {
                    password_policy: Some(PasswordPolicyType {
                        temporary_password_validity_days: days,
                        ..PasswordPolicyType::default()
                    }),
                    ..UserPoolPolicyType::default()
                }),
                mfa_configuration: mfa,
                ..UserPoolType::default()
            },
            data: Default::default(),
        }
    }

    fn user(status: UserStatusType, enabled: bool, set_ms: i64) -> User {
        User {
            pool_id: "us-east-1_AbCdEf123".to_owned(),
            username: "alice".to_owned(),
            sub: "s".to_owned(),
            status,
            enabled,
            attributes: BTreeMap::new(),
            password_hash: None,
            created_ms: 0,
            modified_ms: 0,
            version: 1,
            keys: vec![],
            data: UserData {
                password_set_ms: Some(set_ms),
                ..UserData::default()
            },
        }
    }

    fn err(r: Result<NextStep, Error>) -> (ErrorKind, String) {
        let e = r.unwrap_err();
        (e.kind, e.message)
    }

    #[test]
    fn confirmed_users_get_tokens() {
        let p = pool(None, None);
        assert_eq!(
            next_step(&p, &user(UserStatusType::Confirmed, true, 0), 0).unwrap(),
            NextStep::Tokens
        );
    }

    #[test]
    fn account_states_in_cognito_words() {
        let p = pool(None, None);
        assert_eq!(
            err(next_step(&p, &user(UserStatusType::Confirmed, false, 0), 0)),
            (
                ErrorKind::NotAuthorizedException,
                "User is disabled.".to_owned()
            )
        );
        assert_eq!(
            err(next_step(
                &p,
                &user(UserStatusType::Unconfirmed, true, 0),
                0
            )),
            (
                ErrorKind::UserNotConfirmedException,
                "User is not confirmed.".to_owned()
            )
        );
        assert_eq!(
            err(next_step(
                &p,
                &user(UserStatusType::ResetRequired, true, 0),
                0
            )),
            (
                ErrorKind::PasswordResetRequiredException,
                "Password reset required for the user".to_owned()
            )
        );
        // Disabled wins over the status.
        assert_eq!(
            err(next_step(
                &p,
                &user(UserStatusType::Unconfirmed, false, 0),
                0
            ))
            .1,
            "User is disabled."
        );
    }

    #[test]
    fn temporary_passwords_expire_after_the_pool_validity() {
        let p = pool(Some(2), None);
        let u = user(UserStatusType::ForceChangePassword, true, 1_000);
        assert_eq!(
            next_step(&p, &u, 1_000 + 2 * DAY_MS - 1).unwrap(),
            NextStep::NewPasswordRequired
        );
        assert_eq!(
            err(next_step(&p, &u, 1_000 + 2 * DAY_MS)).1,
            "Temporary password has expired and must be reset by an administrator."
        );
        // No policy value: Cognito's 7 days.
        let p = pool(None, None);
        assert!(next_step(&p, &u, 1_000 + 7 * DAY_MS - 1).is_ok());
        assert!(next_step(&p, &u, 1_000 + 7 * DAY_MS).is_err());
    }

    #[test]
    fn sign_ins_that_need_mfa_are_refused_not_let_through() {
        let p = pool(None, Some(UserPoolMfaType::On));
        let (kind, _) = err(next_step(&p, &user(UserStatusType::Confirmed, true, 0), 0));
        assert_eq!(kind, ErrorKind::InvalidParameterException);
        let p = pool(None, Some(UserPoolMfaType::Optional));
        let mut u = user(UserStatusType::Confirmed, true, 0);
        assert!(next_step(&p, &u, 0).is_ok());
        u.data.enabled_mfas = vec!["SOFTWARE_TOKEN_MFA".to_owned()];
        assert!(next_step(&p, &u, 0).is_err());
    }
}
