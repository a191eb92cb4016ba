//! Resource servers: named sets of scopes, granted as `{identifier}/{scope}`.

mod create_resource_server;
mod delete_resource_server;
mod describe_resource_server;
mod list_resource_servers;
mod update_resource_server;

pub use create_resource_server::create_resource_server;
pub use delete_resource_server::delete_resource_server;
pub use describe_resource_server::describe_resource_server;
pub use list_resource_servers::list_resource_servers;
pub use update_resource_server::update_resource_server;

use monban_wire::idp::{ResourceServerScopeType, ResourceServerType};

use crate::error::Error;
use crate::oauth::ResourceServer;
use crate::Cx;

fn resource_server_type(s: &ResourceServer) -> ResourceServerType {
    ResourceServerType {
        identifier: Some(s.identifier.clone()),
        managed_by: None,
        name: Some(s.name.clone()),
        scopes: Some(s.scopes.clone()),
        user_pool_id: Some(s.pool_id.clone()),
    }
}

/// The pool's server `identifier`, or `ResourceNotFoundException`.
async fn load_resource_server(
    cx: &Cx,
    pool_id: &str,
    identifier: &str,
) -> Result<ResourceServer, Error> {
    cx.store
        .get_resource_server(pool_id, identifier)
        .await?
        .ok_or_else(|| {
            Error::resource_not_found(format!(
                "Resource server {identifier} does not exist in user pool {pool_id}."
            ))
        })
}

/// Scope names must be unique within a server.
fn check_scopes(scopes: &[ResourceServerScopeType]) -> Result<(), Error> {
    for (i, s) in scopes.iter().enumerate() {
        if scopes[..i].iter().any(|t| t.scope_name == s.scope_name) {
            return Err(Error::invalid_parameter(format!(
                "Duplicate scope name: {}",
                s.scope_name
            )));
        }
    }
    Ok(())
}
