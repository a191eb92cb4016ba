//! CreateGroup: a group with an optional description, precedence and IAM role. Names are
//! case-sensitive; a taken name is `GroupExistsException`.

use monban_wire::idp::{CreateGroupRequest, CreateGroupResponse};

use super::common::group_type;
use crate::entities::Group;
use crate::error::{Error, ErrorKind};
use crate::pool_config::load_pool;
use crate::store::StoreError;
use crate::{Cx, Iam};

pub async fn create_group(
    cx: &Cx,
    _iam: &Iam,
    req: CreateGroupRequest,
) -> Result<CreateGroupResponse, Error> {
    let pool = load_pool(cx, &req.user_pool_id).await?;
    let now = cx.now_ms();
    let group = Group {
        pool_id: pool.id.clone(),
        name: req.group_name,
        description: req.description,
        precedence: req.precedence,
        role_arn: req.role_arn,
        created_ms: now,
        modified_ms: now,
    };
    match cx.store.insert_group(&group).await {
        Ok(()) => Ok(CreateGroupResponse {
            group: Some(group_type(&group)),
        }),
        Err(StoreError::Conflict { .. }) => Err(Error::new(
            ErrorKind::GroupExistsException,
            format!("A group with the name {} already exists.", group.name),
        )),
        // The pool went away meanwhile.
        Err(StoreError::NotFound) => Err(Error::pool_not_found(&pool.id)),
        Err(e) => Err(e.into()),
    }
}
