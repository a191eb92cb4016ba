//! User attributes written through the API, checked against the pool's schema before
//! anything is stored: unknown names, system attributes, immutability, formats (email,
//! E.164 phone numbers, booleans, numbers) and length constraints.

use std::collections::BTreeMap;

use monban_wire::idp::{AttributeDataType, AttributeType, SchemaAttributeType};

use crate::entities::UserPool;
use crate::error::Error;
use crate::pool_config;

/// Attributes that Cognito maintains itself: never written through the user APIs.
pub const SYSTEM_ATTRIBUTES: &[&str] = &["sub", "identities"];

/// Built-in flags every pool has, whether or not its schema lists them.
const VERIFIED_FLAGS: &[&str] = &["email_verified", "phone_number_verified"];

/// What a value of one attribute must satisfy, from its schema entry.
#[derive(Debug, Clone, PartialEq)]
struct AttributeRule {
    name: String,
    data_type: AttributeDataType,
    mutable: bool,
    required: bool,
    min_length: Option<usize>,
    max_length: Option<usize>,
    min_value: Option<f64>,
    max_value: Option<f64>,
}

impl AttributeRule {
    fn from_schema(name: &str, entry: &SchemaAttributeType) -> Self {
        let strings = entry.string_attribute_constraints.as_ref();
        let numbers = entry.number_attribute_constraints.as_ref();
        let parse_len = |v: Option<&String>| v.and_then(|v| v.trim().parse::<usize>().ok());
        let parse_num = |v: Option<&String>| v.and_then(|v| v.trim().parse::<f64>().ok());
        let data_type = entry
            .attribute_data_type
            .unwrap_or(AttributeDataType::String);
        let is_string = data_type == AttributeDataType::String;
        Self {
            name: name.to_owned(),
            data_type,
            mutable: entry.mutable.unwrap_or(true),
            required: entry.required.unwrap_or(false),
            min_length: parse_len(strings.and_then(|s| s.min_length.as_ref())),
            // Cognito caps every string value at 2048 characters.
            max_length: parse_len(strings.and_then(|s| s.max_length.as_ref()))
                .or(is_string.then_some(2048)),
            min_value: parse_num(numbers.and_then(|n| n.min_value.as_ref())),
            max_value: parse_num(numbers.and_then(|n| n.max_value.as_ref())),
        }
    }
}

/// The rule for attribute `name`, or `None` if the pool has no such attribute.
fn attribute_rule(pool: &UserPool, name: &str) -> Option<AttributeRule> {
    match pool_config::schema_attribute(pool, name) {
        Some(entry) => Some(AttributeRule::from_schema(name, &entry)),
        None if VERIFIED_FLAGS.contains(&name) => Some(AttributeRule::from_schema(
            name,
            &SchemaAttributeType {
                attribute_data_type: Some(AttributeDataType::Boolean),
                ..Default::default()
            },
        )),
        None => None,
    }
}

/// The attributes the pool requires (`sub` aside, which Cognito always sets).
fn required_attributes(pool: &UserPool) -> Vec<String> {
    pool_config::schema(pool)
        .iter()
        .filter(|entry| entry.required == Some(true))
        .filter_map(|entry| entry.name.clone())
        .filter(|name| !SYSTEM_ATTRIBUTES.contains(&name.as_str()))
        .collect()
}

/// Which operation writes the attributes: immutable attributes may only be given at
/// creation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttributeWrite {
    Create,
    Update,
}

/// Validated writes by attribute name: `Some(value)` sets, `None` deletes (an update with a
/// blank value deletes the attribute, as in Cognito).
pub type AttributeChanges = BTreeMap<String, Option<String>>;

/// `local@domain`, without spaces: Cognito accepts any address of that shape.
pub fn is_email(value: &str) -> bool {
    let mut parts = value.split('@');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(local), Some(domain), None) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !value.chars().any(char::is_whitespace)
        }
        _ => false,
    }
}

