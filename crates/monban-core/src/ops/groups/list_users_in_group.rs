//! ListUsersInGroup: the group's members ordered by username, pages of at most 60.

use monban_wire::idp::{ListUsersInGroupRequest, ListUsersInGroupResponse};

use super::common::{load_group, MAX_PAGE};
use crate::error::Error;
use crate::paging::{decode_token, page_size, split_page};
use crate::pool_config::load_pool;
use crate::users::user_type;
use crate::{Cx, Iam};

pub async fn list_users_in_group(
    cx: &Cx,
    _iam: &Iam,
    req: ListUsersInGroupRequest,
) -> Result<ListUsersInGroupResponse, Error> {
    let pool = load_pool(cx, &req.user_pool_id).await?;
    let group = load_group(cx, &pool, &req.group_name).await?;
    let limit = page_size(req.limit, MAX_PAGE).min(MAX_PAGE);
    let after = decode_token(req.next_token.as_deref())?;
    let users = cx
        .store
        .list_users_in_group(&pool.id, &group.name, after.as_deref(), limit + 1)
        .await?;
    let (users, next_token) = split_page(users, limit, |u| &u.username);
    Ok(ListUsersInGroupResponse {
        users: Some(users.iter().map(user_type).collect()),
        next_token,
    })
}
