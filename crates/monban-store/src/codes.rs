//! `CodeStore`: confirmation codes, one per user and purpose.

use async_trait::async_trait;
use monban_core::entities::ConfirmationCode;
use monban_core::store::{CodeStore, StoreError, StoreResult};
use sqlx::any::AnyRow;
use sqlx::query;

use crate::codec::column_value;
use crate::error::{on_write, unavailable};
use crate::SqlStore;

const COLUMNS: &str =
    "pool_id, sub, purpose, code_hash, created_ms, expires_ms, failed_attempts, data";

fn code_from_row(row: &AnyRow) -> StoreResult<ConfirmationCode> {
    Ok(ConfirmationCode {
        pool_id: column_value(row, "pool_id")?,
        sub: column_value(row, "sub")?,
        purpose: column_value(row, "purpose")?,
        code_hash: column_value(row, "code_hash")?,
        created_ms: column_value(row, "created_ms")?,
        expires_ms: column_value(row, "expires_ms")?,
        failed_attempts: column_value(row, "failed_attempts")?,
        data: column_value(row, "data")?,
    })
}

#[async_trait]
impl CodeStore for SqlStore {
    /// `NotFound` if the user is gone.
    async fn put_code(&self, code: &ConfirmationCode) -> StoreResult<()> {
        let sql = format!(
            "INSERT INTO confirmation_codes ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (pool_id, sub, purpose) DO UPDATE SET \
             code_hash = excluded.code_hash, created_ms = excluded.created_ms, \
             expires_ms = excluded.expires_ms, failed_attempts = excluded.failed_attempts, \
             data = excluded.data"
        );
        query(&sql)
            .bind(&code.pool_id)
            .bind(&code.sub)
            .bind(&code.purpose)
            .bind(&code.code_hash)
            .bind(code.created_ms)
            .bind(code.expires_ms)
            .bind(code.failed_attempts)
            .bind(&code.data)
            .execute(&self.pool)
            .await
            .map_err(|e| on_write(e, || format!("code:{}", code.purpose)))?;
        Ok(())
    }

    async fn get_code(
        &self,
        pool_id: &str,
        sub: &str,
        purpose: &str,
    ) -> StoreResult<Option<ConfirmationCode>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM confirmation_codes \
             WHERE pool_id = $1 AND sub = $2 AND purpose = $3"
        );
        let row = query(&sql)
            .bind(pool_id)
            .bind(sub)
            .bind(purpose)
            .fetch_optional(self.reader())
            .await
            .map_err(unavailable)?;
        row.as_ref().map(code_from_row).transpose()
    }

    async fn record_code_failure(
        &self,
        pool_id: &str,
        sub: &str,
        purpose: &str,
    ) -> StoreResult<i64> {
        let row = query(
            "UPDATE confirmation_codes SET failed_attempts = failed_attempts + 1 \
             WHERE pool_id = $1 AND sub = $2 AND purpose = $3 RETURNING failed_attempts",
        )
        .bind(pool_id)
        .bind(sub)
        .bind(purpose)
        .fetch_optional(&self.pool)
        .await
        .map_err(unavailable)?
        .ok_or(StoreError::NotFound)?;
        column_value(&row, "failed_attempts")
    }

    async fn delete_code(&self, pool_id: &str, sub: &str, purpose: &str) -> StoreResult<bool> {
        let done = query(
            "DELETE FROM confirmation_codes WHERE pool_id = $1 AND sub = $2 AND purpose = $3",
        )
        .bind(pool_id)
        .bind(sub)
        .bind(purpose)
        .execute(&self.pool)
        .await
        .map_err(unavailable)?;
        Ok(done.rows_affected() > 0)
    }
}
