//! ListIdentityPools: pools ordered by id, `MaxResults` 1-60 a page.

use monban_wire::identity::{
    IdentityPoolShortDescription, ListIdentityPoolsInput, ListIdentityPoolsResponse,
};

use crate::error::Error;
use crate::paging::{decode_token, split_page};
use crate::{Cx, Iam};

pub async fn list_identity_pools(
    cx: &Cx,
    _iam: &Iam,
    req: ListIdentityPoolsInput,
) -> Result<ListIdentityPoolsResponse, Error> {
    // The model bounds MaxResults to 1-60.
    let limit = usize::try_from(req.max_results).unwrap_or(1).max(1);
    let after = decode_token(req.next_token.as_deref())?;
    // One row more than the page says whether another page follows.
    let pools = cx
        .store
        .list_identity_pools(after.as_deref(), limit + 1)
        .await?;
    let (pools, next_token) = split_page(pools, limit, |p| p.id.as_str());
    Ok(ListIdentityPoolsResponse {
        identity_pools: Some(
            pools
                .into_iter()
                .map(|p| IdentityPoolShortDescription {
                    identity_pool_id: Some(p.id),
                    identity_pool_name: Some(p.name),
                })
                .collect(),
        ),
        next_token,
    })
}
