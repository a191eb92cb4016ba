//! AdminDeleteUser: deletes the user with its login keys and group memberships; its
//! username and aliases are free again, and every token it held is revoked.

use monban_wire::idp::AdminDeleteUserRequest;
use monban_wire::Empty;

use crate::error::Error;
use crate::pool_config::load_pool;
use crate::store::StoreError;
use crate::users::find_user;
use crate::{Cx, Iam};

pub async fn admin_delete_user(
    cx: &Cx,
    _iam: &Iam,
    req: AdminDeleteUserRequest,
) -> Result<Empty, Error> {
    let pool = load_pool(cx, &req.user_pool_id).await?;
    let user = find_user(cx, &pool, &req.username).await?;
    crate::tokens::revoke_user_sessions(cx, &pool.id, &user.sub).await?;
    match cx.store.delete_user(&pool.id, &user.sub).await {
        Ok(()) => Ok(Empty {}),
        Err(StoreError::NotFound) => Err(Error::user_not_found()),
        Err(e) => Err(e.into()),
    }
}
