//! `ResetStore`: empties the database for development mode's reset. The tables are read
//! from the catalog rather than listed here, so a table added by a later migration is
//! emptied too; only the migration history is kept.

use async_trait::async_trait;
use monban_core::store::{ResetStore, StoreResult};
use sqlx::{query, Any, Executor, Transaction};

use crate::codec::column_value;
use crate::dialect::Dialect;
use crate::error::unavailable;
use crate::SqlStore;

/// Tables that survive a reset.
const KEPT: &[&str] = &["_sqlx_migrations"];

/// `name` as a quoted SQL identifier (the same rule on both backends).
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

async fn table_names(
    tx: &mut Transaction<'static, Any>,
    dialect: Dialect,
) -> StoreResult<Vec<String>> {
    let sql = match dialect {
        Dialect::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
        }
        Dialect::Postgres => {
            "SELECT CAST(table_name AS TEXT) AS name FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        }
    };
    let rows = query(sql).fetch_all(&mut **tx).await.map_err(unavailable)?;
    let mut names = Vec::with_capacity(rows.len());
    for row in &rows {
        let name: String = column_value(row, "name")?;
        if !KEPT.contains(&name.as_str()) {
            names.push(name);
        }
    }
    names.sort();
    Ok(names)
}

#[async_trait]
impl ResetStore for SqlStore {
    async fn reset_all(&self) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let tables = table_names(&mut tx, self.dialect).await?;
        match self.dialect {
            Dialect::Sqlite => {
                // Checked at commit, when nothing is left to point at anything: the order
                // of the deletes does not matter.
                tx.execute("PRAGMA defer_foreign_keys = ON")
                    .await
                    .map_err(unavailable)?;
                for table in &tables {
                    let sql = format!("DELETE FROM {}", quoted(table));
                    tx.execute(sql.as_str()).await.map_err(unavailable)?;
                }
                // Outbox ids start again at 1, as on a fresh database.
                let has_sequence: Option<i64> =
                    query("SELECT 1 AS found FROM sqlite_master WHERE name = 'sqlite_sequence'")
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(unavailable)?
                        .map(|row| column_value(&row, "found"))
                        .transpose()?;
                if has_sequence.is_some() {
                    tx.execute("DELETE FROM sqlite_sequence")
                        .await
                        .map_err(unavailable)?;
                }
            }
            Dialect::Postgres if !tables.is_empty() => {
                let list: Vec<String> = tables.iter().map(|t| quoted(t)).collect();
                let sql = format!("TRUNCATE {} RESTART IDENTITY CASCADE", list.join(", "));
                tx.execute(sql.as_str()).await.map_err(unavailable)?;
            }
            Dialect::Postgres => {}
        }
        let committed = tx.commit().await.map_err(unavailable);
        self.cache.clear();
        committed
    }
}

#[cfg(test)]
mod tests {
    use super::quoted;

    #[test]
    fn identifiers_are_quoted() {
        assert_eq!(quoted("outbox"), "\"outbox\"");
        assert_eq!(quoted("we\"ird"), "\"we\"\"ird\"");
    }
}
