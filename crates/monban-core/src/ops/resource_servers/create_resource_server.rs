//! CreateResourceServer: a taken identifier is `InvalidParameterException`.

use monban_wire::idp::{CreateResourceServerRequest, CreateResourceServerResponse};

use super::{check_scopes, resource_server_type};
use crate::error::Error;
use crate::oauth::ResourceServer;
use crate::pool_config::load_pool;
use crate::store::StoreError;
use crate::{Cx, Iam};

pub async fn create_resource_server(
    cx: &Cx,
    _iam: &Iam,
    req: CreateResourceServerRequest,
) -> Result<CreateResourceServerResponse, Error> {
    let pool = load_pool(cx, &req.user_pool_id).await?;
    let scopes = req.scopes.unwrap_or_default();
    check_scopes(&scopes)?;
    let server = ResourceServer {
        pool_id: pool.id.clone(),
        identifier: req.identifier,
        name: req.name,
        scopes,
    };
    match cx.store.insert_resource_server(&server).await {
        Ok(()) => Ok(CreateResourceServerResponse {
            resource_server: resource_server_type(&server),
        }),
        Err(StoreError::Conflict { .. }) => Err(Error::invalid_parameter(format!(
            "{} already exists in pool {}.",
            server.identifier, pool.id
        ))),
        Err(StoreError::NotFound) => Err(Error::pool_not_found(&pool.id)),
        Err(e) => Err(e.into()),
    }
}