/// E.164: a `+` and then digits only (at most 15 of them).
pub fn is_phone_number(value: &str) -> bool {
    value.strip_prefix('+').is_some_and(|digits| {
        (1..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
    })
}

fn schema_error(problems: &[String]) -> Error {
    let mut message = "Attributes did not conform to the schema: ".to_owned();
    for problem in problems {
        message.push_str(problem);
        message.push('\n');
    }
    Error::invalid_parameter(message)
}

/// Why a value was refused: a line of the schema report, or an error of its own.
enum Problem {
    Schema(String),
    Own(Error),
}

/// Checks one value against its rule; returns the value as stored (booleans lowercased).
fn check_value(rule: &AttributeRule, value: &str) -> Result<String, Problem> {
    let name = &rule.name;
    if name == "email" && !is_email(value) {
        return Err(Problem::Own(Error::invalid_parameter(
            "Invalid email address format.",
        )));
    }
    if name == "phone_number" && !is_phone_number(value) {
        return Err(Problem::Own(Error::invalid_parameter(
            "Invalid phone number format.",
        )));
    }
    match rule.data_type {
        AttributeDataType::Boolean => {
            if value.eq_ignore_ascii_case("true") || value.eq_ignore_ascii_case("false") {
                return Ok(value.to_ascii_lowercase());
            }
            return Err(Problem::Schema(format!(
                "{name}: The attribute value must be true or false."
            )));
        }
        AttributeDataType::Number => {
            let Ok(number) = value.trim().parse::<f64>() else {
                return Err(Problem::Schema(format!(
                    "{name}: The attribute value must be a number."
                )));
            };
            if let Some(min) = rule.min_value.filter(|min| number < *min) {
                return Err(Problem::Schema(format!(
                    "{name}: Number must be no less than {min}."
                )));
            }
            if let Some(max) = rule.max_value.filter(|max| number > *max) {
                return Err(Problem::Schema(format!(
                    "{name}: Number must be no greater than {max}."
                )));
            }
        }
        AttributeDataType::String | AttributeDataType::DateTime => {
            let length = value.chars().count();
            if let Some(min) = rule.min_length.filter(|min| length < *min) {
                return Err(Problem::Schema(format!(
                    "{name}: String must be no shorter than {min} characters."
                )));
            }
            if let Some(max) = rule.max_length.filter(|max| length > *max) {
                return Err(Problem::Schema(format!(
                    "{name}: String must be no longer than {max} characters."
                )));
            }
        }
    }
    Ok(value.to_owned())
}

/// Validates attributes given to AdminCreateUser / SignUp (`Create`) or
/// AdminUpdateUserAttributes (`Update`). At creation an attribute without a value is ignored.
pub fn validate_writes(
    pool: &UserPool,
    attributes: &[AttributeType],
    write: AttributeWrite,
) -> Result<AttributeChanges, Error> {
    let mut problems = Vec::new();
    let mut changes = AttributeChanges::new();
    for attribute in attributes {
        let name = attribute.name.as_str();
        if SYSTEM_ATTRIBUTES.contains(&name) {
            return Err(match write {
                AttributeWrite::Update => cannot_update(name),
                AttributeWrite::Create => Error::invalid_parameter(format!(
                    "Attributes did not conform to the schema: {name}: The attribute is set by \
                     Cognito and cannot be written.\n"
                )),
            });
        }
        let Some(rule) = attribute_rule(pool, name) else {
            problems.push(format!("{name}: Attribute does not exist in the schema."));
            continue;
        };
        if write == AttributeWrite::Update && !rule.mutable {
            return Err(cannot_update(name));
        }
        let value = attribute.value.as_deref().unwrap_or_default();
        if value.is_empty() {
            match write {
                AttributeWrite::Create => continue,
                AttributeWrite::Update if rule.required => {
                    return Err(required_cannot_be_deleted(name))
                }
                AttributeWrite::Update => {
                    changes.insert(name.to_owned(), None);
                    continue;
                }
            }
        }
        match check_value(&rule, value) {
            Ok(stored) => {
                changes.insert(name.to_owned(), Some(stored));
            }
            Err(Problem::Schema(problem)) => problems.push(problem),
            Err(Problem::Own(error)) => return Err(error),
        }
    }
    if problems.is_empty() {
        Ok(changes)
    } else {
        Err(schema_error(&problems))
    }
}

/// Validates the names given to AdminDeleteUserAttributes.
pub fn validate_deletes(pool: &UserPool, names: &[String]) -> Result<Vec<String>, Error> {
    let mut problems = Vec::new();
    for name in names {
        if SYSTEM_ATTRIBUTES.contains(&name.as_str()) {
            return Err(cannot_update(name));
        }
        match attribute_rule(pool, name) {
            None => problems.push(format!("{name}: Attribute does not exist in the schema.")),
            Some(rule) if rule.required => return Err(required_cannot_be_deleted(name)),
            Some(rule) if !rule.mutable => return Err(cannot_update(name)),
            Some(_) => {}
        }
    }
    if problems.is_empty() {
        Ok(names.to_vec())
    } else {
        Err(schema_error(&problems))
    }
}

/// Fails when a required attribute of the pool is missing (sign-up).
pub fn check_required(pool: &UserPool, attributes: &BTreeMap<String, String>) -> Result<(), Error> {
    let missing: Vec<String> = required_attributes(pool)
        .into_iter()
        .filter(|name| attributes.get(name).is_none_or(|v| v.is_empty()))
        .map(|name| format!("{name}: The attribute is required"))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(schema_error(&missing))
    }
}

