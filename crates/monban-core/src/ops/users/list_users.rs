//! ListUsers: users ordered by username, optionally filtered on one attribute (`=` or
//! `^=`), a page of at most 60. The PaginationToken is the last username of the page, so
//! pages stay correct while users are added. Deviation: AttributesToGet only selects
//! attributes; it does not fail when a user lacks one.

use monban_wire::idp::{ListUsersRequest, ListUsersResponse};

use crate::error::Error;
use crate::paging::{decode_token, page_size, split_page};
use crate::pool_config::load_pool;
use crate::users::{parse_filter, user_type, user_type_selected};
use crate::{Cx, Iam};

/// Cognito's default and largest page.
const MAX_PAGE: usize = 60;

pub async fn list_users(
    cx: &Cx,
    _iam: &Iam,
    req: ListUsersRequest,
) -> Result<ListUsersResponse, Error> {
    let pool = load_pool(cx, &req.user_pool_id).await?;
    let filter = parse_filter(req.filter.as_deref())?;
    let limit = page_size(req.limit, MAX_PAGE).min(MAX_PAGE);
    let after = decode_token(req.pagination_token.as_deref())?;
    // One more than the page tells whether another page follows.
    let users = cx
        .store
        .list_users(&pool.id, filter.as_ref(), after.as_deref(), limit + 1)
        .await?;
    let (users, pagination_token) = split_page(users, limit, |u| &u.username);
    let users = users
        .iter()
        .map(|user| match &req.attributes_to_get {
            Some(names) => user_type_selected(user, names),
            None => user_type(user),
        })
        .collect();
    Ok(ListUsersResponse {
        users: Some(users),
        pagination_token,
    })
}
