//! AdminResetUserPassword: status RESET_REQUIRED, for a user with a verified email or
//! phone number that the pool's account recovery may use, and a password-reset code sent
//! to it; the user completes the reset with ConfirmForgotPassword (or asks ForgotPassword
//! for a new code). Deviation: monban sends SMS only through the pool's CustomSMSSender,
//! so without one a user reachable only by phone gets no code (logged).

use monban_wire::idp::{
    AdminResetUserPasswordRequest, AdminResetUserPasswordResponse, UserStatusType,
};

use crate::codes::{recovery_destination, send_code, Purpose};
use crate::error::{Error, ErrorKind};
use crate::pool_config::load_pool;
use crate::triggers::{MessageSource, MessageTrigger};
use crate::users::{modify_user, recovery_channel, KeyWrite, Target};
use crate::{Cx, Iam};

pub async fn admin_reset_user_password(
    cx: &Cx,
    _iam: &Iam,
    req: AdminResetUserPasswordRequest,
) -> Result<AdminResetUserPasswordResponse, Error> {
    let pool = load_pool(cx, &req.user_pool_id).await?;
    let user = modify_user(
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
    match recovery_destination(&pool, &user) {
        Ok(to) => {
            let trigger = MessageTrigger::new(
                MessageSource::ForgotPassword,
                None,
                req.client_metadata.as_ref(),
            );
            send_code(cx, &pool, &user, Purpose::ForgotPassword, to, None, trigger).await?;
        }
        Err(e) if e.kind == ErrorKind::CodeDeliveryFailureException => tracing::warn!(
            pool_id = %pool.id,
            sub = %user.sub,
            "password-reset code not delivered: monban does not send SMS"
        ),
        Err(e) => return Err(e),
    }
    Ok(AdminResetUserPasswordResponse {})
}
