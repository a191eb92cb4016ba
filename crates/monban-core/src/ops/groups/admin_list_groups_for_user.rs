//! AdminListGroupsForUser: the user's groups ordered by name, pages of at most 60.

use monban_wire::idp::{AdminListGroupsForUserRequest, AdminListGroupsForUserResponse};

use super::common::{group_type, MAX_PAGE};
use crate::error::Error;
use crate::paging::{decode_token, page_size, split_page};
use crate::pool_config::load_pool;
use crate::users::find_user;
use crate::{Cx, Iam};

pub async fn admin_list_groups_for_user(
    cx: &Cx,
    _iam: &Iam,
    req: AdminListGroupsForUserRequest,
) -> Result<AdminListGroupsForUserResponse, Error> {
    let pool = load_pool(cx, &req.user_pool_id).await?;
    let user = find_user(cx, &pool, &req.username).await?;
    let limit = page_size(req.limit, MAX_PAGE).min(MAX_PAGE);
    let after = decode_token(req.next_token.as_deref())?;
    let groups = cx
        .store
        .list_groups_for_user(&pool.id, &user.sub, after.as_deref(), limit + 1)
        .await?;
    let (groups, next_token) = split_page(groups, limit, |g| &g.name);
    Ok(AdminListGroupsForUserResponse {
        groups: Some(groups.iter().map(group_type).collect()),
        next_token,
    })
}
