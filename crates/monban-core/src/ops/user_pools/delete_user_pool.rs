//! DeleteUserPool: deletes the pool with its clients, users and groups, unless deletion
//! protection is active.

use monban_wire::idp::{DeleteUserPoolRequest, DeletionProtectionType};
use monban_wire::Empty;

use crate::error::Error;
use crate::pool_config::load_pool;
use crate::store::StoreError;
use crate::{Cx, Iam};

pub async fn delete_user_pool(
    cx: &Cx,
    _iam: &Iam,
    req: DeleteUserPoolRequest,
) -> Result<Empty, Error> {
    let pool = load_pool(cx, &req.user_pool_id).await?;
    if pool.config.deletion_protection == Some(DeletionProtectionType::Active) {
        return Err(Error::invalid_parameter(format!(
            "The user pool {} has deletion protection activated. Deactivate DeletionProtection \
             with UpdateUserPool before deleting it.",
            pool.id
        )));
    }
    match cx.store.delete_user_pool(&pool.id).await {
        Ok(()) => Ok(Empty {}),
        Err(StoreError::NotFound) => Err(Error::pool_not_found(&pool.id)),
        Err(e) => Err(e.into()),
    }
}
