//! Login keys: the names a user signs in with, each unique in the pool by database
//! constraint (`User.keys`). `u:<username>` always; email and phone keys when they are the
//! pool's username attributes (verified or not) or verified aliases; `preferred_username`
//! when it is an alias and set. Values are normalised as the pool's case sensitivity says.

use std::collections::BTreeMap;

use super::rules::NameRules;

pub const USERNAME_PREFIX: &str = "u:";
pub const EMAIL_PREFIX: &str = "email:";
pub const PHONE_PREFIX: &str = "phone_number:";
pub const PREFERRED_USERNAME_PREFIX: &str = "preferred_username:";

/// What a login key names, recovered from its prefix (for error messages on conflicts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    Username,
    Email,
    PhoneNumber,
    PreferredUsername,
}

impl KeyKind {
    pub fn of(key: &str) -> Option<Self> {
        [
            (USERNAME_PREFIX, Self::Username),
            (EMAIL_PREFIX, Self::Email),
            (PHONE_PREFIX, Self::PhoneNumber),
            (PREFERRED_USERNAME_PREFIX, Self::PreferredUsername),
        ]
        .into_iter()
        .find_map(|(prefix, kind)| key.starts_with(prefix).then_some(kind))
    }

    /// The attribute the key is made of (`username` for the username key).
    pub fn attribute(self) -> &'static str {
        match self {
            Self::Username => "username",
            Self::Email => "email",
            Self::PhoneNumber => "phone_number",
            Self::PreferredUsername => "preferred_username",
        }
    }

    fn prefix(self) -> &'static str {
        match self {
            Self::Username => USERNAME_PREFIX,
            Self::Email => EMAIL_PREFIX,
            Self::PhoneNumber => PHONE_PREFIX,
            Self::PreferredUsername => PREFERRED_USERNAME_PREFIX,
        }
    }
}

/// Case-insensitive pools compare usernames, emails and preferred usernames lowercased.
/// Phone numbers have no case.
pub fn normalise(rules: &NameRules, kind: KeyKind, value: &str) -> String {
    if rules.case_sensitive || kind == KeyKind::PhoneNumber {
        value.to_owned()
    } else {
        value.to_lowercase()
    }
}

pub fn key(rules: &NameRules, kind: KeyKind, value: &str) -> String {
    format!("{}{}", kind.prefix(), normalise(rules, kind, value))
}

fn is_true(attributes: &BTreeMap<String, String>, name: &str) -> bool {
    attributes
        .get(name)
        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
}

/// The login keys of a user with this (internal) username and these attributes.
pub fn login_keys(
    rules: &NameRules,
    username: &str,
    attributes: &BTreeMap<String, String>,
) -> Vec<String> {
    let mut keys = vec![key(rules, KeyKind::Username, username)];
    let value = |name: &str| attributes.get(name).filter(|v| !v.is_empty());
    if let Some(email) = value("email") {
        if rules.username_email || (rules.alias_email && is_true(attributes, "email_verified")) {
            keys.push(key(rules, KeyKind::Email, email));
        }
    }
    if let Some(phone) = value("phone_number") {
        if rules.username_phone
            || (rules.alias_phone && is_true(attributes, "phone_number_verified"))
        {
            keys.push(key(rules, KeyKind::PhoneNumber, phone));
        }
    }
    if let Some(preferred) = value("preferred_username") {
        if rules.alias_preferred_username {
            keys.push(key(rules, KeyKind::PreferredUsername, preferred));
        }
    }
    keys
}

/// The name a user signs in with: in pools with username attributes, the email (or phone
/// number) rather than the generated username.
pub fn sign_in_name(
    rules: &NameRules,
    username: &str,
    attributes: &BTreeMap<String, String>,
) -> String {
    let value = |name: &str| attributes.get(name).filter(|v| !v.is_empty()).cloned();
    let attribute = if rules.username_email {
        value("email")
    } else {
        None
    };
    attribute
        .or_else(|| {
            rules
                .username_phone
                .then(|| value("phone_number"))
                .flatten()
        })
        .unwrap_or_else(|| username.to_owned())
}

