//! `DecoyStore`: failure counts of names a pool does not have, one row per name and purpose.

use async_trait::async_trait;
use monban_core::decoy_store::{DecoyAttempts, DecoyStore};
use monban_core::store::StoreResult;
use sqlx::any::AnyRow;
use sqlx::query;

use crate::codec::column_value;
use crate::error::{on_write, unavailable};
use crate::SqlStore;

const COLUMNS: &str = "pool_id, name, purpose, failures, last_failure_ms, expires_ms";

fn attempts_from_row(row: &AnyRow) -> StoreResult<DecoyAttempts> {
    Ok(DecoyAttempts {
        pool_id: column_value(row, "pool_id")?,
        name: column_value(row, "name")?,
        purpose: column_value(row, "purpose")?,
        failures: column_value(row, "failures")?,
        last_failure_ms: column_value(row, "last_failure_ms")?,
        expires_ms: column_value(row, "expires_ms")?,
    })
}

#[async_trait]
impl DecoyStore for SqlStore {
    async fn get_decoy_attempts(
        &self,
        pool_id: &str,
        name: &str,
        purpose: &str,
        now_ms: i64,
    ) -> StoreResult<Option<DecoyAttempts>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM decoy_attempts \
             WHERE pool_id = $1 AND name = $2 AND purpose = $3 AND expires_ms > $4"
        );
        let row = query(&sql)
            .bind(pool_id)
            .bind(name)
            .bind(purpose)
            .bind(now_ms)
            .fetch_optional(self.reader())
            .await
            .map_err(unavailable)?;
        row.as_ref().map(attempts_from_row).transpose()
    }

    async fn put_decoy_attempts(&self, a: &DecoyAttempts) -> StoreResult<()> {
        let sql = format!(
            "INSERT INTO decoy_attempts ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (pool_id, name, purpose) DO UPDATE SET \
             failures = excluded.failures, last_failure_ms = excluded.last_failure_ms, \
             expires_ms = excluded.expires_ms"
        );
        query(&sql)
            .bind(&a.pool_id)
            .bind(&a.name)
            .bind(&a.purpose)
            .bind(a.failures)
            .bind(a.last_failure_ms)
            .bind(a.expires_ms)
            .execute(&self.pool)
            .await
            .map_err(|e| on_write(e, || format!("decoy:{}", a.purpose)))?;
        Ok(())
    }

    async fn purge_decoy_attempts(&self, pool_id: &str, now_ms: i64) -> StoreResult<u64> {
        let done = query("DELETE FROM decoy_attempts WHERE pool_id = $1 AND expires_ms <= $2")
            .bind(pool_id)
            .bind(now_ms)
            .execute(&self.pool)
            .await
            .map_err(unavailable)?;
        Ok(done.rows_affected())
    }
}
