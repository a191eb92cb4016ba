//! `SmsOutboxStore`: text messages kept in the database when no SMS webhook is configured.

use async_trait::async_trait;
use monban_core::sms::{Sms, SmsOutboxMessage};
use monban_core::store::{SmsOutboxStore, StoreResult};
use sqlx::any::AnyRow;
use sqlx::query;

use crate::codec::{column_value, limit};
use crate::error::unavailable;
use crate::SqlStore;

fn message_from_row(row: &AnyRow) -> StoreResult<SmsOutboxMessage> {
    Ok(SmsOutboxMessage {
        id: column_value(row, "id")?,
        created_ms: column_value(row, "created_ms")?,
        sms: Sms {
            pool_id: column_value(row, "pool_id")?,
            to: column_value(row, "to_number")?,
            body: column_value(row, "body")?,
        },
    })
}

#[async_trait]
impl SmsOutboxStore for SqlStore {
    async fn insert_sms(&self, created_ms: i64, sms: &Sms) -> StoreResult<i64> {
        let row = query(
            "INSERT INTO sms_outbox (created_ms, pool_id, to_number, body) \
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(created_ms)
        .bind(sms.pool_id.as_deref())
        .bind(&sms.to)
        .bind(&sms.body)
        .fetch_one(&self.pool)
        .await
        .map_err(unavailable)?;
        column_value(&row, "id")
    }

    async fn list_sms(
        &self,
        after_id: Option<i64>,
        page: usize,
    ) -> StoreResult<Vec<SmsOutboxMessage>> {
        let columns = "id, created_ms, pool_id, to_number, body";
        let sql = format!("SELECT {columns} FROM sms_outbox WHERE id > $2 ORDER BY id LIMIT $1");
        let rows = query(&sql)
            .bind(limit(page))
            .bind(after_id.unwrap_or(0))
            .fetch_all(&self.pool)
            .await
            .map_err(unavailable)?;
        rows.iter().map(message_from_row).collect()
    }
}
