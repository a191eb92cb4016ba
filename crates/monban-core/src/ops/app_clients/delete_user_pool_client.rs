//! DeleteUserPoolClient: deletes a client of the pool.

use monban_wire::idp::DeleteUserPoolClientRequest;
use monban_wire::Empty;

use crate::error::Error;
use crate::pool_config::load_client;
use crate::store::StoreError;
use crate::{Cx, Iam};

pub async fn delete_user_pool_client(
    cx: &Cx,
    _iam: &Iam,
    req: DeleteUserPoolClientRequest,
) -> Result<Empty, Error> {
    // Refuses a client of another pool before deleting anything.
    let client = load_client(cx, &req.user_pool_id, &req.client_id).await?;
    match cx
        .store
        .delete_app_client(&client.pool_id, &client.client_id)
        .await
    {
        Ok(()) => Ok(Empty {}),
        Err(StoreError::NotFound) => Err(Error::client_not_found(&client.client_id)),
        Err(e) => Err(e.into()),
    }
}
