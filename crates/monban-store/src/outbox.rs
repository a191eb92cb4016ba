//! `OutboxStore`: mail kept in the database when no SMTP server is configured.

use async_trait::async_trait;
use monban_core::mail::{Email, OutboxMessage};
use monban_core::store::{OutboxStore, StoreResult};
use sqlx::any::AnyRow;
use sqlx::query;

use crate::codec::{column_value, limit};
use crate::error::unavailable;
use crate::SqlStore;

fn message_from_row(row: &AnyRow) -> StoreResult<OutboxMessage> {
    Ok(OutboxMessage {
        id: column_value(row, "id")?,
        created_ms: column_value(row, "created_ms")?,
        email: Email {
            pool_id: column_value(row, "pool_id")?,
            to: column_value(row, "to_addr")?,
            from: column_value(row, "from_addr")?,
            reply_to: column_value(row, "reply_to")?,
            subject: column_value(row, "subject")?,
            body: column_value(row, "body")?,
        },
    })
}

#[async_trait]
impl OutboxStore for SqlStore {
    async fn insert_outbox(&self, created_ms: i64, email: &Email) -> StoreResult<i64> {
        let row = query(
            "INSERT INTO outbox (created_ms, pool_id, to_addr, from_addr, reply_to, subject, body) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(created_ms)
        .bind(email.pool_id.as_deref())
        .bind(&email.to)
        .bind(&email.from)
        .bind(email.reply_to.as_deref())
        .bind(&email.subject)
        .bind(&email.body)
        .fetch_one(&self.pool)
        .await
        .map_err(unavailable)?;
        column_value(&row, "id")
    }

    /// On PostgreSQL ids are handed out before commit, so a message whose transaction
    /// commits late can land behind a reader's `after_id`; fine for a developer's outbox.
    async fn list_outbox(
        &self,
        after_id: Option<i64>,
        page: usize,
    ) -> StoreResult<Vec<OutboxMessage>> {
        let columns = "id, created_ms, pool_id, to_addr, from_addr, reply_to, subject, body";
        let rows = match after_id {
            Some(after_id) => {
                let sql =
                    format!("SELECT {columns} FROM outbox WHERE id > $2 ORDER BY id LIMIT $1");
                query(&sql)
                    .bind(limit(page))
                    .bind(after_id)
                    .fetch_all(&self.pool)
                    .await
            }
            None => {
                let sql = format!("SELECT {columns} FROM outbox ORDER BY id LIMIT $1");
                query(&sql).bind(limit(page)).fetch_all(&self.pool).await
            }
        }
        .map_err(unavailable)?;
        rows.iter().map(message_from_row).collect()
    }
}
