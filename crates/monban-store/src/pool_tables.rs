//! The statements of the two pool tables, `user_pools` and `identity_pools`: the same
//! columns (id, name, times, version, the pool's configuration and its data as JSON) with
//! the same optimistic `version`. Each table's file maps its rows to its entity.

use sqlx::any::AnyRow;
use sqlx::{query, AnyPool};

use crate::codec::{after_condition, limit};
use crate::error::{stale_or_gone, unavailable};
use monban_core::store::{StoreError, StoreResult};

pub(crate) const COLUMNS: &str = "id, name, created_ms, modified_ms, version, config, data";

/// One pool as written, its documents already encoded.
pub(crate) struct PoolColumns<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub created_ms: i64,
    pub modified_ms: i64,
    pub version: i64,
    pub config: String,
    pub data: String,
}

/// The raw error, for the caller to name the conflicting key.
pub(crate) async fn insert(
    db: &AnyPool,
    table: &str,
    pool: &PoolColumns<'_>,
) -> Result<(), sqlx::Error> {
    let sql = format!("INSERT INTO {table} ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)");
    query(&sql)
        .bind(pool.id)
        .bind(pool.name)
        .bind(pool.created_ms)
        .bind(pool.modified_ms)
        .bind(pool.version)
        .bind(&pool.config)
        .bind(&pool.data)
        .execute(db)
        .await?;
    Ok(())
}

pub(crate) async fn get(db: &AnyPool, table: &str, id: &str) -> StoreResult<Option<AnyRow>> {
    let sql = format!("SELECT {COLUMNS} FROM {table} WHERE id = $1");
    query(&sql)
        .bind(id)
        .fetch_optional(db)
        .await
        .map_err(unavailable)
}

/// Writes `pool` if it is still at its `version` (which the write moves on).
pub(crate) async fn update(db: &AnyPool, table: &str, pool: &PoolColumns<'_>) -> StoreResult<()> {
    let sql = format!(
        "UPDATE {table} SET name = $2, modified_ms = $3, config = $4, data = $5, \
         version = version + 1 WHERE id = $1 AND version = $6"
    );
    let done = query(&sql)
        .bind(pool.id)
        .bind(pool.name)
        .bind(pool.modified_ms)
        .bind(&pool.config)
        .bind(&pool.data)
        .bind(pool.version)
        .execute(db)
        .await
        .map_err(unavailable)?;
    if done.rows_affected() == 0 {
        let still_there = query(&format!("SELECT 1 FROM {table} WHERE id = $1"))
            .bind(pool.id)
            .fetch_optional(db)
            .await
            .map_err(unavailable)?
            .is_some();
        return Err(stale_or_gone(still_there));
    }
    Ok(())
}

/// The schema's ON DELETE CASCADE takes what hangs off the pool in this one statement.
pub(crate) async fn delete(db: &AnyPool, table: &str, id: &str) -> StoreResult<()> {
    let done = query(&format!("DELETE FROM {table} WHERE id = $1"))
        .bind(id)
        .execute(db)
        .await
        .map_err(unavailable)?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// A page of pools in id order, after `after`.
pub(crate) async fn list(
    db: &AnyPool,
    table: &str,
    after: Option<&str>,
    page: usize,
) -> StoreResult<Vec<AnyRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM {table} WHERE 1 = 1 {} ORDER BY id LIMIT $1",
        after_condition(after, "id", 2)
    );
    let mut q = query(&sql).bind(limit(page));
    if let Some(after) = after {
        q = q.bind(after);
    }
    q.fetch_all(db).await.map_err(unavailable)
}
