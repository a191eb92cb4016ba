//! TOTP authenticators: AssociateSoftwareToken makes a secret and keeps it pending;
//! VerifySoftwareToken checks a code from the app and makes the pending secret the user's
//! authenticator (a verified one stays in force until then, so an abandoned association
//! locks no one out). Sign-in codes are checked by [`check_sign_in_code`], which records the
//! step so that each code works once.

use super::seal::{open, seal};
use super::totp::{accepted_step, new_secret, secret_code};
use crate::entities::{SoftwareToken, User, UserPool};
use crate::error::{Error, ErrorKind};
use crate::users::{modify_user, KeyWrite, Target};
use crate::Cx;

fn code_mismatch_on_verify() -> Error {
    Error::new(ErrorKind::EnableSoftwareTokenMFAException, "Code mismatch")
}

pub fn software_token_not_found() -> Error {
    Error::new(
        ErrorKind::SoftwareTokenMFANotFoundException,
        "Software Token MFA does not exist for the user.",
    )
}

/// A new pending secret for `user`; returns the `SecretCode` to show the user.
pub async fn associate(cx: &Cx, pool: &UserPool, user: &User) -> Result<String, Error> {
    let secret = new_secret(cx.rng.as_ref());
    let sealed = seal(cx, &pool.id, &user.sub, &secret).await?;
    modify_user(cx, pool, Target::Sub(&user.sub), KeyWrite::Update, |u| {
        u.data.software_token_pending = Some(sealed.clone());
        Ok(())
    })
    .await?;
    Ok(secret_code(&secret))
}

/// Checks `code` against the pending secret (or, with none pending, the verified one) and
/// makes it the user's authenticator. `EnableSoftwareTokenMFAException: Code mismatch`
/// for a wrong code.
pub async fn verify(
    cx: &Cx,
    pool: &UserPool,
    user: &User,
    code: &str,
    friendly_device_name: Option<&str>,
) -> Result<User, Error> {
    let sealed = match (&user.data.software_token_pending, &user.data.software_token) {
        (Some(pending), _) => pending.clone(),
        (None, Some(token)) => token.secret.clone(),
        (None, None) => return Err(software_token_not_found()),
    };
    let secret = open(cx, &pool.id, &user.sub, &sealed).await?;
    let last = user
        .data
        .software_token
        .as_ref()
        .filter(|t| t.secret == sealed)
        .and_then(|t| t.last_step);
    let now = cx.now_ms();
    let step = accepted_step(&secret, code, now, last).ok_or_else(code_mismatch_on_verify)?;
    let name = friendly_device_name.map(str::to_owned);
    modify_user(cx, pool, Target::Sub(&user.sub), KeyWrite::Update, |u| {
        let current = u.data.software_token_pending.as_ref().or(u
            .data
            .software_token
            .as_ref()
            .map(|t| &t.secret));
        // Another association replaced the secret meanwhile: this code was for the old one.
        if current != Some(&sealed) {
            return Err(code_mismatch_on_verify());
        }
        let previous_name = u
            .data
            .software_token
            .as_ref()
            .filter(|t| t.secret == sealed)
            .and_then(|t| t.friendly_device_name.clone());
        u.data.software_token = Some(SoftwareToken {
            secret: sealed.clone(),
            friendly_device_name: name.clone().or(previous_name),
            verified_ms: now,
            last_step: Some(step),
        });
        u.data.software_token_pending = None;
        Ok(())
    })
    .await
}

/// A sign-in code from the user's authenticator: accepted once per time step. `Ok(false)`
/// for a wrong or reused code.
pub async fn check_sign_in_code(
    cx: &Cx,
    pool: &UserPool,
    user: &User,
    code: &str,
) -> Result<bool, Error> {
    let token = user
        .data
        .software_token
        .as_ref()
        .ok_or_else(software_token_not_found)?;
    let secret = open(cx, &pool.id, &user.sub, &token.secret).await?;
    let Some(step) = accepted_step(&secret, code, cx.now_ms(), token.last_step) else {
        return Ok(false);
    };
    let sealed = token.secret.clone();
    let reused = || Error::new(ErrorKind::CodeMismatchException, "reused");
    // The step is recorded under the user's version: of two sign-ins racing with the same
    // code, the second re-reads and finds it used.
    let recorded = modify_user(
        cx,
        pool,
        Target::Sub(&user.sub),
        KeyWrite::Update,
        |u| match u.data.software_token.as_mut() {
            Some(t) if t.secret == sealed && t.last_step.is_none_or(|last| step > last) => {
                t.last_step = Some(step);
                Ok(())
            }
            _ => Err(reused()),
        },
    )
    .await;
    match recorded {
        Ok(_) => Ok(true),
        Err(e) if e.kind == ErrorKind::CodeMismatchException => Ok(false),
        Err(e) => Err(e),
    }
}

/// AdminDeleteSoftwareToken: forgets the authenticator (verified and pending) and turns TOTP
/// MFA off for the user.
pub async fn delete(cx: &Cx, pool: &UserPool, name: &str) -> Result<User, Error> {
    let totp = super::MfaFactor::SoftwareToken.as_str();
    modify_user(cx, pool, Target::Name(name), KeyWrite::Update, |u| {
        u.data.software_token = None;
        u.data.software_token_pending = None;
        u.data.enabled_mfas.retain(|f| f != totp);
        if u.data.preferred_mfa.as_deref() == Some(totp) {
            u.data.preferred_mfa = None;
        }
        Ok(())
    })
    .await
}
