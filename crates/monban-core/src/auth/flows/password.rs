//! USER_PASSWORD_AUTH (InitiateAuth) and ADMIN_USER_PASSWORD_AUTH / ADMIN_NO_SRP_AUTH
//! (AdminInitiateAuth): the password travels to the server and is checked against the
//! Argon2id hash.
//!
//! States: parameters and SECRET_HASH checked → user found (else migrated by the
//! UserMigration trigger, else the unknown-user answer) → PreAuthentication → not locked
//! out → password verified (failure counted) → [`proceed`](super::signed_in::proceed).

use std::collections::BTreeMap;

use super::decoy::{prevents_existence_errors, spend_a_password_check, unknown_user};
use super::lockout::{check_not_locked, record_failure};
use super::messages::{incorrect_credentials, password_reset_required};
use super::migration::{migrate_user, MigrationSource};
use super::outcome::Outcome;
use super::params::Params;
use super::sign_in_triggers::{pre_authentication, Subject};
use super::{signed_in, SignIn};
use crate::auth::client::check_secret_hash;
use crate::entities::User;
use crate::error::{Error, ErrorKind};
use crate::password::{is_foreign_hash, verify_password};
use crate::users::{lookup_user, upgrade_password};
use monban_wire::idp::UserStatusType;

pub async fn initiate(
    s: &SignIn<'_>,
    params: Params<'_>,
    validation_data: Option<&BTreeMap<String, String>>,
) -> Result<Outcome, Error> {
    let username = params.required("USERNAME")?;
    let password = params.required("PASSWORD")?;
    check_secret_hash(s.client, username, params.raw("SECRET_HASH"))?;
    let device_key = params.optional("DEVICE_KEY").map(str::to_owned);
    let user = match lookup_user(s.cx, s.pool, username).await? {
        Some(user) => user,
        None => match migrate(s, username, password, validation_data).await? {
            Some(user) => user,
            None => {
                if prevents_existence_errors(s.client) {
                    let who = Subject::NotFound(username);
                    pre_authentication(s, who, validation_data).await?;
                }
                return Err(unknown_user(s, username, Some(password)).await);
            }
        },
    };
    pre_authentication(s, Subject::User(&user), validation_data).await?;
    let auth_time = s.cx.now_ms();
    let user = verify(s, user, password).await?;
    signed_in::proceed(s, user, auth_time, device_key).await
}

/// UserMigration_Authentication for a name the pool does not know. A function error is a
/// user-not-found answer, hidden as a wrong password when the client asks for it.
async fn migrate(
    s: &SignIn<'_>,
    username: &str,
    password: &str,
    validation_data: Option<&BTreeMap<String, String>>,
) -> Result<Option<User>, Error> {
    let source = MigrationSource::SignIn {
        password,
        validation_data,
    };
    match migrate_user(s.cx, s.pool, s.client, username, source).await {
        Err(e)
            if e.kind == ErrorKind::UserNotFoundException
                && prevents_existence_errors(s.client) =>
        {
            Err(unknown_user(s, username, Some(password)).await)
        }
        other => other,
    }
}

/// Checks `password` for `user` under the lockout rules. The failure count is cleared when
/// the whole sign-in passes ([`signed_in::proceed`]), not here: wrong MFA codes that follow
/// a right password count too.
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
    // An imported hash (or one kept without an SRP verifier) gives way to the pool's own
    // kind now that the password is known: USER_SRP_AUTH works from here on.
    if is_foreign_hash(hash) || user.data.srp.is_none() {
        return upgrade_password(s.cx, s.pool, &user, password).await;
    }
    Ok(user)
}
