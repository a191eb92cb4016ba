//! ConfirmForgotPassword: the password-reset code (from ForgotPassword or
//! AdminResetUserPassword) sets a new password, checked against the pool's policy, and
//! the user becomes CONFIRMED with a clean lockout record. With PreventUserExistenceErrors
//! an unknown or disabled user gets `CodeMismatchException` after the same work a wrong
//! code costs, and `LimitExceededException` after as many wrong codes as a real code
//! accepts — after ForgotPassword, that is: before it (or once the code expired) an unknown
//! name, like a known user without a live code, gets `CodeMismatchException` with nothing
//! counted. Without PreventUserExistenceErrors a known user with no live code gets
//! `ExpiredCodeException`, as from Cognito.
//! Then PostConfirmation_ConfirmForgotPassword runs (with the call's ClientMetadata).
//! Deviation: password history is not enforced.

use monban_wire::idp::{
    ConfirmForgotPasswordRequest, ConfirmForgotPasswordResponse, UserStatusType,
};

use super::common::{authorise, hides_existence};
use crate::codes::{redeem_code, reject_unknown_user, restore_code, NoCode, Purpose};
use crate::error::Error;
use crate::password::check_policy;
use crate::pool_config::password_policy;
use crate::triggers::{post_confirmation, CallContext, ConfirmationSource};
use crate::users::{lookup_user, modify_user, Credentials, KeyWrite, Target};
use crate::{Caller, Cx};

pub async fn confirm_forgot_password(
    cx: &Cx,
    _caller: Caller,
    req: ConfirmForgotPasswordRequest,
) -> Result<ConfirmForgotPasswordResponse, Error> {
    let (pool, client) = authorise(
        cx,
        &req.client_id,
        &req.username,
        req.secret_hash.as_deref(),
    )
    .await?;
    // Checked before anything about the user, so the answer says nothing about them.
    check_policy(Some(&password_policy(&pool)), &req.password)?;
    let hide = hides_existence(&client);
    let user = match lookup_user(cx, &pool, &req.username).await? {
        Some(user) if user.enabled => user,
        _ if hide => {
            let purpose = Purpose::ForgotPassword;
            let code = &req.confirmation_code;
            return Err(reject_unknown_user(cx, &pool, &req.username, purpose, code).await);
        }
        None => return Err(Error::user_not_found()),
        Some(_) => return Err(Error::not_authorized("User is disabled.")),
    };
    let code = redeem_code(
        cx,
        &pool.id,
        &user.sub,
        Purpose::ForgotPassword,
        &req.confirmation_code,
        // Hiding users: no code answers as an unknown name does.
        if hide {
            NoCode::Mismatch
        } else {
            NoCode::Expired
        },
    )
    .await?;
    let credentials = match Credentials::derive(cx, &pool, &user.username, &req.password).await {
        Ok(credentials) => credentials,
        Err(e) => {
            restore_code(cx, &code).await?;
            return Err(e);
        }
    };
    let now = cx.now_ms();
    let user = modify_user(cx, &pool, Target::Sub(&user.sub), KeyWrite::Update, |u| {
        credentials.apply(u, UserStatusType::Confirmed, now)
    })
    .await?;
    let call = CallContext::new(Some(&client.client_id), req.client_metadata.as_ref());
    post_confirmation(
        cx,
        &pool,
        ConfirmationSource::ConfirmForgotPassword,
        &user,
        call,
    )
    .await?;
    Ok(ConfirmForgotPasswordResponse {})
}
