//! Which user attributes an app client may read (GetUser, ID tokens) and write (SignUp,
//! UpdateUserAttributes, DeleteUserAttributes): its `ReadAttributes` / `WriteAttributes`,
//! or Cognito's defaults when the client names none. A client with no list reads every
//! standard attribute with both verification flags and writes every standard attribute
//! except `sub` and the flags (the flags are the pool's to set, through verification or an
//! admin); custom attributes need naming. Required attributes are always writable, and
//! `sub` always readable.

use std::collections::BTreeSet;

use super::schema::{schema, STANDARD_ATTRIBUTES};
use crate::entities::{AppClient, UserPool};
use crate::error::Error;

/// Attributes a client may not write unless its `WriteAttributes` names them.
const NOT_WRITABLE_BY_DEFAULT: &[&str] = &["sub", "email_verified", "phone_number_verified"];

fn named(list: Option<&Vec<String>>) -> Option<BTreeSet<String>> {
    list.filter(|l| !l.is_empty())
        .map(|l| l.iter().cloned().collect())
}

/// The attributes `client` may read.
pub fn readable_attributes(client: &AppClient) -> BTreeSet<String> {
    let mut names = named(client.config.read_attributes.as_ref()).unwrap_or_else(|| {
        STANDARD_ATTRIBUTES
            .iter()
            .map(|a| a.name.to_owned())
            .collect()
    });
    names.insert("sub".to_owned());
    names
}

/// The attributes `client` may write.
pub fn writable_attributes(pool: &UserPool, client: &AppClient) -> BTreeSet<String> {
    let mut names = named(client.config.write_attributes.as_ref()).unwrap_or_else(|| {
        STANDARD_ATTRIBUTES
            .iter()
            .map(|a| a.name)
            .filter(|name| !NOT_WRITABLE_BY_DEFAULT.contains(name))
            .map(str::to_owned)
            .collect()
    });
    names.extend(
        schema(pool)
            .iter()
            .filter(|a| a.required == Some(true))
            .filter_map(|a| a.name.clone())
            .filter(|name| name != "sub"),
    );
    names
}

/// `NotAuthorizedException` (Cognito's observed message) unless `client` may write every
/// attribute in `names`.
pub fn check_writable<'a>(
    pool: &UserPool,
    client: &AppClient,
    names: impl IntoIterator<Item = &'a str>,
) -> Result<(), Error> {
    let writable = writable_attributes(pool, client);
    if names.into_iter().all(|name| writable.contains(name)) {
        Ok(())
    } else {
        Err(Error::not_authorized(
            "A client attempted to write unauthorized attribute",
        ))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use monban_wire::idp::{SchemaAttributeType, UserPoolClientType};
    use monban_wire::ErrorKind;

    use super::*;
    use crate::pool_config::standard_schema;
    use crate::users::test_support::pool_with_schema;

    fn client(read: Option<&[&str]>, write: Option<&[&str]>) -> AppClient {
        let list = |l: Option<&[&str]>| l.map(|l| l.iter().map(|s| (*s).to_owned()).collect());
        AppClient {
            pool_id: "us-east-1_test".to_owned(),
            client_id: "client".to_owned(),
            name: "c".to_owned(),
            secret: None,
            created_ms: 0,
            modified_ms: 0,
            version: 1,
            config: UserPoolClientType {
                read_attributes: list(read),
                write_attributes: list(write),
                ..UserPoolClientType::default()
            },
        }
    }

    fn pool() -> UserPool {
        let mut schema = standard_schema();
        for entry in &mut schema {
            if entry.name.as_deref() == Some("family_name") {
                entry.required = Some(true);
            }
        }
        schema.push(SchemaAttributeType {
            name: Some("custom:tier".to_owned()),
            ..Default::default()
        });
        pool_with_schema(schema)
    }

    #[test]
    fn defaults_cover_standard_attributes_only() {
        let c = client(None, None);
        let read = readable_attributes(&c);
        assert!(read.contains("email") && read.contains("email_verified"));
        assert!(read.contains("phone_number_verified") && read.contains("sub"));
        assert!(!read.contains("custom:tier"));
        let write = writable_attributes(&pool(), &c);
        assert!(write.contains("email") && write.contains("name"));
        assert!(!write.contains("email_verified"));
        assert!(!write.contains("sub"));
        assert!(!write.contains("custom:tier"));
    }

    #[test]
    fn named_lists_are_exact_plus_sub_and_required() {
        let c = client(Some(&["email", "custom:tier"]), Some(&["custom:tier"]));
        let read = readable_attributes(&c);
        assert_eq!(
            read.into_iter().collect::<Vec<_>>(),
            vec!["custom:tier", "email", "sub"]
        );
        let write = writable_attributes(&pool(), &c);
        assert_eq!(
            write.into_iter().collect::<Vec<_>>(),
            vec!["custom:tier", "family_name"]
        );
    }

    #[test]
    fn unauthorized_writes_are_refused() {
        let c = client(None, Some(&["name"]));
        assert!(check_writable(&pool(), &c, ["name", "family_name"]).is_ok());
        let err = check_writable(&pool(), &c, ["name", "email"]).unwrap_err();
        assert_eq!(err.kind, ErrorKind::NotAuthorizedException);
        assert_eq!(
            err.message,
            "A client attempted to write unauthorized attribute"
        );
    }
}
