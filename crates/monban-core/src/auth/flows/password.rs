//! USER_PASSWORD_AUTH (InitiateAuth) and ADMIN_USER_PASSWORD_AUTH / ADMIN_NO_SRP_AUTH
//! (AdminInitiateAuth): the password travels to the server and is checked against the
//! Argon2id hash.
//!
//! States: parameters and SECRET_HASH checked → user found (or the unknown-user answer) →
//! not locked out → password verified (failure counted) → [`proceed`](super::signed_in::proceed).

use super::decoy::{prevents_existence_errors, spend_a_password_check, unknown_user};
use super::lockout::{check_not_locked, clear_failures, record_failure};
use super::messages::{incorrect_credentials, password_reset_required};
use super::outcome::Outcome;
use super::params::Params;
use super::{signed_in, SignIn};
use crate::auth::client::check_secret_hash;
use crate::entities::User;
use crate::error::Error;
use crate::password::verify_password;
use crate::users::lookup_user;
use monban_wire::idp::UserStatusType;

pub async fn initiate(s: &SignIn<'_>, params: Params<'_>) -> Result<Outcome, Error> {
    let username = params.required("USERNAME")?;
    let password = params.required("PASSWORD")?;
    check_secret_hash(s.client, username, params.raw("SECRET_HASH"))?;
    let device_key = params.optional("DEVICE_KEY").map(str::to_owned);
    let Some(user) = lookup_user(s.cx, s.pool, username).await? else {
        return Err(unknown_user(s, Some(password)).await);
    };
    let auth_time = s.cx.now_ms();
    let user = verify(s, user, password).await?;
    signed_in::proceed(s, user, auth_time, device_key).await
}

/// Checks `password` for `user` under the lockout rules; returns the user with its failure
/// count cleared.
async fn verify(s: &SignIn<'_>, user: User, password: &str) -> Result<User, Error> {
    check_not_locked(s.cx, &user)?;
    let Some(hash) = user.password_hash.as_deref() else {
        // No password to match (an imported user waiting for a reset).
        if user.status == UserStatusType::ResetRequired && !prevents_existence_errors(s.client) {
            return Err(password_reset_required());
        }
        spend_a_password_check(s, password).await;
        return Err(incorrect_credentials());
    };
    if !verify_password(hash, password).await? {
        record_failure(s.cx, s.pool, &user).await?;
        return Err(incorrect_credentials());
    }
    clear_failures(s.cx, s.pool, user).await
}
