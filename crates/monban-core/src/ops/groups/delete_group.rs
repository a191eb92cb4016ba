//! DeleteGroup: deletes the group and its memberships (not its members).

use monban_wire::idp::DeleteGroupRequest;
use monban_wire::Empty;

use super::common::group_not_found;
use crate::error::Error;
use crate::pool_config::load_pool;
use crate::store::StoreError;
use crate::{Cx, Iam};

pub async fn delete_group(cx: &Cx, _iam: &Iam, req: DeleteGroupRequest) -> Result<Empty, Error> {
    let pool = load_pool(cx, &req.user_pool_id).await?;
    match cx.store.delete_group(&pool.id, &req.group_name).await {
        Ok(()) => Ok(Empty {}),
        Err(StoreError::NotFound) => Err(group_not_found()),
        Err(e) => Err(e.into()),
    }
}
