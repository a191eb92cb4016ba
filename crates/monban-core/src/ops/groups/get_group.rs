//! GetGroup: one group by its exact name.

use monban_wire::idp::{GetGroupRequest, GetGroupResponse};

use super::common::{group_type, load_group};
use crate::error::Error;
use crate::pool_config::load_pool;
use crate::{Cx, Iam};

pub async fn get_group(
    cx: &Cx,
    _iam: &Iam,
    req: GetGroupRequest,
) -> Result<GetGroupResponse, Error> {
    let pool = load_pool(cx, &req.user_pool_id).await?;
    let group = load_group(cx, &pool, &req.group_name).await?;
    Ok(GetGroupResponse {
        group: Some(group_type(&group)),
    })
}
