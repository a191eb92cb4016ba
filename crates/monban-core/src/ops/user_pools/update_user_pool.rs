//! UpdateUserPool: as documented, every updatable setting the request omits returns to its
//! default; schema, username/alias attributes and case sensitivity are kept. Deviation
//! (unconfirmed either way): an omitted UserPoolTier or UserPoolTags keeps the current one.

use monban_wire::idp::{UpdateUserPoolRequest, UpdateUserPoolResponse};

use crate::error::Error;
use crate::pool_config::{
    load_pool, mfa_after_pool_write, pool_config_from_update, save_pool, update_with_retry,
    validate_pool_config,
};
use crate::{Cx, Iam};

pub async fn update_user_pool(
    cx: &Cx,
    _iam: &Iam,
    req: UpdateUserPoolRequest,
) -> Result<UpdateUserPoolResponse, Error> {
    let req = &req;
    update_with_retry(move || async move {
        let mut pool = load_pool(cx, &req.user_pool_id).await?;
        let config = pool_config_from_update(&pool.config, req)?;
        validate_pool_config(&config)?;
        pool.data = mfa_after_pool_write(&config, &pool.data)?;
        pool.config = config;
        if let Some(name) = &req.pool_name {
            pool.name.clone_from(name);
        }
        pool.modified_ms = cx.now_ms();
        save_pool(cx, &pool).await
    })
    .await?;
    Ok(UpdateUserPoolResponse {})
}
