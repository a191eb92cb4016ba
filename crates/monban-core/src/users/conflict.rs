//! A login key already taken, in Cognito's words: the username or an email/phone used as
//! username is `UsernameExistsException`; an alias is `AliasExistsException`.

use super::keys::KeyKind;
use super::rules::NameRules;
use crate::error::{Error, ErrorKind};
use crate::store::StoreError;

/// The operation that wrote the keys: the messages differ between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyWrite {
    AdminCreateUser,
    SignUp,
    /// Attribute changes and confirmations of an existing user.
    Update,
}

/// The error for a store conflict on login key `key`.
pub fn key_taken(rules: &NameRules, key: &str, write: KeyWrite) -> Error {
    let kind = KeyKind::of(key).unwrap_or(KeyKind::Username);
    let username_attribute = match kind {
        KeyKind::Email => rules.username_email,
        KeyKind::PhoneNumber => rules.username_phone,
        KeyKind::Username | KeyKind::PreferredUsername => false,
    };
    match (kind, write) {
        (KeyKind::Username, KeyWrite::AdminCreateUser) => Error::new(
            ErrorKind::UsernameExistsException,
            "User account already exists",
        ),
        (KeyKind::Username, _) => {
            Error::new(ErrorKind::UsernameExistsException, "User already exists")
        }
        (_, KeyWrite::AdminCreateUser | KeyWrite::SignUp) if username_attribute => Error::new(
            ErrorKind::UsernameExistsException,
            format!(
                "An account with the given {} already exists.",
                kind.attribute()
            ),
        ),
        _ => Error::new(
            ErrorKind::AliasExistsException,
            format!("An account with the {} already exists.", kind.attribute()),
        ),
    }
}

/// Maps a store error from writing a user's keys.
pub fn map_store_error(rules: &NameRules, error: StoreError, write: KeyWrite) -> Error {
    match error {
        StoreError::Conflict { key } => key_taken(rules, &key, write),
        StoreError::NotFound => Error::user_not_found(),
        other => Error::from(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages() {
        let plain = NameRules::default();
        let e = key_taken(&plain, "u:alice", KeyWrite::AdminCreateUser);
        assert_eq!(e.kind, ErrorKind::UsernameExistsException);
        assert_eq!(e.message, "User account already exists");
        assert_eq!(
            key_taken(&plain, "u:alice", KeyWrite::SignUp).message,
            "User already exists"
        );

        let by_email = NameRules {
            username_email: true,
            ..NameRules::default()
        };
        let e = key_taken(&by_email, "email:a@example.com", KeyWrite::AdminCreateUser);
        assert_eq!(e.kind, ErrorKind::UsernameExistsException);
        assert_eq!(e.message, "An account with the given email already exists.");

        let aliases = NameRules {
            alias_email: true,
            alias_phone: true,
            ..NameRules::default()
        };
        let e = key_taken(&aliases, "email:a@example.com", KeyWrite::AdminCreateUser);
        assert_eq!(e.kind, ErrorKind::AliasExistsException);
        assert_eq!(e.message, "An account with the email already exists.");
        let e = key_taken(&aliases, "phone_number:+15555550100", KeyWrite::Update);
        assert_eq!(e.kind, ErrorKind::AliasExistsException);
        assert_eq!(
            e.message,
            "An account with the phone_number already exists."
        );
        // Updates never report UsernameExists (not in the model's error list).
        let e = key_taken(&by_email, "email:a@example.com", KeyWrite::Update);
        assert_eq!(e.kind, ErrorKind::AliasExistsException);
    }
}
