//! Values as columns hold them: JSON documents as TEXT, booleans as 0/1.

use monban_core::store::StoreError;
use serde::de::DeserializeOwned;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::error::{corrupt, unavailable};

pub(crate) fn to_json<T: Serialize>(what: &str, value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value)
        .map_err(|e| StoreError::Unavailable(format!("cannot encode {what}: {e}")))
}

pub(crate) fn json_column<T: DeserializeOwned>(
    row: &AnyRow,
    column: &str,
) -> Result<T, StoreError> {
    let text: String = column_value(row, column)?;
    serde_json::from_str(&text).map_err(|e| corrupt(column, e))
}

pub(crate) fn column_value<'r, T>(row: &'r AnyRow, column: &str) -> Result<T, StoreError>
where
    T: sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
{
    row.try_get(column).map_err(unavailable)
}

pub(crate) fn bool_column(row: &AnyRow, column: &str) -> Result<bool, StoreError> {
    Ok(column_value::<i64>(row, column)? != 0)
}

pub(crate) fn bool_value(value: bool) -> i64 {
    i64::from(value)
}

/// A page size as SQL's LIMIT takes it.
pub(crate) fn limit(limit: usize) -> i64 {
    i64::try_from(limit).unwrap_or(i64::MAX)
}

/// `AND <column> > $<param>` when a list resumes after a key; nothing for the first page.
/// The caller binds the key as parameter `param`.
pub(crate) fn after_condition(after: Option<&str>, column: &str, param: usize) -> String {
    match after {
        Some(_) => format!("AND {column} > ${param}"),
        None => String::new(),
    }
}
