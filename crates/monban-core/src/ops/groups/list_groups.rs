//! ListGroups: the pool's groups ordered by name, pages of at most 60; NextToken is the
//! last name of the page.

use monban_wire::idp::{ListGroupsRequest, ListGroupsResponse};

use super::common::{group_type, MAX_PAGE};
use crate::error::Error;
use crate::paging::{decode_token, page_size, split_page};
use crate::pool_config::load_pool;
use crate::{Cx, Iam};

pub async fn list_groups(
    cx: &Cx,
    _iam: &Iam,
    req: ListGroupsRequest,
) -> Result<ListGroupsResponse, Error> {
    let pool = load_pool(cx, &req.user_pool_id).await?;
    let limit = page_size(req.limit, MAX_PAGE).min(MAX_PAGE);
    let after = decode_token(req.next_token.as_deref())?;
    let groups = cx
        .store
        .list_groups(&pool.id, after.as_deref(), limit + 1)
        .await?;
    let (groups, next_token) = split_page(groups, limit, |g| &g.name);
    Ok(ListGroupsResponse {
        groups: Some(groups.iter().map(group_type).collect()),
        next_token,
    })
}
