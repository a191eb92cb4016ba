//! `UserPoolStore`: the `user_pools` table.

use async_trait::async_trait;
use monban_core::entities::UserPool;
use monban_core::store::{StoreResult, UserPoolStore};
use sqlx::any::AnyRow;
use sqlx::query;

use crate::codec::{column_value, json_column, to_json};
use crate::error::{on_write, unavailable};
use crate::pool_tables::{self, PoolColumns};
use crate::SqlStore;

const TABLE: &str = "user_pools";

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

fn columns(pool: &UserPool) -> StoreResult<PoolColumns<'_>> {
    Ok(PoolColumns {
        id: &pool.id,
        name: &pool.name,
        created_ms: pool.created_ms,
        modified_ms: pool.modified_ms,
        version: pool.version,
        config: to_json("user pool", &pool.config)?,
        data: to_json("user pool data", &pool.data)?,
    })
}

#[async_trait]
impl UserPoolStore for SqlStore {
    async fn insert_user_pool(&self, pool: &UserPool) -> StoreResult<()> {
        pool_tables::insert(&self.pool, TABLE, &columns(pool)?)
            .await
            .map_err(|e| on_write(e, || format!("pool:{}", pool.id)))
    }

    async fn get_user_pool(&self, id: &str) -> StoreResult<Option<UserPool>> {
        if let Some(pool) = self.cache.pools.get(id) {
            return Ok(Some(pool));
        }
        let row = pool_tables::get(self.reader(), TABLE, id).await?;
        let pool = row.as_ref().map(pool_from_row).transpose()?;
        if let Some(pool) = &pool {
            self.cache.pools.put(id, pool);
        }
        Ok(pool)
    }

    async fn update_user_pool(&self, pool: &UserPool) -> StoreResult<()> {
        let written = pool_tables::update(&self.pool, TABLE, &columns(pool)?).await;
        // Dropped whatever the outcome, once the write is over: after a version mismatch
        // the retry must read the row as it is now, not the copy that lost the race.
        self.cache.pools.remove(&pool.id);
        written
    }

    async fn delete_user_pool(&self, id: &str) -> StoreResult<()> {
        // The schema's ON DELETE CASCADE takes the clients, users (with what hangs off
        // them), groups, signing keys and sessions with it, in this one statement.
        let deleted = pool_tables::delete(&self.pool, TABLE, id).await;
        self.cache.pools.remove(id);
        self.cache
            .clients
            .remove_where(|client| client.pool_id == id);
        deleted
    }

    async fn list_user_pools(
        &self,
        after: Option<&str>,
        page: usize,
    ) -> StoreResult<Vec<UserPool>> {
        let rows = pool_tables::list(self.reader(), TABLE, after, page).await?;
        rows.iter().map(pool_from_row).collect()
    }

    async fn count_users(&self, pool_id: &str) -> StoreResult<i64> {
        let row = query("SELECT COUNT(*) AS n FROM users WHERE pool_id = $1")
            .bind(pool_id)
            .fetch_one(self.reader())
            .await
            .map_err(unavailable)?;
        column_value(&row, "n")
    }
}
