//! AdminConfirmSignUp: UNCONFIRMED -> CONFIRMED; any other status is
//! `NotAuthorizedException: User cannot be confirmed. Current status is <STATUS>`.
//! Then PostConfirmation_ConfirmSignUp runs (no app client: `CLIENT_ID_NOT_APPLICABLE`).

use monban_wire::idp::{AdminConfirmSignUpRequest, AdminConfirmSignUpResponse, UserStatusType};

use crate::error::Error;
use crate::pool_config::load_pool;
use crate::triggers::{post_confirmation, CallContext, ConfirmationSource};
use crate::users::{modify_user, KeyWrite, Target};
use crate::{Cx, Iam};

pub async fn admin_confirm_sign_up(
    cx: &Cx,
    _iam: &Iam,
    req: AdminConfirmSignUpRequest,
) -> Result<AdminConfirmSignUpResponse, Error> {
    let pool = load_pool(cx, &req.user_pool_id).await?;
    let user = modify_user(
        cx,
        &pool,
        Target::Name(&req.username),
        KeyWrite::Update,
        |user| {
            if user.status != UserStatusType::Unconfirmed {
                return Err(Error::not_authorized(format!(
                    "User cannot be confirmed. Current status is {}",
                    user.status
                )));
            }
            user.status = UserStatusType::Confirmed;
            Ok(())
        },
    )
    .await?;
    let call = CallContext::new(None, req.client_metadata.as_ref());
    post_confirmation(cx, &pool, ConfirmationSource::ConfirmSignUp, &user, call).await?;
    Ok(AdminConfirmSignUpResponse {})
}
