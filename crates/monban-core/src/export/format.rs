//! The export file: JSON lines, a [`Header`] first, then one [`Record`] per line, then
//! [`Record::End`]. Documented for operators in `docs/export-format.md`; a change that an
//! older reader would misread needs a new [`VERSION`].

use std::collections::BTreeMap;

use monban_wire::identity::IdentityPool as IdentityPoolConfig;
use monban_wire::idp::{
    CustomDomainConfigType, DeviceRememberedStatusType, ResourceServerScopeType,
    UserPoolClientType, UserPoolType, UserStatusType,
};
use serde::{Deserialize, Serialize};

use crate::entities::{IdentityLogin, IdentityPoolData, SrpCredential, UserData, UserPoolData};

/// `format` of the header line.
pub const FORMAT: &str = "monban-export";
/// The version this build writes; it reads this one only.
pub const VERSION: u32 = 1;

/// The first line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    pub format: String,
    pub version: u32,
    pub pool_id: String,
    /// When the export started (epoch ms): the only value that differs between two exports
    /// of unchanged data.
    pub exported_ms: i64,
    /// Whether the pool's signing keys are in the file (`--include-keys`).
    pub signing_keys: bool,
}

/// One line after the header. Order: `pool`, then its `domain`s, `resource_server`s,
/// `client`s, `group`s and `signing_key`s, then `user`s (by username), then the
/// `identity_pool`s using the pool, each followed by its `identity` lines, then `end`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Record {
    Pool(Box<PoolRecord>),
    Domain(DomainRecord),
    ResourceServer(ResourceServerRecord),
    Client(Box<ClientRecord>),
    Group(GroupRecord),
    SigningKey(SigningKeyRecord),
    User(Box<UserRecord>),
    IdentityPool(Box<IdentityPoolRecord>),
    Identity(IdentityRecord),
    End(Counts),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PoolRecord {
    pub id: String,
    pub name: String,
    pub created_ms: i64,
    pub modified_ms: i64,
    pub version: i64,
    /// As DescribeUserPool returns it.
    pub config: UserPoolType,
    pub data: UserPoolData,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DomainRecord {
    pub domain: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_domain_config: Option<CustomDomainConfigType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managed_login_version: Option<i32>,
    pub created_ms: i64,
    pub modified_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResourceServerRecord {
    pub identifier: String,
    pub name: String,
    pub scopes: Vec<ResourceServerScopeType>,
}

/// An app client with its secret in clear.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct ClientRecord {
    pub client_id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    pub created_ms: i64,
    pub modified_ms: i64,
    pub version: i64,
    /// As DescribeUserPoolClient returns it, less the secret.
    pub config: UserPoolClientType,
}

impl std::fmt::Debug for ClientRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientRecord")
            .field("client_id", &self.client_id)
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupRecord {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precedence: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
    pub created_ms: i64,
    pub modified_ms: i64,
}

/// A token signing key: the PKCS#8 DER of the RSA private key, base64.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct SigningKeyRecord {
    pub kid: String,
    pub token_use: String,
    pub private_key_der: String,
    pub created_ms: i64,
}

impl std::fmt::Debug for SigningKeyRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKeyRecord")
            .field("kid", &self.kid)
            .field("token_use", &self.token_use)
            .finish_non_exhaustive()
    }
}

/// A user with everything that hangs off it.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct UserRecord {
    pub username: String,
    pub sub: String,
    pub status: UserStatusType,
    pub enabled: bool,
    /// Every attribute but `sub`.
    pub attributes: BTreeMap<String, String>,
    /// The password hash as stored (a PHC string).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_hash: Option<String>,
    pub created_ms: i64,
    pub modified_ms: i64,
    pub version: i64,
    /// Login keys (`u:<username>`, `email:<address>`...).
    pub keys: Vec<String>,
    /// The user's state document. Its TOTP secrets (`software_token.secret`,
    /// `software_token_pending`) hold the secret in clear, base64, not sealed.
    pub data: UserData,
    /// Names of the groups the user is in.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub devices: Vec<DeviceRecord>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refresh_tokens: Vec<RefreshTokenRecord>,
}

impl std::fmt::Debug for UserRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserRecord")
            .field("username", &self.username)
            .field("sub", &self.sub)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceRecord {
    pub device_key: String,
    pub device_group_key: String,
    /// The device's SRP salt and verifier (hex).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verifier: Option<SrpCredential>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, String>,
    pub status: DeviceRememberedStatusType,
    pub created_ms: i64,
    pub modified_ms: i64,
    pub last_authenticated_ms: i64,
}

/// A refresh token (by the SHA-256 of its value, which is stored nowhere) with its family,
/// so that refresh tokens and the access tokens of the family stay valid after a move.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RefreshTokenRecord {
    pub token_hash: String,
    pub client_id: String,
    pub family_id: String,
    pub auth_time_ms: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_key: Option<String>,
    pub created_ms: i64,
    pub expires_ms: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaced_ms: Option<i64>,
    /// When the family was revoked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_ms: Option<i64>,
    /// Scopes granted to the family by the OAuth endpoints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scopes: Option<String>,
}

/// An identity pool that names the user pool among its providers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdentityPoolRecord {
    pub id: String,
    pub name: String,
    pub created_ms: i64,
    pub modified_ms: i64,
    pub version: i64,
    /// As DescribeIdentityPool returns it.
    pub config: IdentityPoolConfig,
    pub data: IdentityPoolData,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdentityRecord {
    pub identity_id: String,
    pub pool_id: String,
    pub created_ms: i64,
    pub modified_ms: i64,
    pub disabled: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub logins: Vec<LoginRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginRecord {
    pub provider: String,
    pub subject: String,
}

impl From<&IdentityLogin> for LoginRecord {
    fn from(login: &IdentityLogin) -> Self {
        Self {
            provider: login.provider.clone(),
            subject: login.subject.clone(),
        }
    }
}

/// The last line: how many of each record came before it, so a cut-off file is noticed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub clients: u64,
    pub groups: u64,
    pub signing_keys: u64,
    pub users: u64,
    pub identity_pools: u64,
    pub identities: u64,
}
