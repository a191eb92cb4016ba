//! SetIdentityPoolRoles: the default `authenticated` / `unauthenticated` roles and the
//! per-provider role mappings, replaced together.

use monban_wire::identity::SetIdentityPoolRolesInput;
use monban_wire::Empty;

use crate::error::Error;
use crate::identity_pools::{modify_identity_pool, validate_roles};
use crate::{Cx, Iam};

pub async fn set_identity_pool_roles(
    cx: &Cx,
    _iam: &Iam,
    req: SetIdentityPoolRolesInput,
) -> Result<Empty, Error> {
    let mappings = req.role_mappings.unwrap_or_default();
    validate_roles(&req.roles, &mappings)?;
    modify_identity_pool(cx, &req.identity_pool_id, |pool| {
        pool.data.roles = req.roles.clone();
        pool.data.role_mappings = mappings.clone();
        Ok(())
    })
    .await?;
    Ok(Empty {})
}
