//! AdminResetUserPassword: status RESET_REQUIRED, for a user with a verified email or
//! phone number that the pool's account recovery may use. Deviation: the reset code is
//! not sent yet (it comes with ForgotPassword); the user completes the reset with
//! ForgotPassword / ConfirmForgotPassword.

use monban_wire::idp::{
    AdminResetUserPasswordRequest, AdminResetUserPasswordResponse, UserStatusType,
};

use crate::error::Error;
use crate::pool_config::load_pool;
use crate::users::{modify_user, recovery_channel, KeyWrite, Target};
use crate::{Cx, Iam};

pub async fn admin_reset_user_password(
    cx: &Cx,
    _iam: &Iam,
    req: AdminResetUserPasswordRequest,
) -> Result<AdminResetUserPasswordResponse, Error> {
    let pool = load_pool(cx, &req.user_pool_id).await?;
    modify_user(
        cx,
        &pool,
        Target::Name(&req.username),
        KeyWrite::Update,
        |user| {
            if !user.enabled {
                return Err(Error::not_authorized("User is disabled."));
            }
            recovery_channel(&pool, user)?;
            user.status = UserStatusType::ResetRequired;
            Ok(())
        },
    )
    .await?;
    Ok(AdminResetUserPasswordResponse {})
}
