//! ChangePassword: the signed-in user replaces its password after proving the current one
//! (`NotAuthorizedException: Incorrect username or password.`); the new one must satisfy
//! the pool's policy (`InvalidPasswordException`). Wrong previous passwords count towards
//! the user's sign-in lockout, and while it lasts the operation answers
//! `LimitExceededException` (Cognito limits ChangePassword per user). Other sessions stay
//! signed in, as in Cognito. Deviation: `PasswordHistorySize` is not enforced yet.

use monban_wire::idp::{ChangePasswordRequest, ChangePasswordResponse};

use crate::auth::flows::record_failure;
use crate::error::{Error, ErrorKind};
use crate::password::verify_password;
use crate::tokens::authenticate_access_token;
use crate::users::{modify_user, Credentials, KeyWrite, Target};
use crate::{Caller, Cx};

fn incorrect() -> Error {
    Error::not_authorized("Incorrect username or password.")
}

pub async fn change_password(
    cx: &Cx,
    _caller: Caller,
    req: ChangePasswordRequest,
) -> Result<ChangePasswordResponse, Error> {
    let access = authenticate_access_token(cx, &req.access_token).await?;
    let (pool, user) = (&access.pool, &access.user);
    if cx.settings.lockout.is_locked(&user.data, cx.now_ms()) {
        return Err(Error::new(
            ErrorKind::LimitExceededException,
            "Attempt limit exceeded, please try after some time.",
        ));
    }
    // A user without a password (passwordless sign-in only) sets its first one without.
    if let Some(hash) = &user.password_hash {
        let previous = req.previous_password.as_deref().ok_or_else(|| {
            Error::invalid_parameter("Missing required parameter PreviousPassword")
        })?;
        if !verify_password(hash, previous).await? {
            record_failure(cx, pool, user).await?;
            return Err(incorrect());
        }
    }
    let credentials = Credentials::derive(cx, pool, &user.username, &req.proposed_password).await?;
    let proven = user.password_hash.clone();
    let now = cx.now_ms();
    modify_user(
        cx,
        pool,
        Target::Sub(&user.sub),
        KeyWrite::Update,
        |stored| {
            // Changed meanwhile: the password just proven is no longer the password.
            if stored.password_hash != proven {
                return Err(incorrect());
            }
            credentials.apply(stored, stored.status, now)
        },
    )
    .await?;
    Ok(ChangePasswordResponse {})
}
