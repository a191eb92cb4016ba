//! What the OAuth side of a pool stores: its domains and its resource servers.

use monban_wire::idp::{CustomDomainConfigType, ResourceServerScopeType};

/// A pool's hosted-UI domain: a prefix (`{prefix}.auth.{region}.amazoncognito.com` at
/// Cognito) or a custom domain (with `CustomDomainConfig`). A pool has at most one of
/// each kind; a domain belongs to one pool.
#[derive(Debug, Clone, PartialEq)]
pub struct UserPoolDomain {
    pub domain: String,
    pub pool_id: String,
    /// `Some` for a custom domain.
    pub custom_domain_config: Option<CustomDomainConfigType>,
    pub managed_login_version: Option<i32>,
    pub created_ms: i64,
    pub modified_ms: i64,
}

impl UserPoolDomain {
    pub fn is_custom(&self) -> bool {
        self.custom_domain_config.is_some()
    }
}

/// A resource server: its scopes are granted as `{identifier}/{scope_name}`.
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceServer {
    pub pool_id: String,
    pub identifier: String,
    pub name: String,
    pub scopes: Vec<ResourceServerScopeType>,
}

impl ResourceServer {
    /// The full scope strings the server defines.
    pub fn full_scopes(&self) -> impl Iterator<Item = String> + '_ {
        self.scopes
            .iter()
            .map(|s| format!("{}/{}", self.identifier, s.scope_name))
    }
}
