//! The seed file: pools with a few common settings, and their clients, groups and users.
//! TOML, or JSON when the file name ends in `.json`; unknown keys are errors. Example:
//!
//! ```toml
//! version = 1
//!
//! [[pools]]
//! name = "my-app"
//! username_attributes = ["email"]
//! auto_verified_attributes = ["email"]
//! custom_attributes = ["tenant_id"]
//! password_policy = { minimum_length = 8, require_symbols = false }
//!
//! [[pools.clients]]
//! name = "web"
//! explicit_auth_flows = ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
//!
//! [[pools.groups]]
//! name = "admins"
//! precedence = 1
//!
//! [[pools.users]]
//! username = "alice@example.com"
//! password = "Passw0rd!"
//! attributes = { email = "alice@example.com", email_verified = "true" }
//! groups = ["admins"]
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

/// The only version of the format this binary reads.
pub const SEED_VERSION: u32 = 1;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedFile {
    pub version: Option<u32>,
    #[serde(default)]
    pub pools: Vec<PoolSeed>,
}

/// A user pool, found by name (names must then be unique among the server's pools).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PoolSeed {
    pub name: String,
    /// `email` and/or `phone_number` as the username (Cognito's UsernameAttributes).
    #[serde(default)]
    pub username_attributes: Vec<String>,
    /// `email`, `phone_number`, `preferred_username` as sign-in aliases.
    #[serde(default)]
    pub alias_attributes: Vec<String>,
    #[serde(default)]
    pub auto_verified_attributes: Vec<String>,
    /// Cognito's UsernameConfiguration.CaseSensitive (default false).
    pub username_case_sensitive: Option<bool>,
    pub password_policy: Option<PasswordPolicySeed>,
    /// Custom attributes (`tenant_id` becomes `custom:tenant_id`): mutable strings.
    #[serde(default)]
    pub custom_attributes: Vec<String>,
    #[serde(default)]
    pub clients: Vec<ClientSeed>,
    #[serde(default)]
    pub groups: Vec<GroupSeed>,
    #[serde(default)]
    pub users: Vec<UserSeed>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordPolicySeed {
    pub minimum_length: Option<i32>,
    pub require_uppercase: Option<bool>,
    pub require_lowercase: Option<bool>,
    pub require_numbers: Option<bool>,
    pub require_symbols: Option<bool>,
    pub temporary_password_validity_days: Option<i32>,
}

/// An app client, found by name within its pool.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientSeed {
    pub name: String,
    #[serde(default)]
    pub generate_secret: bool,
    /// Cognito's ExplicitAuthFlows (`ALLOW_USER_SRP_AUTH`, ...); Cognito's default if absent.
    pub explicit_auth_flows: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupSeed {
    pub name: String,
    pub description: Option<String>,
    pub precedence: Option<i32>,
}

/// A user, found by username (or alias). No `Debug`: it holds a password.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserSeed {
    pub username: String,
    pub password: String,
    /// A permanent password makes the user CONFIRMED; a temporary one leaves it in
    /// FORCE_CHANGE_PASSWORD (AdminSetUserPassword's `Permanent`). Default true.
    #[serde(default = "yes")]
    pub permanent: bool,
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
    /// Groups of the pool the user belongs to (added, never removed).
    #[serde(default)]
    pub groups: Vec<String>,
}

fn yes() -> bool {
    true
}

impl std::fmt::Debug for UserSeed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserSeed")
            .field("username", &self.username)
            .field("permanent", &self.permanent)
            .field("groups", &self.groups)
            .finish_non_exhaustive()
    }
}

/// Parses a seed file's text; JSON if `origin` ends in `.json`, else TOML.
pub fn parse(text: &str, origin: &Path) -> anyhow::Result<SeedFile> {
    let json = origin
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let file: SeedFile = if json {
        serde_json::from_str(text).map_err(|e| anyhow::anyhow!("{}: {e}", origin.display()))?
    } else {
        toml::from_str(text)
            .map_err(|e| anyhow::anyhow!("{}: {}", origin.display(), e.to_string().trim_end()))?
    };
    match file.version {
        Some(SEED_VERSION) => Ok(file),
        Some(other) => anyhow::bail!(
            "{}: version = {other} is not supported (this monban reads version = {SEED_VERSION})",
            origin.display()
        ),
        None => anyhow::bail!(
            "{}: `version = {SEED_VERSION}` is required at the top of the file",
            origin.display()
        ),
    }
}

pub fn load(path: &Path) -> anyhow::Result<SeedFile> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("cannot read seed file {}: {e}", path.display()))?;
    parse(&text, path)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    const EXAMPLE: &str = r#"
version = 1

[[pools]]
name = "my-app"
username_attributes = ["email"]
auto_verified_attributes = ["email"]
custom_attributes = ["tenant_id"]
password_policy = { minimum_length = 8, require_symbols = false }

[[pools.clients]]
name = "web"
explicit_auth_flows = ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]

[[pools.groups]]
name = "admins"
precedence = 1

[[pools.users]]
username = "alice@example.com"
password = "Passw0rd!"
attributes = { email = "alice@example.com", email_verified = "true" }
groups = ["admins"]
"#;

    #[test]
    fn the_documented_example_parses() {
        let file = parse(EXAMPLE, Path::new("seed.toml")).unwrap();
        let pool = &file.pools[0];
        assert_eq!(pool.name, "my-app");
        assert_eq!(pool.username_attributes, ["email"]);
        assert_eq!(
            pool.password_policy.as_ref().unwrap().minimum_length,
            Some(8)
        );
        assert_eq!(pool.clients[0].name, "web");
        assert!(!pool.clients[0].generate_secret);
        assert_eq!(pool.groups[0].precedence, Some(1));
        let user = &pool.users[0];
        assert!(user.permanent, "permanent by default");
        assert_eq!(user.attributes["email_verified"], "true");
        assert!(!format!("{user:?}").contains("Passw0rd!"));
    }

    #[test]
    fn json_files_read_the_same() {
        let text = r#"{"version": 1, "pools": [{"name": "p", "users": [
            {"username": "bob", "password": "Passw0rd!", "permanent": false}]}]}"#;
        let file = parse(text, Path::new("seed.JSON")).unwrap();
        assert!(!file.pools[0].users[0].permanent);
    }

    #[test]
    fn mistakes_are_named() {
        let err = parse(
            "version = 1\n[[pools]]\nname = \"p\"\nusernme_attributes = []\n",
            Path::new("s.toml"),
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("usernme_attributes") && err.contains("s.toml"),
            "{err}"
        );
        let err = parse("[[pools]]\nname = \"p\"\n", Path::new("s.toml")).unwrap_err();
        assert!(err.to_string().contains("version = 1"), "{err}");
        let err = parse("version = 2\n", Path::new("s.toml")).unwrap_err();
        assert!(err.to_string().contains("version = 2"), "{err}");
    }
}
