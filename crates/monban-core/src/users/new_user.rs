//! A new user from a username and validated attributes (AdminCreateUser now, SignUp
//! next): the internal username as the pool's username and alias attributes say, a fresh
//! `sub`, the login keys; and its insertion, where the store's unique keys (never a
//! read-then-insert check) decide who gets a name.

use std::collections::BTreeMap;

use monban_wire::idp::UserStatusType;

use super::attributes::{is_email, is_phone_number, AttributeChanges};
use super::conflict::{key_taken, KeyWrite};
use super::keys::{login_keys, KeyKind};
use super::modify::{modify_user, Target};
use super::rules::NameRules;
use crate::entities::{User, UserData, UserPool};
use crate::error::{Error, ErrorKind};
use crate::ids::new_uuid;
use crate::pool_config::VERSION_RETRIES;
use crate::store::StoreError;
use crate::Cx;

/// A user ready to insert, and the name it signs in with (the email or phone number given
/// as username in pools with username attributes, the username otherwise).
#[derive(Debug)]
pub struct NewUser {
    pub user: User,
    pub sign_in_name: String,
}

fn username_attribute_error(rules: &NameRules) -> Error {
    Error::invalid_parameter(match (rules.username_email, rules.username_phone) {
        (true, true) => "Username should be either an email or a phone number.",
        (true, false) => "Username should be an email.",
        _ => "Username should be a phone number.",
    })
}

/// The internal username for `given`, with the attribute it must be copied into.
fn resolve_username(
    rules: &NameRules,
    given: &str,
    sub: &str,
) -> Result<(String, Option<&'static str>), Error> {
    if rules.has_username_attributes() {
        // Cognito generates the username (the sub); the given value is the email or phone.
        if rules.username_email && is_email(given) {
            return Ok((sub.to_owned(), Some("email")));
        }
        if rules.username_phone && is_phone_number(given) {
            return Ok((sub.to_owned(), Some("phone_number")));
        }
        return Err(username_attribute_error(rules));
    }
    if rules.alias_email && is_email(given) {
        return Err(Error::invalid_parameter(
            "Username cannot be of email format, since user pool is configured for email alias.",
        ));
    }
    if rules.alias_phone && is_phone_number(given) {
        return Err(Error::invalid_parameter(
            "Username cannot be of phone number format, since user pool is configured for \
             phone number alias.",
        ));
    }
    Ok((given.to_owned(), None))
}

/// A flag set to true needs the value it vouches for.
pub fn check_verified_flags(attributes: &BTreeMap<String, String>) -> Result<(), Error> {
    for (value, flag) in [
        ("email", "email_verified"),
        ("phone_number", "phone_number_verified"),
    ] {
        let flagged = attributes.get(flag).is_some_and(|v| v == "true");
        if flagged && attributes.get(value).is_none_or(|v| v.is_empty()) {
            return Err(Error::invalid_parameter(format!(
                "{flag} is true but the user has no {value}."
            )));
        }
    }
    Ok(())
}

/// Builds the user (enabled, no password yet) from already validated attributes.
pub fn new_user(
    cx: &Cx,
    pool: &UserPool,
    username: &str,
    changes: &AttributeChanges,
    status: UserStatusType,
) -> Result<NewUser, Error> {
    let rules = NameRules::of(pool);
    let sub = new_uuid(cx.rng.as_ref());
    let mut attributes: BTreeMap<String, String> = changes
        .iter()
        .filter_map(|(name, value)| value.clone().map(|v| (name.clone(), v)))
        .collect();
    let (internal, copy_into) = resolve_username(&rules, username, &sub)?;
    if let Some(attribute) = copy_into {
        attributes.insert(attribute.to_owned(), username.to_owned());
    }
    check_verified_flags(&attributes)?;
    let now = cx.now_ms();
    let keys = login_keys(&rules, &internal, &attributes);
    Ok(NewUser {
        user: User {
            pool_id: pool.id.clone(),
            username: internal,
            sub,
            status,
            enabled: true,
            attributes,
            password_hash: None,
            created_ms: now,
            modified_ms: now,
            version: 1,
            keys,
            data: UserData::default(),
        },
        sign_in_name: username.to_owned(),
    })
}

