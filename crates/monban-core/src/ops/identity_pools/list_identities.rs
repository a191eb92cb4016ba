//! ListIdentities: a pool's identities ordered by id, `MaxResults` 1-60 a page, with the
//! provider names of their logins; `HideDisabled` leaves out those whose last login was
//! unlinked.

use monban_wire::identity::{ListIdentitiesInput, ListIdentitiesResponse};

use crate::error::Error;
use crate::identity_pools::{identity_description, load_identity_pool};
use crate::paging::{decode_token, split_page};
use crate::{Cx, Iam};

pub async fn list_identities(
    cx: &Cx,
    _iam: &Iam,
    req: ListIdentitiesInput,
) -> Result<ListIdentitiesResponse, Error> {
    let pool = load_identity_pool(cx, &req.identity_pool_id).await?;
    // The model bounds MaxResults to 1-60.
    let limit = usize::try_from(req.max_results).unwrap_or(1).max(1);
    let after = decode_token(req.next_token.as_deref())?;
    let identities = cx
        .store
        .list_identities(
            &pool.id,
            req.hide_disabled.unwrap_or(false),
            after.as_deref(),
            limit + 1,
        )
        .await?;
    let (identities, next_token) = split_page(identities, limit, |i| i.identity_id.as_str());
    Ok(ListIdentitiesResponse {
        identity_pool_id: Some(pool.id),
        identities: Some(identities.iter().map(identity_description).collect()),
        next_token,
    })
}
