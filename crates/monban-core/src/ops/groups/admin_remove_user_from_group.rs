//! AdminRemoveUserFromGroup: ends the membership; removing a non-member is not an error.

use monban_wire::idp::AdminRemoveUserFromGroupRequest;
use monban_wire::Empty;

use super::common::load_group;
use crate::error::Error;
use crate::pool_config::load_pool;
use crate::users::find_user;
use crate::{Cx, Iam};

pub async fn admin_remove_user_from_group(
    cx: &Cx,
    _iam: &Iam,
    req: AdminRemoveUserFromGroupRequest,
) -> Result<Empty, Error> {
    let pool = load_pool(cx, &req.user_pool_id).await?;
    let user = find_user(cx, &pool, &req.username).await?;
    let group = load_group(cx, &pool, &req.group_name).await?;
    cx.store
        .remove_user_from_group(&pool.id, &group.name, &user.sub)
        .await?;
    Ok(Empty {})
}
