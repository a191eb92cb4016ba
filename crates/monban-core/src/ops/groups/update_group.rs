//! UpdateGroup: changes the description, precedence and role given; what the request
//! omits is kept (believed to match Cognito; not confirmed).

use monban_wire::idp::{UpdateGroupRequest, UpdateGroupResponse};

use super::common::{group_not_found, group_type, load_group};
use crate::error::Error;
use crate::pool_config::load_pool;
use crate::store::StoreError;
use crate::{Cx, Iam};

pub async fn update_group(
    cx: &Cx,
    _iam: &Iam,
    req: UpdateGroupRequest,
) -> Result<UpdateGroupResponse, Error> {
    let pool = load_pool(cx, &req.user_pool_id).await?;
    let mut group = load_group(cx, &pool, &req.group_name).await?;
    if let Some(description) = req.description {
        group.description = Some(description);
    }
    if let Some(precedence) = req.precedence {
        group.precedence = Some(precedence);
    }
    if let Some(role_arn) = req.role_arn {
        group.role_arn = Some(role_arn);
    }
    group.modified_ms = cx.now_ms();
    match cx.store.update_group(&group).await {
        Ok(()) => Ok(UpdateGroupResponse {
            group: Some(group_type(&group)),
        }),
        Err(StoreError::NotFound) => Err(group_not_found()),
        Err(e) => Err(e.into()),
    }
}
