//! UpdateResourceServer: replaces the name and the scopes (absent `Scopes` clears them,
//! as Cognito's update does). Clients keep scopes the server no longer defines in their
//! settings, but those are no longer granted.

use monban_wire::idp::{UpdateResourceServerRequest, UpdateResourceServerResponse};

use super::{check_scopes, load_resource_server, resource_server_type};
use crate::error::Error;
use crate::pool_config::load_pool;
use crate::{Cx, Iam};

pub async fn update_resource_server(
    cx: &Cx,
    _iam: &Iam,
    req: UpdateResourceServerRequest,
) -> Result<UpdateResourceServerResponse, Error> {
    let pool = load_pool(cx, &req.user_pool_id).await?;
    let mut server = load_resource_server(cx, &pool.id, &req.identifier).await?;
    let scopes = req.scopes.unwrap_or_default();
    check_scopes(&scopes)?;
    server.name = req.name;
    server.scopes = scopes;
    cx.store.update_resource_server(&server).await?;
    Ok(UpdateResourceServerResponse {
        resource_server: resource_server_type(&server),
    })
}
