//! AdminGetUser: the user by username or alias, with every attribute (`sub` first), dates,
//! status and MFA settings.

use monban_wire::idp::{AdminGetUserRequest, AdminGetUserResponse};

use crate::error::Error;
use crate::pool_config::load_pool;
use crate::users::{admin_get_user_response, find_user};
use crate::{Cx, Iam};

pub async fn admin_get_user(
    cx: &Cx,
    _iam: &Iam,
    req: AdminGetUserRequest,
) -> Result<AdminGetUserResponse, Error> {
    let pool = load_pool(cx, &req.user_pool_id).await?;
    let user = find_user(cx, &pool, &req.username).await?;
    Ok(admin_get_user_response(&user))
}
