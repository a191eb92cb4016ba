//! AdminAddUserToGroup: membership by the user's `sub` (so it survives nothing but the
//! user's deletion). Adding a member twice is not an error.

use monban_wire::idp::AdminAddUserToGroupRequest;
use monban_wire::Empty;

use super::common::{group_not_found, load_group};
use crate::error::Error;
use crate::pool_config::load_pool;
use crate::store::StoreError;
use crate::users::find_user;
use crate::{Cx, Iam};

pub async fn admin_add_user_to_group(
    cx: &Cx,
    _iam: &Iam,
    req: AdminAddUserToGroupRequest,
) -> Result<Empty, Error> {
    let pool = load_pool(cx, &req.user_pool_id).await?;
    let user = find_user(cx, &pool, &req.username).await?;
    let group = load_group(cx, &pool, &req.group_name).await?;
    match cx
        .store
        .add_user_to_group(&pool.id, &group.name, &user.sub)
        .await
    {
        Ok(()) => Ok(Empty {}),
        // The group or the user went away meanwhile.
        Err(StoreError::NotFound) => match cx.store.get_group(&pool.id, &group.name).await? {
            Some(_) => Err(Error::user_not_found()),
            None => Err(group_not_found()),
        },
        Err(e) => Err(e.into()),
    }
}