/// The keys under which a name given by a caller (a username or an active alias) may be
/// found, most specific first.
pub fn lookup_keys(rules: &NameRules, name: &str) -> Vec<String> {
    let mut keys = vec![key(rules, KeyKind::Username, name)];
    if rules.username_email || rules.alias_email {
        keys.push(key(rules, KeyKind::Email, name));
    }
    if rules.username_phone || rules.alias_phone {
        keys.push(key(rules, KeyKind::PhoneNumber, name));
    }
    if rules.alias_preferred_username {
        keys.push(key(rules, KeyKind::PreferredUsername, name));
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn plain_pool_has_only_the_username_key() {
        let rules = NameRules::default();
        let keys = login_keys(
            &rules,
            "Alice",
            &attrs(&[("email", "a@example.com"), ("email_verified", "true")]),
        );
        assert_eq!(keys, vec!["u:Alice"]);
    }

    #[test]
    fn case_insensitive_pools_lowercase_username_email_and_preferred_username() {
        let rules = NameRules {
            case_sensitive: false,
            alias_email: true,
            alias_preferred_username: true,
            ..NameRules::default()
        };
        let keys = login_keys(
            &rules,
            "Alice",
            &attrs(&[
                ("email", "A@Example.com"),
                ("email_verified", "true"),
                ("preferred_username", "Ally"),
            ]),
        );
        assert_eq!(
            keys,
            vec!["u:alice", "email:a@example.com", "preferred_username:ally"]
        );
    }

    #[test]
    fn username_attributes_give_keys_even_unverified() {
        let rules = NameRules {
            username_email: true,
            username_phone: true,
            ..NameRules::default()
        };
        let keys = login_keys(
            &rules,
            "5b0c7e4e-0000-4000-8000-000000000000",
            &attrs(&[("email", "A@example.com"), ("phone_number", "+15555550100")]),
        );
        assert_eq!(
            keys,
            vec![
                "u:5b0c7e4e-0000-4000-8000-000000000000",
                "email:A@example.com",
                "phone_number:+15555550100"
            ]
        );
    }

    #[test]
    fn aliases_need_verification() {
        let rules = NameRules {
            alias_email: true,
            alias_phone: true,
            ..NameRules::default()
        };
        let unverified = attrs(&[
            ("email", "a@example.com"),
            ("email_verified", "false"),
            ("phone_number", "+15555550100"),
        ]);
        assert_eq!(login_keys(&rules, "bob", &unverified), vec!["u:bob"]);
        let verified = attrs(&[
            ("email", "a@example.com"),
            ("email_verified", "true"),
            ("phone_number", "+15555550100"),
            ("phone_number_verified", "true"),
        ]);
        assert_eq!(
            login_keys(&rules, "bob", &verified),
            vec!["u:bob", "email:a@example.com", "phone_number:+15555550100"]
        );
    }

    #[test]
    fn lookup_tries_the_configured_aliases() {
        let rules = NameRules {
            case_sensitive: false,
            alias_email: true,
            ..NameRules::default()
        };
        assert_eq!(
            lookup_keys(&rules, "Bob@Example.com"),
            vec!["u:bob@example.com", "email:bob@example.com"]
        );
        assert_eq!(lookup_keys(&NameRules::default(), "Bob"), vec!["u:Bob"]);
    }

    #[test]
    fn sign_in_names() {
        let by_email = NameRules {
            username_email: true,
            username_phone: true,
            ..NameRules::default()
        };
        let a = attrs(&[("email", "a@example.com"), ("phone_number", "+15555550100")]);
        assert_eq!(sign_in_name(&by_email, "uuid", &a), "a@example.com");
        let p = attrs(&[("phone_number", "+15555550100")]);
        assert_eq!(sign_in_name(&by_email, "uuid", &p), "+15555550100");
        assert_eq!(sign_in_name(&NameRules::default(), "bob", &a), "bob");
    }

    #[test]
    fn key_kinds_round_trip() {
        assert_eq!(KeyKind::of("email:x"), Some(KeyKind::Email));
        assert_eq!(KeyKind::of("u:x"), Some(KeyKind::Username));
        assert_eq!(KeyKind::of("phone_number:+1"), Some(KeyKind::PhoneNumber));
        assert_eq!(
            KeyKind::of("preferred_username:x"),
            Some(KeyKind::PreferredUsername)
        );
        assert_eq!(KeyKind::of("other"), None);
    }
}
