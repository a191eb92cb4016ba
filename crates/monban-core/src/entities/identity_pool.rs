use std::collections::BTreeMap;

use monban_wire::identity::{IdentityPool as IdentityPoolConfig, RoleMapping};
use serde::{Deserialize, Serialize};

/// An identity pool. `config` is exactly what DescribeIdentityPool returns (tags
/// included); roles and other settings without a member there are in `data`.
#[derive(Debug, Clone, PartialEq)]
pub struct IdentityPool {
    /// `{region}:{uuid}`.
    pub id: String,
    pub name: String,
    pub created_ms: i64,
    pub modified_ms: i64,
    /// Optimistic concurrency: the version read; the store refuses an update from a stale one.
    pub version: i64,
    pub config: IdentityPoolConfig,
    pub data: IdentityPoolData,
}

/// Settings of an identity pool that DescribeIdentityPool does not return, kept as a JSON
/// document. New fields must default so that older rows still read.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IdentityPoolData {
    /// SetIdentityPoolRoles' `Roles`: `authenticated` / `unauthenticated` → role ARN.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub roles: BTreeMap<String, String>,
    /// SetIdentityPoolRoles' `RoleMappings`, by provider key (`{provider}:{clientId}` for a
    /// user pool).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub role_mappings: BTreeMap<String, RoleMapping>,
    /// SetPrincipalTagAttributeMap, by identity provider name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub principal_tags: BTreeMap<String, PrincipalTagMap>,
}

/// One provider's principal-tag attribute map, as SetPrincipalTagAttributeMap set it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrincipalTagMap {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub principal_tags: Option<BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_defaults: Option<bool>,
}

/// An identity of an identity pool: a guest while it has no logins; disabled (and
/// inaccessible) once its last login was unlinked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// `{region}:{uuid}`, unique across pools.
    pub identity_id: String,
    pub pool_id: String,
    pub created_ms: i64,
    pub modified_ms: i64,
    pub disabled: bool,
    /// Ordered by provider, then subject.
    pub logins: Vec<IdentityLogin>,
}

/// A login linked to an identity: unique in its pool by database constraint.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IdentityLogin {
    /// The `Logins` key: a user pool's issuer without the scheme, an OpenID Connect
    /// provider's name, or the pool's developer provider name.
    pub provider: String,
    /// Who the provider says the user is: the token's `sub`, or the developer user
    /// identifier.
    pub subject: String,
}

impl IdentityLogin {
    pub fn new(provider: impl Into<String>, subject: impl Into<String>) -> Self {
        Self {
            provider: provider.into(),
            subject: subject.into(),
        }
    }
}

impl Identity {
    /// A guest identity has never been linked to a login (a disabled one lost its logins).
    pub fn is_guest(&self) -> bool {
        self.logins.is_empty() && !self.disabled
    }

    /// The distinct provider names of its logins, in order (DescribeIdentity's `Logins`).
    pub fn provider_names(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for login in &self.logins {
            if names.last() != Some(&login.provider) {
                names.push(login.provider.clone());
            }
        }
        names
    }
}
