//! ListTagsForResource: an identity pool's tags.

use monban_wire::identity::{ListTagsForResourceInput, ListTagsForResourceResponse};

use crate::error::Error;
use crate::identity_pools::{load_identity_pool, pool_id_of_arn};
use crate::{Cx, Iam};

pub async fn list_tags_for_resource(
    cx: &Cx,
    _iam: &Iam,
    req: ListTagsForResourceInput,
) -> Result<ListTagsForResourceResponse, Error> {
    let pool = load_identity_pool(cx, pool_id_of_arn(&req.resource_arn)?).await?;
    Ok(ListTagsForResourceResponse {
        tags: Some(pool.config.identity_pool_tags.unwrap_or_default()),
    })
}
