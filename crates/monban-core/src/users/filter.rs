//! The ListUsers `Filter`: `attribute = "value"` (exact) or `attribute ^= "value"`
//! (prefix), the value in double quotes with `\"` for a quote inside. Empty means all users.

use crate::entities::{FilterAttribute, UserFilter};
use crate::error::Error;

/// The model's limit on the filter string.
const MAX_FILTER_LENGTH: usize = 256;

const FILTERABLE: &str = "username, email, phone_number, name, given_name, family_name, \
                          preferred_username, cognito:user_status, status, sub";

fn syntax(why: &str) -> Error {
    Error::invalid_parameter(format!(
        "Error while parsing filter: {why}. Expected attribute = \"value\" or attribute ^= \"value\"."
    ))
}

/// Parses a filter; `None` when it is absent or blank.
pub fn parse_filter(filter: Option<&str>) -> Result<Option<UserFilter>, Error> {
    let Some(text) = filter.map(str::trim).filter(|f| !f.is_empty()) else {
        return Ok(None);
    };
    if text.chars().count() > MAX_FILTER_LENGTH {
        return Err(Error::invalid_parameter(format!(
            "The filter is longer than {MAX_FILTER_LENGTH} characters."
        )));
    }
    let name_end = text
        .find(|c: char| c.is_whitespace() || c == '=' || c == '^' || c == '"')
        .unwrap_or(text.len());
    let (name, rest) = text.split_at(name_end);
    if name.is_empty() {
        return Err(syntax("no attribute name"));
    }
    let rest = rest.trim_start();
    let (prefix, rest) = if let Some(rest) = rest.strip_prefix("^=") {
        (true, rest)
    } else if let Some(rest) = rest.strip_prefix('=') {
        (false, rest)
    } else {
        return Err(syntax("the operator must be = or ^="));
    };
    let rest = rest.trim_start();
    let Some(quoted) = rest.strip_prefix('"') else {
        return Err(syntax("the value must be in double quotes"));
    };
    let mut value = String::new();
    let mut chars = quoted.chars();
    let mut closed = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(escaped) => value.push(escaped),
                None => break,
            },
            '"' => {
                closed = true;
                break;
            }
            other => value.push(other),
        }
    }
    if !closed {
        return Err(syntax("the value's closing quote is missing"));
    }
    if !chars.as_str().trim().is_empty() {
        return Err(syntax("only one attribute can be searched"));
    }
    let attribute = FilterAttribute::parse(name).ok_or_else(|| {
        Error::invalid_parameter(format!(
            "Invalid search attribute: {name}. ListUsers can filter on {FILTERABLE}."
        ))
    })?;
    // Statuses are stored in upper case and compared without regard to case.
    if attribute == FilterAttribute::UserStatus {
        value = value.to_uppercase();
    }
    Ok(Some(UserFilter {
        attribute,
        prefix,
        value,
    }))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn parse(text: &str) -> UserFilter {
        parse_filter(Some(text)).unwrap().unwrap()
    }

    fn error(text: &str) -> String {
        parse_filter(Some(text)).unwrap_err().message
    }

    #[test]
    fn exact_and_prefix() {
        assert_eq!(
            parse("email = \"a@example.com\""),
            UserFilter {
                attribute: FilterAttribute::Email,
                prefix: false,
                value: "a@example.com".to_owned()
            }
        );
        let f = parse("given_name ^= \"Jo\"");
        assert!(f.prefix);
        assert_eq!(f.attribute, FilterAttribute::GivenName);
        assert_eq!(f.value, "Jo");
        // Spaces around the operator are optional.
        assert_eq!(parse("username=\"bob\"").value, "bob");
        assert_eq!(
            parse("  family_name^=\"R\"  ").attribute,
            FilterAttribute::FamilyName
        );
    }

    #[test]
    fn escapes_and_empty_values() {
        assert_eq!(parse(r#"name = "say \"hi\"""#).value, "say \"hi\"");
        assert_eq!(parse(r#"name = "back\\slash""#).value, "back\\slash");
        assert_eq!(parse("name = \"\"").value, "");
    }

    #[test]
    fn statuses() {
        let f = parse("cognito:user_status = \"force_change_password\"");
        assert_eq!(f.attribute, FilterAttribute::UserStatus);
        assert_eq!(f.value, "FORCE_CHANGE_PASSWORD");
        let f = parse("status = \"Enabled\"");
        assert_eq!(f.attribute, FilterAttribute::Status);
        assert_eq!(f.value, "Enabled");
    }

    #[test]
    fn blank_means_all() {
        assert_eq!(parse_filter(None).unwrap(), None);
        assert_eq!(parse_filter(Some("")).unwrap(), None);
        assert_eq!(parse_filter(Some("   ")).unwrap(), None);
    }

    #[test]
    fn rejects_what_cognito_cannot_search() {
        assert!(error("custom:team = \"red\"").contains("Invalid search attribute: custom:team"));
        assert!(error("locale = \"en\"").contains("Invalid search attribute"));
        assert!(error("email \"a\"").contains("operator"));
        assert!(error("email == \"a\"").contains("double quotes"));
        assert!(error("email = a").contains("double quotes"));
        assert!(error("email = \"a").contains("closing quote"));
        assert!(error("email = \"a\" and name = \"b\"").contains("one attribute"));
        assert!(error("= \"a\"").contains("no attribute name"));
        let long = format!("email = \"{}\"", "a".repeat(260));
        assert!(error(&long).contains("256"));
    }
}
