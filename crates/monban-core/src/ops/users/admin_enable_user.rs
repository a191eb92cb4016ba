//! AdminEnableUser: a disabled user may sign in again.

use monban_wire::idp::{AdminEnableUserRequest, AdminEnableUserResponse};

use crate::error::Error;
use crate::pool_config::load_pool;
use crate::users::{modify_user, KeyWrite, Target};
use crate::{Cx, Iam};

pub async fn admin_enable_user(
    cx: &Cx,
    _iam: &Iam,
    req: AdminEnableUserRequest,
) -> Result<AdminEnableUserResponse, Error> {
    let pool = load_pool(cx, &req.user_pool_id).await?;
    modify_user(
        cx,
        &pool,
        Target::Name(&req.username),
        KeyWrite::Update,
        |user| {
            user.enabled = true;
            Ok(())
        },
    )
    .await?;
    Ok(AdminEnableUserResponse {})
}
