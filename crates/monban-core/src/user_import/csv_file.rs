//! Cognito's import file: a header of attribute names (GetCSVHeader's, in any order) and
//! one user a row. `cognito:username` names the user, `cognito:mfa_enabled` turns SMS MFA
//! on; every other column is an attribute of the pool's schema; an empty cell sets nothing.

use std::collections::BTreeSet;

use monban_wire::idp::AttributeType;

use crate::entities::UserPool;
use crate::pool_config::schema;

pub const USERNAME: &str = "cognito:username";
pub const MFA_ENABLED: &str = "cognito:mfa_enabled";

/// GetCSVHeader: the pool's attributes in schema order (all but `sub`, which Cognito
/// makes), then `cognito:mfa_enabled` and `cognito:username`.
pub fn csv_header(pool: &UserPool) -> Vec<String> {
    let mut header: Vec<String> = schema(pool)
        .iter()
        .filter_map(|a| a.name.clone())
        .filter(|name| name != "sub")
        .collect();
    header.push(MFA_ENABLED.to_owned());
    header.push(USERNAME.to_owned());
    header
}

/// One user of the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub line: i64,
    pub username: String,
    pub mfa_enabled: bool,
    pub attributes: Vec<AttributeType>,
}

/// A row that cannot become a user, with its line and (when it has one) its username.
#[derive(Debug, Clone, PartialEq)]
pub struct BadRow {
    pub line: i64,
    pub username: Option<String>,
    pub message: String,
}

/// Reads the file: `Err` (the whole job fails) for a header that is not the pool's, else
/// each row read or refused.
pub fn parse(pool: &UserPool, text: &str) -> Result<Vec<Result<Row, BadRow>>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| format!("The CSV file cannot be read: {e}"))?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    check_header(pool, &header)?;
    let mut rows = Vec::new();
    for (index, record) in reader.records().enumerate() {
        // Line numbers count from the header (line 1); a cell may span lines.
        let fallback = i64::try_from(index).unwrap_or(i64::MAX).saturating_add(2);
        let row = match record {
            Ok(record) => {
                let line = record
                    .position()
                    .and_then(|p| i64::try_from(p.line()).ok())
                    .unwrap_or(fallback);
                read_row(&header, &record, line)
            }
            Err(e) => Err(BadRow {
                line: e
                    .position()
                    .and_then(|p| i64::try_from(p.line()).ok())
                    .unwrap_or(fallback),
                username: None,
                message: format!("The row cannot be read: {}", short_csv_error(&e)),
            }),
        };
        rows.push(row);
    }
    Ok(rows)
}

fn short_csv_error(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("it has {len} fields where the header has {expected_len}."),
        csv::ErrorKind::Utf8 { .. } => "it is not valid UTF-8.".to_owned(),
        _ => "it is not valid CSV.".to_owned(),
    }
}

fn check_header(pool: &UserPool, header: &[String]) -> Result<(), String> {
    let known: BTreeSet<String> = csv_header(pool).into_iter().collect();
    let mut seen = BTreeSet::new();
    for column in header {
        if !known.contains(column) {
            return Err(format!(
                "The CSV header has a column that is not an attribute of the user pool: {column}"
            ));
        }
        if !seen.insert(column.as_str()) {
            return Err(format!("The CSV header names {column} twice."));
        }
    }
    for required in [USERNAME, MFA_ENABLED] {
        if !seen.contains(required) {
            return Err(format!("The CSV header has no {required} column."));
        }
    }
    Ok(())
}

/// `true` / `false` in any case; empty is false.
fn flag(value: &str) -> Option<bool> {
    match value.to_ascii_lowercase().as_str() {
        "" | "false" => Some(false),
        "true" => Some(true),
        _ => None,
    }
}

fn read_row(header: &[String], record: &csv::StringRecord, line: i64) -> Result<Row, BadRow> {
    let mut username = None;
    let mut mfa = "";
    let mut attributes = Vec::new();
    for (column, value) in header.iter().zip(record.iter()) {
        match column.as_str() {
            USERNAME => username = Some(value.trim().to_owned()).filter(|u| !u.is_empty()),
            MFA_ENABLED => mfa = value.trim(),
            _ if value.is_empty() => {}
            name => {
                let value = match name {
                    "email_verified" | "phone_number_verified" => value.trim().to_lowercase(),
                    _ => value.to_owned(),
                };
                attributes.push(AttributeType {
                    name: name.to_owned(),
                    value: Some(value),
                });
            }
        }
    }
    let bad = |username: Option<String>, message: String| BadRow {
        line,
        username,
        message,
    };
    let Some(username) = username else {
        return Err(bad(None, format!("{USERNAME} is required.")));
    };
    let Some(mfa_enabled) = flag(mfa) else {
        return Err(bad(
            Some(username),
            format!("{MFA_ENABLED} must be true or false."),
        ));
    };
    Ok(Row {
        line,
        username,
        mfa_enabled,
        attributes,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::pool_config::standard_schema;
    use crate::users::test_support::pool_with_schema;

    fn pool() -> UserPool {
        pool_with_schema(standard_schema())
    }

    #[test]
    fn header_is_the_schema_then_cognito_columns() {
        let header = csv_header(&pool());
        assert!(!header.contains(&"sub".to_owned()));
        assert_eq!(header[0], "name");
        assert!(header.contains(&"email_verified".to_owned()));
        assert_eq!(
            &header[header.len() - 2..],
            &["cognito:mfa_enabled", "cognito:username"]
        );
    }

    #[test]
    fn rows_are_read_in_any_column_order() {
        let text = "email,cognito:username,email_verified,cognito:mfa_enabled,name\n\
                    a@example.com,alice,TRUE,false,\n\
                    ,bob,,,\"Bob, Jr.\"\n";
        let rows = parse(&pool(), text).unwrap();
        let alice = rows[0].clone().unwrap();
        assert_eq!((alice.line, alice.username.as_str()), (2, "alice"));
        assert_eq!(alice.attributes.len(), 2);
        assert_eq!(alice.attributes[1].value.as_deref(), Some("true"));
        let bob = rows[1].clone().unwrap();
        assert_eq!(bob.attributes[0].value.as_deref(), Some("Bob, Jr."));
    }

    #[test]
    fn bad_rows_are_reported_by_line() {
        let text = "cognito:username,cognito:mfa_enabled,email\n\
                    ,false,a@example.com\n\
                    carol,maybe,\n\
                    dave,false\n\
                    erin,false,e@example.com\n";
        let rows = parse(&pool(), text).unwrap();
        let lines: Vec<(i64, bool)> = rows
            .iter()
            .map(|r| match r {
                Ok(row) => (row.line, true),
                Err(bad) => (bad.line, false),
            })
            .collect();
        assert_eq!(lines, [(2, false), (3, false), (4, false), (5, true)]);
        assert_eq!(
            rows[1].clone().unwrap_err().username.as_deref(),
            Some("carol")
        );
    }

    #[test]
    fn a_foreign_or_incomplete_header_fails_the_job() {
        assert!(parse(&pool(), "cognito:username,cognito:mfa_enabled,shoe_size\n").is_err());
        assert!(parse(&pool(), "cognito:username,email\n").is_err());
        assert!(parse(
            &pool(),
            "cognito:username,cognito:mfa_enabled,email,email\n"
        )
        .is_err());
    }
}
