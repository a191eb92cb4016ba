//! `IdentityPoolStore`: the `identity_pools` table.

use async_trait::async_trait;
use monban_core::entities::IdentityPool;
use monban_core::store::{IdentityPoolStore, StoreResult};
use sqlx::any::AnyRow;

use crate::codec::{column_value, json_column, to_json};
use crate::error::on_write;
use crate::pool_tables::{self, PoolColumns};
use crate::SqlStore;

const TABLE: &str = "identity_pools";

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

fn columns(pool: &IdentityPool) -> StoreResult<PoolColumns<'_>> {
    Ok(PoolColumns {
        id: &pool.id,
        name: &pool.name,
        created_ms: pool.created_ms,
        modified_ms: pool.modified_ms,
        version: pool.version,
        config: to_json("identity pool", &pool.config)?,
        data: to_json("identity pool data", &pool.data)?,
    })
}

#[async_trait]
impl IdentityPoolStore for SqlStore {
    async fn insert_identity_pool(&self, pool: &IdentityPool) -> StoreResult<()> {
        pool_tables::insert(&self.pool, TABLE, &columns(pool)?)
            .await
            .map_err(|e| on_write(e, || format!("identity_pool:{}", pool.id)))
    }

    async fn get_identity_pool(&self, id: &str) -> StoreResult<Option<IdentityPool>> {
        let row = pool_tables::get(self.reader(), TABLE, id).await?;
        row.as_ref().map(pool_from_row).transpose()
    }

    async fn update_identity_pool(&self, pool: &IdentityPool) -> StoreResult<()> {
        pool_tables::update(&self.pool, TABLE, &columns(pool)?).await
    }

    async fn delete_identity_pool(&self, id: &str) -> StoreResult<()> {
        // ON DELETE CASCADE takes the identities, and with them their logins.
        pool_tables::delete(&self.pool, TABLE, id).await
    }

    async fn list_identity_pools(
        &self,
        after: Option<&str>,
        page: usize,
    ) -> StoreResult<Vec<IdentityPool>> {
        let rows = pool_tables::list(self.reader(), TABLE, after, page).await?;
        rows.iter().map(pool_from_row).collect()
    }
}
