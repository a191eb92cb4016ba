//! DeleteIdentityPool: the pool with its identities; their logins can no longer be used.

use monban_wire::identity::DeleteIdentityPoolInput;
use monban_wire::Empty;

use crate::error::Error;
use crate::identity_pools::pool_not_found;
use crate::store::StoreError;
use crate::{Cx, Iam};

pub async fn delete_identity_pool(
    cx: &Cx,
    _iam: &Iam,
    req: DeleteIdentityPoolInput,
) -> Result<Empty, Error> {
    match cx.store.delete_identity_pool(&req.identity_pool_id).await {
        Ok(()) => Ok(Empty {}),
        Err(StoreError::NotFound) => Err(pool_not_found(&req.identity_pool_id)),
        Err(e) => Err(e.into()),
    }
}
