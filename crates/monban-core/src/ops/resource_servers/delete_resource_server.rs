//! DeleteResourceServer: its scopes stop being granted at once.

use monban_wire::idp::DeleteResourceServerRequest;

use super::load_resource_server;
use crate::error::Error;
use crate::pool_config::load_pool;
use crate::{Cx, Iam};

pub async fn delete_resource_server(
    cx: &Cx,
    _iam: &Iam,
    req: DeleteResourceServerRequest,
) -> Result<monban_wire::Empty, Error> {
    let pool = load_pool(cx, &req.user_pool_id).await?;
    let server = load_resource_server(cx, &pool.id, &req.identifier).await?;
    cx.store
        .delete_resource_server(&pool.id, &server.identifier)
        .await?;
    Ok(monban_wire::Empty {})
}
