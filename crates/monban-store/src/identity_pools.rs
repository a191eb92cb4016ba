//! `IdentityPoolStore`: the `identity_pools` table.

use async_trait::async_trait;
use monban_core::entities::IdentityPool;
use monban_core::store::{IdentityPoolStore, StoreError, StoreResult};
use sqlx::any::AnyRow;
use sqlx::query;

use crate::codec::{after_condition, column_value, json_column, limit, to_json};
use crate::error::{on_write, stale_or_gone, unavailable};
use crate::SqlStore;

const COLUMNS: &str = "id, name, created_ms, modified_ms, version, config, data";

fn pool_from_row(row: &AnyRow) -> StoreResult<IdentityPool> {
    Ok(IdentityPool {
        id: column_value(row, "id")?,
        name: column_value(row, "name")?,
        created_ms: column_value(row, "created_ms")?,
        modified_ms: column_value(row, "modified_ms")?,
        version: column_value(row, "version")?,
        config: json_column(row, "config")?,
        data: json_column(row, "data")?,
    })
}

#[async_trait]
impl IdentityPoolStore for SqlStore {
    async fn insert_identity_pool(&self, pool: &IdentityPool) -> StoreResult<()> {
        query(
            "INSERT INTO identity_pools (id, name, created_ms, modified_ms, version, config, \
             data) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&pool.id)
        .bind(&pool.name)
        .bind(pool.created_ms)
        .bind(pool.modified_ms)
        .bind(pool.version)
        .bind(to_json("identity pool", &pool.config)?)
        .bind(to_json("identity pool data", &pool.data)?)
        .execute(&self.pool)
        .await
        .map_err(|e| on_write(e, || format!("identity_pool:{}", pool.id)))?;
        Ok(())
    }

    async fn get_identity_pool(&self, id: &str) -> StoreResult<Option<IdentityPool>> {
        let sql = format!("SELECT {COLUMNS} FROM identity_pools WHERE id = $1");
        let row = query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(unavailable)?;
        row.as_ref().map(pool_from_row).transpose()
    }

    async fn update_identity_pool(&self, pool: &IdentityPool) -> StoreResult<()> {
        let done = query(
            "UPDATE identity_pools SET name = $2, modified_ms = $3, config = $4, data = $5, \
             version = version + 1 WHERE id = $1 AND version = $6",
        )
        .bind(&pool.id)
        .bind(&pool.name)
        .bind(pool.modified_ms)
        .bind(to_json("identity pool", &pool.config)?)
        .bind(to_json("identity pool data", &pool.data)?)
        .bind(pool.version)
        .execute(&self.pool)
        .await
        .map_err(unavailable)?;
        if done.rows_affected() == 0 {
            let still_there = query("SELECT 1 FROM identity_pools WHERE id = $1")
                .bind(&pool.id)
                .fetch_optional(&self.pool)
                .await
                .map_err(unavailable)?
                .is_some();
            return Err(stale_or_gone(still_there));
        }
        Ok(())
    }

    async fn delete_identity_pool(&self, id: &str) -> StoreResult<()> {
        // ON DELETE CASCADE takes the identities, and with them their logins.
        let done = query("DELETE FROM identity_pools WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await
            .map_err(unavailable)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn list_identity_pools(
        &self,
        after: Option<&str>,
        page: usize,
    ) -> StoreResult<Vec<IdentityPool>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM identity_pools WHERE 1 = 1 {} ORDER BY id LIMIT $1",
            after_condition(after, "id", 2)
        );
        let mut q = query(&sql).bind(limit(page));
        if let Some(after) = after {
            q = q.bind(after);
        }
        let rows = q.fetch_all(&self.pool).await.map_err(unavailable)?;
        rows.iter().map(pool_from_row).collect()
    }
}
