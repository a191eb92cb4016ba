//! GetPrincipalTagAttributeMap: what SetPrincipalTagAttributeMap stored for the provider
//! (nothing set: `UseDefaults` false and no tags).

use monban_wire::identity::{
    GetPrincipalTagAttributeMapInput, GetPrincipalTagAttributeMapResponse,
};

use crate::error::Error;
use crate::identity_pools::load_identity_pool;
use crate::{Cx, Iam};

pub async fn get_principal_tag_attribute_map(
    cx: &Cx,
    _iam: &Iam,
    req: GetPrincipalTagAttributeMapInput,
) -> Result<GetPrincipalTagAttributeMapResponse, Error> {
    let pool = load_identity_pool(cx, &req.identity_pool_id).await?;
    let map = pool
        .data
        .principal_tags
        .get(&req.identity_provider_name)
        .cloned()
        .unwrap_or_default();
    Ok(GetPrincipalTagAttributeMapResponse {
        identity_pool_id: Some(pool.id),
        identity_provider_name: Some(req.identity_provider_name),
        principal_tags: map.principal_tags,
        use_defaults: Some(map.use_defaults.unwrap_or(false)),
    })
}
