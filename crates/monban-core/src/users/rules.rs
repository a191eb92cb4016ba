//! How a pool names its users, gathered from the pool's settings (through `pool_config`'s
//! accessors) into one value that the pure key and name functions take.

use monban_wire::idp::{AliasAttributeType, UsernameAttributeType};

use crate::entities::UserPool;
use crate::pool_config;

/// Case sensitivity, username attributes (email/phone *as* username) and alias attributes
/// (email/phone/preferred_username *besides* a username). The model makes the two
/// attribute lists mutually exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NameRules {
    /// `UsernameConfiguration.CaseSensitive`; the API default is true.
    pub case_sensitive: bool,
    pub username_email: bool,
    pub username_phone: bool,
    pub alias_email: bool,
    pub alias_phone: bool,
    pub alias_preferred_username: bool,
}

impl Default for NameRules {
    fn default() -> Self {
        Self {
            case_sensitive: true,
            username_email: false,
            username_phone: false,
            alias_email: false,
            alias_phone: false,
            alias_preferred_username: false,
        }
    }
}

impl NameRules {
    pub fn of(pool: &UserPool) -> Self {
        let usernames = pool_config::username_attributes(pool);
        let aliases = pool_config::alias_attributes(pool);
        Self {
            case_sensitive: pool_config::case_sensitive(pool),
            username_email: usernames.contains(&UsernameAttributeType::Email),
            username_phone: usernames.contains(&UsernameAttributeType::PhoneNumber),
            alias_email: aliases.contains(&AliasAttributeType::Email),
            alias_phone: aliases.contains(&AliasAttributeType::PhoneNumber),
            alias_preferred_username: aliases.contains(&AliasAttributeType::PreferredUsername),
        }
    }

    /// True when users sign in with an email or phone number and Cognito generates the
    /// internal username (the `sub`).
    pub fn has_username_attributes(&self) -> bool {
        self.username_email || self.username_phone
    }
}
