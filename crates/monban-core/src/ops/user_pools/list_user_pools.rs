//! ListUserPools: pools ordered by id, `MaxResults` 1-60 a page.

use monban_wire::idp::{ListUserPoolsRequest, ListUserPoolsResponse};

use crate::error::Error;
use crate::paging::{decode_token, encode_token};
use crate::pool_config::pool_description;
use crate::{Cx, Iam};

const MAX_RESULTS: i32 = 60;

pub async fn list_user_pools(
    cx: &Cx,
    _iam: &Iam,
    req: ListUserPoolsRequest,
) -> Result<ListUserPoolsResponse, Error> {
    if !(1..=MAX_RESULTS).contains(&req.max_results) {
        return Err(Error::invalid_parameter(format!(
            "1 validation error detected: Value '{}' at 'maxResults' failed to satisfy \
             constraint: Member must have value between 1 and {MAX_RESULTS}",
            req.max_results
        )));
    }
    let limit = usize::try_from(req.max_results).unwrap_or(1);
    let after = decode_token(req.next_token.as_deref())?;
    // One row more than the page says whether another page follows.
    let mut pools = cx
        .store
        .list_user_pools(after.as_deref(), limit + 1)
        .await?;
    let next_token = if pools.len() > limit {
        pools.truncate(limit);
        pools.last().map(|p| encode_token(&p.id))
    } else {
        None
    };
    Ok(ListUserPoolsResponse {
        next_token,
        user_pools: Some(pools.iter().map(pool_description).collect()),
    })
}
