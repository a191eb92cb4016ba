//! GetIdentityPoolRoles: what SetIdentityPoolRoles set.

use monban_wire::identity::{GetIdentityPoolRolesInput, GetIdentityPoolRolesResponse};

use crate::error::Error;
use crate::identity_pools::load_identity_pool;
use crate::{Cx, Iam};

pub async fn get_identity_pool_roles(
    cx: &Cx,
    _iam: &Iam,
    req: GetIdentityPoolRolesInput,
) -> Result<GetIdentityPoolRolesResponse, Error> {
    let pool = load_identity_pool(cx, &req.identity_pool_id).await?;
    let mappings = pool.data.role_mappings;
    Ok(GetIdentityPoolRolesResponse {
        identity_pool_id: Some(pool.id),
        roles: Some(pool.data.roles),
        role_mappings: (!mappings.is_empty()).then_some(mappings),
    })
}
