//! After the first factor (password or SRP proof): the user's state decides what comes
//! next — an error, the NEW_PASSWORD_REQUIRED challenge, an MFA challenge, or tokens. The
//! decision is the pure [`next_step`]; [`proceed`] carries it out, and [`complete`] ends a
//! sign-in whose challenges are all passed.

use monban_wire::idp::UserStatusType;

use super::lockout::clear_failures;
use super::messages::{
    incorrect_credentials, password_reset_required, temporary_password_expired, user_disabled,
    user_not_confirmed,
};
use super::outcome::Outcome;
use super::sign_in_triggers::post_authentication;
use super::{device, mfa, new_password, SignIn};
use crate::entities::{User, UserPool};
use crate::error::Error;
use crate::mfa::{mfa_step, MfaStep};
use crate::pool_config::password_policy;

const DAY_MS: i64 = 86_400_000;

/// Where a sign-in goes once the user has proven the password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NextStep {
    /// A temporary password: the user must choose a new one (MFA follows, if any).
    NewPasswordRequired,
    /// A second factor (or choosing, or setting one up) before tokens.
    Mfa(MfaStep),
    Tokens,
}

/// Cognito's order (flows.md §3): account state, then the temporary password, then MFA.
pub fn next_step(pool: &UserPool, user: &User, now_ms: i64) -> Result<NextStep, Error> {
    if !user.enabled {
        return Err(user_disabled());
    }
    match user.status {
        UserStatusType::Confirmed => {}
        UserStatusType::ForceChangePassword => {
            if temporary_password_expired_at(pool, user, now_ms) {
                return Err(temporary_password_expired());
            }
            return Ok(NextStep::NewPasswordRequired);
        }
        UserStatusType::Unconfirmed => return Err(user_not_confirmed()),
        UserStatusType::ResetRequired => return Err(password_reset_required()),
        // Federated profiles and the like have no password to sign in with.
        _ => return Err(incorrect_credentials()),
    }
    Ok(match mfa_step(pool, user) {
        MfaStep::None => NextStep::Tokens,
        step => NextStep::Mfa(step),
    })
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

/// Carries out [`next_step`] for `user`, who proved the first factor at `auth_time_ms`.
/// Failed sign-ins are forgotten here, except before an MFA challenge: wrong codes count
/// towards the same lockout, and are forgotten when the code is right.
pub async fn proceed(
    s: &SignIn<'_>,
    user: User,
    auth_time_ms: i64,
    device_key: Option<String>,
) -> Result<Outcome, Error> {
    match next_step(s.pool, &user, s.cx.now_ms())? {
        NextStep::NewPasswordRequired => {
            let user = clear_failures(s.cx, s.pool, user).await?;
            new_password::challenge(s, &user, auth_time_ms, device_key).await
        }
        NextStep::Mfa(step) => {
            // DEVICE_KEY is checked before MFA: an unknown key fails right after the
            // password (where amazon-cognito-identity-js retries without it), and a
            // remembered device stands in for the second factor — not for setting one up.
            let device = device::presented(s, &user, device_key.as_deref()).await?;
            if !matches!(step, MfaStep::Setup(_)) && device::skips_mfa(s, device.as_ref()) {
                let user = clear_failures(s.cx, s.pool, user).await?;
                return complete(s, user, auth_time_ms, device_key).await;
            }
            mfa::challenge(s, &user, step, auth_time_ms, device_key).await
        }
        NextStep::Tokens => {
            let user = clear_failures(s.cx, s.pool, user).await?;
            complete(s, user, auth_time_ms, device_key).await
        }
    }
}

/// The end of a sign-in whose challenges (password, new password, MFA) are all passed:
/// the PostAuthentication trigger (whose error fails the sign-in), then DEVICE_SRP_AUTH for
/// a named device, else tokens ([`device::finish`]).
pub async fn complete(
    s: &SignIn<'_>,
    user: User,
    auth_time_ms: i64,
    device_key: Option<String>,
) -> Result<Outcome, Error> {
    complete_answering(s, user, auth_time_ms, device_key, None).await
}

/// [`complete`] for the answer to a challenge that came with the Session `answered`: a
/// DEVICE_SRP_AUTH that follows continues under that same value, since
/// amazon-cognito-identity-js answers DEVICE_SRP_AUTH after an MFA code with the MFA
/// challenge's Session.
pub async fn complete_answering(
    s: &SignIn<'_>,
    user: User,
    auth_time_ms: i64,
    device_key: Option<String>,
    answered: Option<&str>,
) -> Result<Outcome, Error> {
    post_authentication(s, &user, device_key.as_deref()).await?;
    device::finish(s, &user, auth_time_ms, device_key.as_deref(), answered).await
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::collections::BTreeMap;

    use monban_wire::idp::{PasswordPolicyType, UserPoolMfaType, UserPoolPolicyType, UserPoolType};
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
    fn mfa_comes_after_the_account_checks() {
        let p = pool(None, Some(UserPoolMfaType::On));
        // ON without any factor the user can use: MFA_SETUP (the pool offers none here).
        assert_eq!(
            next_step(&p, &user(UserStatusType::Confirmed, true, 0), 0).unwrap(),
            NextStep::Mfa(MfaStep::Setup(vec![]))
        );
        // The temporary password comes first; MFA follows its answer.
        assert_eq!(
            next_step(&p, &user(UserStatusType::ForceChangePassword, true, 0), 0).unwrap(),
            NextStep::NewPasswordRequired
        );
        assert_eq!(
            err(next_step(&p, &user(UserStatusType::Confirmed, false, 0), 0)).1,
            "User is disabled."
        );
        let p = pool(None, Some(UserPoolMfaType::Optional));
        assert_eq!(
            next_step(&p, &user(UserStatusType::Confirmed, true, 0), 0).unwrap(),
            NextStep::Tokens
        );
    }
}
