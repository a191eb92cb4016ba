//! UntagResource: removes tags of an identity pool by key (absent keys are ignored).

use monban_wire::identity::{UntagResourceInput, UntagResourceResponse};

use crate::error::Error;
use crate::identity_pools::{modify_identity_pool, pool_id_of_arn};
use crate::{Cx, Iam};

pub async fn untag_resource(
    cx: &Cx,
    _iam: &Iam,
    req: UntagResourceInput,
) -> Result<UntagResourceResponse, Error> {
    let pool_id = pool_id_of_arn(&req.resource_arn)?;
    modify_identity_pool(cx, pool_id, |pool| {
        if let Some(tags) = pool.config.identity_pool_tags.as_mut() {
            tags.retain(|key, _| !req.tag_keys.contains(key));
        }
        Ok(())
    })
    .await?;
    Ok(UntagResourceResponse {})
}
