//! UpdateIdentityPool: replaces the pool's settings (what is not given goes back to its
//! default), except its developer provider name, which cannot change once set, and its
//! tags when none are given.

use monban_wire::identity::IdentityPool as IdentityPoolConfig;

use crate::error::Error;
use crate::identity_pools::{apply_update, describe, modify_identity_pool, validate_config};
use crate::{Cx, Iam};

pub async fn update_identity_pool(
    cx: &Cx,
    _iam: &Iam,
    req: IdentityPoolConfig,
) -> Result<IdentityPoolConfig, Error> {
    validate_config(&cx.settings, &req)?;
    let pool = modify_identity_pool(cx, &req.identity_pool_id, |pool| {
        apply_update(pool, req.clone())
    })
    .await?;
    Ok(describe(&pool))
}