fn cannot_update(name: &str) -> Error {
    Error::invalid_parameter(format!("user.{name}: Attribute cannot be updated."))
}

fn required_cannot_be_deleted(name: &str) -> Error {
    Error::invalid_parameter(format!(
        "user.{name}: Required attribute cannot be deleted."
    ))
}

/// Applies validated changes. Removing `email` / `phone_number` also removes its
/// verification flag: a flag without a value means nothing.
pub fn apply(attributes: &mut BTreeMap<String, String>, changes: &AttributeChanges) {
    for (name, value) in changes {
        match value {
            Some(value) => {
                attributes.insert(name.clone(), value.clone());
            }
            None => {
                attributes.remove(name);
                if name == "email" || name == "phone_number" {
                    attributes.remove(&format!("{name}_verified"));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use monban_wire::idp::{NumberAttributeConstraintsType, StringAttributeConstraintsType};
    use monban_wire::ErrorKind;

    use super::*;
    use crate::pool_config::standard_schema;
    use crate::users::test_support::pool_with_schema;

    fn attr(name: &str, value: &str) -> AttributeType {
        AttributeType {
            name: name.to_owned(),
            value: Some(value.to_owned()),
        }
    }

    fn pool() -> UserPool {
        let mut schema = standard_schema();
        for entry in &mut schema {
            if entry.name.as_deref() == Some("email") {
                entry.required = Some(true);
            }
        }
        schema.extend([
            SchemaAttributeType {
                name: Some("custom:team".to_owned()),
                attribute_data_type: Some(AttributeDataType::String),
                string_attribute_constraints: Some(StringAttributeConstraintsType {
                    min_length: Some("2".to_owned()),
                    max_length: Some("4".to_owned()),
                }),
                mutable: Some(true),
                ..Default::default()
            },
            SchemaAttributeType {
                name: Some("custom:badge".to_owned()),
                attribute_data_type: Some(AttributeDataType::String),
                mutable: Some(false),
                ..Default::default()
            },
            SchemaAttributeType {
                name: Some("custom:level".to_owned()),
                attribute_data_type: Some(AttributeDataType::Number),
                number_attribute_constraints: Some(NumberAttributeConstraintsType {
                    min_value: Some("1".to_owned()),
                    max_value: Some("10".to_owned()),
                }),
                ..Default::default()
            },
        ]);
        pool_with_schema(schema)
    }

    fn message(result: Result<impl std::fmt::Debug, Error>) -> String {
        let err = result.unwrap_err();
        assert_eq!(err.kind, ErrorKind::InvalidParameterException);
        err.message
    }

    #[test]
    fn formats() {
        assert!(is_email("a@example.com"));
        assert!(!is_email("a@@example.com"));
        assert!(!is_email("a example@x.com"));
        assert!(!is_email("@example.com"));
        assert!(!is_email("alice"));
        assert!(is_phone_number("+14325551212"));
        assert!(!is_phone_number("14325551212"));
        assert!(!is_phone_number("+1 432 555"));
        assert!(!is_phone_number("+"));
        assert!(!is_phone_number("+1234567890123456"));
    }

    #[test]
    fn accepts_and_normalises_valid_writes() {
        let changes = validate_writes(
            &pool(),
            &[
                attr("email", "a@example.com"),
                attr("email_verified", "True"),
                attr("custom:team", "red"),
                attr("custom:level", "3"),
                attr("given_name", ""),
            ],
            AttributeWrite::Create,
        )
        .unwrap();
        assert_eq!(
            changes.get("email_verified"),
            Some(&Some("true".to_owned()))
        );
        assert_eq!(changes.get("custom:team"), Some(&Some("red".to_owned())));
        assert!(!changes.contains_key("given_name"));
    }

    #[test]
    fn lists_every_unknown_attribute() {
        let msg = message(validate_writes(
            &pool(),
            &[attr("custom:nope", "x"), attr("favorite", "y")],
            AttributeWrite::Create,
        ));
        assert_eq!(
            msg,
            "Attributes did not conform to the schema: custom:nope: Attribute does not exist \
             in the schema.\nfavorite: Attribute does not exist in the schema.\n"
        );
    }

    #[test]
    fn rejects_bad_values() {
        let write = |a: AttributeType| validate_writes(&pool(), &[a], AttributeWrite::Create);
        assert_eq!(
            message(write(attr("phone_number", "555-0100"))),
            "Invalid phone number format."
        );
        assert_eq!(
            message(write(attr("email", "not-an-email"))),
            "Invalid email address format."
        );
        assert!(message(write(attr("custom:team", "toolong"))).contains("no longer than 4"));
        assert!(message(write(attr("custom:team", "x"))).contains("no shorter than 2"));
        assert!(message(write(attr("custom:level", "11"))).contains("no greater than 10"));
        assert!(message(write(attr("custom:level", "ten"))).contains("must be a number"));
        assert!(message(write(attr("email_verified", "yes"))).contains("true or false"));
        assert!(message(write(attr("birthdate", "1990-1-1"))).contains("no shorter than 10"));
        assert!(message(write(attr("sub", "x"))).contains("sub"));
    }

    #[test]
    fn updates_respect_mutability_and_requiredness() {
        let update = |a: AttributeType| validate_writes(&pool(), &[a], AttributeWrite::Update);
        assert_eq!(
            message(update(attr("custom:badge", "gold"))),
            "user.custom:badge: Attribute cannot be updated."
        );
        assert_eq!(
            message(update(attr("sub", "x"))),
            "user.sub: Attribute cannot be updated."
        );
        assert_eq!(
            message(update(attr("email", ""))),
            "user.email: Required attribute cannot be deleted."
        );
        let changes = update(attr("given_name", "")).unwrap();
        assert_eq!(changes.get("given_name"), Some(&None));
        // Immutable attributes can be given at creation.
        assert!(validate_writes(
            &pool(),
            &[attr("custom:badge", "gold")],
            AttributeWrite::Create
        )
        .is_ok());
    }

    #[test]
    fn deletes_respect_requiredness() {
        assert_eq!(
            message(validate_deletes(&pool(), &["email".to_owned()])),
            "user.email: Required attribute cannot be deleted."
        );
        assert!(
            message(validate_deletes(&pool(), &["custom:nope".to_owned()]))
                .contains("does not exist")
        );
        assert!(validate_deletes(&pool(), &["given_name".to_owned()]).is_ok());
    }

    #[test]
    fn required_attributes_must_be_present() {
        let mut attributes = BTreeMap::new();
        assert_eq!(
            message(check_required(&pool(), &attributes)),
            "Attributes did not conform to the schema: email: The attribute is required\n"
        );
        attributes.insert("email".to_owned(), "a@example.com".to_owned());
        assert!(check_required(&pool(), &attributes).is_ok());
    }

    #[test]
    fn deleting_a_contact_drops_its_flag() {
        let mut attributes = BTreeMap::from([
            ("email".to_owned(), "a@example.com".to_owned()),
            ("email_verified".to_owned(), "true".to_owned()),
        ]);
        apply(
            &mut attributes,
            &BTreeMap::from([("email".to_owned(), None)]),
        );
        assert!(attributes.is_empty());
    }
}
