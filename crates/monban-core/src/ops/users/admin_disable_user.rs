//! AdminDisableUser: the user can no longer sign in, and every token it holds is revoked;
//! it still appears in ListUsers.

use monban_wire::idp::{AdminDisableUserRequest, AdminDisableUserResponse};

use crate::error::Error;
use crate::pool_config::load_pool;
use crate::users::{modify_user, KeyWrite, Target};
use crate::{Cx, Iam};

pub async fn admin_disable_user(
    cx: &Cx,
    _iam: &Iam,
    req: AdminDisableUserRequest,
) -> Result<AdminDisableUserResponse, Error> {
    let pool = load_pool(cx, &req.user_pool_id).await?;
    let user = modify_user(
        cx,
        &pool,
        Target::Name(&req.username),
        KeyWrite::Update,
        |user| {
            user.enabled = false;
            Ok(())
        },
    )
    .await?;
    crate::tokens::revoke_user_sessions(cx, &pool.id, &user.sub).await?;
    Ok(AdminDisableUserResponse {})
}
