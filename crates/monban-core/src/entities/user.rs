use std::collections::BTreeMap;

use monban_wire::idp::UserStatusType;
use serde::{Deserialize, Serialize};

/// A user of a pool.
#[derive(Clone, PartialEq)]
pub struct User {
    pub pool_id: String,
    /// As created (case preserved). For pools with username attributes, this is the `sub`.
    pub username: String,
    /// Immutable UUID.
    pub sub: String,
    pub status: UserStatusType,
    pub enabled: bool,
    /// Every attribute except `sub`, by name (`email`, `email_verified`, `custom:x`).
    pub attributes: BTreeMap<String, String>,
    /// Argon2id PHC string.
    pub password_hash: Option<String>,
    pub created_ms: i64,
    pub modified_ms: i64,
    /// Optimistic concurrency: the version read; the store refuses an update from a stale one.
    pub version: i64,
    /// The names this user signs in with, each unique in the pool by database constraint:
    /// `u:<username>` and the active aliases (`email:<v>`, `phone_number:<v>`,
    /// `preferred_username:<v>`), normalised as the pool's case sensitivity says.
    pub keys: Vec<String>,
    pub data: UserData,
}

/// State of a user that needs no column of its own, kept as a JSON document. New fields
/// must default so that older rows still read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserData {
    /// When the current password was set (temporary password expiry counts from here).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_set_ms: Option<i64>,
    /// Legacy `MFAOptions` as set by AdminSetUserSettings / SetUserSettings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mfa_options: Vec<(String, String)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_mfa: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub enabled_mfas: Vec<String>,
    /// SRP salt and verifier of the current password (set with the password hash).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub srp: Option<SrpCredential>,
    /// Failed sign-ins counted towards lockout since the last success or quiet period.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub failed_sign_ins: u32,
    /// When the last counted failed sign-in happened (epoch ms).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_failed_sign_in_ms: Option<i64>,
    /// The verified TOTP authenticator (VerifySoftwareToken).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub software_token: Option<SoftwareToken>,
    /// A TOTP secret from AssociateSoftwareToken waiting for VerifySoftwareToken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub software_token_pending: Option<SealedSecret>,
}

/// A TOTP secret sealed under a server key (see `crate::mfa`); `Debug` shows none of it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SealedSecret(pub String);

impl std::fmt::Debug for SealedSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SealedSecret(<redacted>)")
    }
}

/// A user's TOTP authenticator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SoftwareToken {
    pub secret: SealedSecret,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub friendly_device_name: Option<String>,
    pub verified_ms: i64,
    /// The last time step whose code was accepted: a code works once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_step: Option<u64>,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// What SRP sign-in needs of a password: hex of PAD(salt) and of PAD(v). Password-equivalent
/// for offline guessing, so its `Debug` shows neither.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SrpCredential {
    pub salt: String,
    pub verifier: String,
}

impl std::fmt::Debug for SrpCredential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SrpCredential { .. }")
    }
}

impl std::fmt::Debug for User {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("User")
            .field("pool_id", &self.pool_id)
            .field("username", &self.username)
            .field("sub", &self.sub)
            .field("status", &self.status)
            .field("enabled", &self.enabled)
            .field(
                "attribute_names",
                &self.attributes.keys().collect::<Vec<_>>(),
            )
            .field("version", &self.version)
            .finish()
    }
}

/// The attributes ListUsers can filter on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterAttribute {
    Username,
    Email,
    PhoneNumber,
    Name,
    GivenName,
    FamilyName,
    PreferredUsername,
    Sub,
    /// `cognito:user_status`: compared with the status name in upper case.
    UserStatus,
    /// `status`: `Enabled` or `Disabled`.
    Status,
}

impl FilterAttribute {
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "username" => Self::Username,
            "email" => Self::Email,
            "phone_number" => Self::PhoneNumber,
            "name" => Self::Name,
            "given_name" => Self::GivenName,
            "family_name" => Self::FamilyName,
            "preferred_username" => Self::PreferredUsername,
            "sub" => Self::Sub,
            "cognito:user_status" => Self::UserStatus,
            "status" => Self::Status,
            _ => return None,
        })
    }
}

/// A parsed ListUsers filter: `attribute = "value"` or `attribute ^= "value"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserFilter {
    pub attribute: FilterAttribute,
    pub prefix: bool,
    pub value: String,
}