/// True when a conflict on `key` is a verified alias that ForceAliasCreation may move.
fn movable_alias(rules: &NameRules, key: &str) -> Option<&'static str> {
    match KeyKind::of(key)? {
        KeyKind::Email if rules.alias_email => Some("email_verified"),
        KeyKind::PhoneNumber if rules.alias_phone => Some("phone_number_verified"),
        _ => None,
    }
}

/// Inserts the user. A taken name is `UsernameExistsException` / `AliasExistsException`;
/// with `force_alias`, a verified email or phone alias held by another user is taken from
/// them (their attribute becomes unverified) and the insert retried.
pub async fn insert_new_user(
    cx: &Cx,
    pool: &UserPool,
    user: &User,
    write: KeyWrite,
    force_alias: bool,
) -> Result<(), Error> {
    let rules = NameRules::of(pool);
    for _ in 0..=VERSION_RETRIES {
        let key = match cx.store.insert_user(user).await {
            Ok(()) => return Ok(()),
            Err(StoreError::Conflict { key }) => key,
            Err(e) => return Err(e.into()),
        };
        let flag = match movable_alias(&rules, &key) {
            Some(flag) if force_alias => flag,
            _ => return Err(key_taken(&rules, &key, write)),
        };
        // The owner may have changed or gone since the conflict: then just retry.
        let Some(owner) = cx.store.get_user_by_key(&pool.id, &key).await? else {
            continue;
        };
        let moved = modify_user(cx, pool, Target::Sub(&owner.sub), KeyWrite::Update, |u| {
            u.attributes.insert(flag.to_owned(), "false".to_owned());
            Ok(())
        })
        .await;
        match moved {
            Ok(_) => {}
            Err(e) if e.kind == ErrorKind::UserNotFoundException => {}
            Err(e) => return Err(e),
        }
    }
    Err(Error::new(
        ErrorKind::ConcurrentModificationException,
        "The resource was changed concurrently; retry the request.",
    ))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const SUB: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

    #[test]
    fn username_attributes_make_the_sub_the_username() {
        let rules = NameRules {
            username_email: true,
            ..NameRules::default()
        };
        assert_eq!(
            resolve_username(&rules, "a@example.com", SUB).unwrap(),
            (SUB.to_owned(), Some("email"))
        );
        assert_eq!(
            resolve_username(&rules, "alice", SUB).unwrap_err().message,
            "Username should be an email."
        );
        let both = NameRules {
            username_email: true,
            username_phone: true,
            ..NameRules::default()
        };
        assert_eq!(
            resolve_username(&both, "+15555550100", SUB).unwrap(),
            (SUB.to_owned(), Some("phone_number"))
        );
        assert_eq!(
            resolve_username(&both, "alice", SUB).unwrap_err().message,
            "Username should be either an email or a phone number."
        );
    }

    #[test]
    fn alias_pools_refuse_usernames_shaped_like_an_alias() {
        let rules = NameRules {
            alias_email: true,
            ..NameRules::default()
        };
        assert!(resolve_username(&rules, "a@example.com", SUB)
            .unwrap_err()
            .message
            .contains("email format"));
        // Phone-shaped usernames are fine while phone_number is not an alias.
        assert_eq!(
            resolve_username(&rules, "+15555550100", SUB).unwrap().0,
            "+15555550100"
        );
        assert_eq!(
            resolve_username(&NameRules::default(), "a@example.com", SUB)
                .unwrap()
                .0,
            "a@example.com"
        );
    }

    #[test]
    fn verified_flags_need_their_value() {
        let mut attributes = BTreeMap::from([("email_verified".to_owned(), "true".to_owned())]);
        assert!(check_verified_flags(&attributes).is_err());
        attributes.insert("email".to_owned(), "a@example.com".to_owned());
        assert!(check_verified_flags(&attributes).is_ok());
    }

    #[test]
    fn only_aliases_are_movable() {
        let aliases = NameRules {
            alias_email: true,
            ..NameRules::default()
        };
        assert_eq!(
            movable_alias(&aliases, "email:a@x.com"),
            Some("email_verified")
        );
        assert_eq!(movable_alias(&aliases, "u:alice"), None);
        let usernames = NameRules {
            username_email: true,
            ..NameRules::default()
        };
        assert_eq!(movable_alias(&usernames, "email:a@x.com"), None);
    }
}
