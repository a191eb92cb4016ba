//! `UserPoolStore`: the `user_pools` table.

use async_trait::async_trait;
use monban_core::entities::UserPool;
use monban_core::store::{StoreError, StoreResult, UserPoolStore};
use sqlx::any::AnyRow;
use sqlx::query;

use crate::codec::{after_condition, column_value, json_column, limit, to_json};
use crate::error::{on_write, stale_or_gone, unavailable};
use crate::SqlStore;

const COLUMNS: &str = "id, name, created_ms, modified_ms, version, config, data";

fn pool_from_row(row: &AnyRow) -> StoreResult<UserPool> {
    Ok(UserPool {
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
impl UserPoolStore for SqlStore {
    async fn insert_user_pool(&self, pool: &UserPool) -> StoreResult<()> {
        query(
            "INSERT INTO user_pools (id, name, created_ms, modified_ms, version, config, data) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&pool.id)
        .bind(&pool.name)
        .bind(pool.created_ms)
        .bind(pool.modified_ms)
        .bind(pool.version)
        .bind(to_json("user pool", &pool.config)?)
        .bind(to_json("user pool data", &pool.data)?)
        .execute(&self.pool)
        .await
        .map_err(|e| on_write(e, || format!("pool:{}", pool.id)))?;
        Ok(())
    }

    async fn get_user_pool(&self, id: &str) -> StoreResult<Option<UserPool>> {
        let sql = format!("SELECT {COLUMNS} FROM user_pools WHERE id = $1");
        let row = query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(unavailable)?;
        row.as_ref().map(pool_from_row).transpose()
    }

    async fn update_user_pool(&self, pool: &UserPool) -> StoreResult<()> {
        let done = query(
            "UPDATE user_pools SET name = $2, modified_ms = $3, config = $4, data = $5, \
             version = version + 1 WHERE id = $1 AND version = $6",
        )
        .bind(&pool.id)
        .bind(&pool.name)
        .bind(pool.modified_ms)
        .bind(to_json("user pool", &pool.config)?)
        .bind(to_json("user pool data", &pool.data)?)
        .bind(pool.version)
        .execute(&self.pool)
        .await
        .map_err(unavailable)?;
        if done.rows_affected() == 0 {
            let still_there = query("SELECT 1 FROM user_pools WHERE id = $1")
                .bind(&pool.id)
                .fetch_optional(&self.pool)
                .await
                .map_err(unavailable)?
                .is_some();
            return Err(stale_or_gone(still_there));
        }
        Ok(())
    }

    async fn delete_user_pool(&self, id: &str) -> StoreResult<()> {
        // The schema's ON DELETE CASCADE takes the clients, users (with what hangs off
        // them), groups, signing keys and sessions with it, in this one statement.
        let done = query("DELETE FROM user_pools WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await
            .map_err(unavailable)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn list_user_pools(
        &self,
        after: Option<&str>,
        page: usize,
    ) -> StoreResult<Vec<UserPool>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM user_pools WHERE 1 = 1 {} ORDER BY id LIMIT $1",
            after_condition(after, "id", 2)
        );
        let mut q = query(&sql).bind(limit(page));
        if let Some(after) = after {
            q = q.bind(after);
        }
        let rows = q.fetch_all(&self.pool).await.map_err(unavailable)?;
        rows.iter().map(pool_from_row).collect()
    }

    async fn count_users(&self, pool_id: &str) -> StoreResult<i64> {
        let row = query("SELECT COUNT(*) AS n FROM users WHERE pool_id = $1")
            .bind(pool_id)
            .fetch_one(&self.pool)
            .await
            .map_err(unavailable)?;
        column_value(&row, "n")
    }
}
