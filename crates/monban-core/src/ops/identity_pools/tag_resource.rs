//! TagResource: adds or replaces tags of an identity pool (at most 50).

use monban_wire::identity::{TagResourceInput, TagResourceResponse};

use crate::error::Error;
use crate::identity_pools::{check_tag_count, modify_identity_pool, pool_id_of_arn};
use crate::{Cx, Iam};

pub async fn tag_resource(
    cx: &Cx,
    _iam: &Iam,
    req: TagResourceInput,
) -> Result<TagResourceResponse, Error> {
    let pool_id = pool_id_of_arn(&req.resource_arn)?;
    modify_identity_pool(cx, pool_id, |pool| {
        let tags = pool
            .config
            .identity_pool_tags
            .get_or_insert_with(Default::default);
        tags.extend(req.tags.clone());
        check_tag_count(tags.len())
    })
    .await?;
    Ok(TagResourceResponse {})
}
