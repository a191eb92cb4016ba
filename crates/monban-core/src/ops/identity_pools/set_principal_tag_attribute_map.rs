//! SetPrincipalTagAttributeMap: stored and returned as given. Deviation: monban's
//! credentials carry no session tags, so the map has no effect yet.

use monban_wire::identity::{
    SetPrincipalTagAttributeMapInput, SetPrincipalTagAttributeMapResponse,
};

use crate::entities::PrincipalTagMap;
use crate::error::Error;
use crate::identity_pools::modify_identity_pool;
use crate::{Cx, Iam};

pub async fn set_principal_tag_attribute_map(
    cx: &Cx,
    _iam: &Iam,
    req: SetPrincipalTagAttributeMapInput,
) -> Result<SetPrincipalTagAttributeMapResponse, Error> {
    let map = PrincipalTagMap {
        principal_tags: req.principal_tags.clone(),
        use_defaults: req.use_defaults,
    };
    modify_identity_pool(cx, &req.identity_pool_id, |pool| {
        pool.data
            .principal_tags
            .insert(req.identity_provider_name.clone(), map.clone());
        Ok(())
    })
    .await?;
    Ok(SetPrincipalTagAttributeMapResponse {
        identity_pool_id: Some(req.identity_pool_id),
        identity_provider_name: Some(req.identity_provider_name),
        principal_tags: map.principal_tags,
        use_defaults: map.use_defaults,
    })
}
