//! `AppClientStore`: the `app_clients` table.

use async_trait::async_trait;
use monban_core::entities::AppClient;
use monban_core::store::{AppClientStore, StoreError, StoreResult};
use sqlx::any::AnyRow;
use sqlx::query;

use crate::codec::{after_condition, column_value, json_column, limit, to_json};
use crate::error::{on_write, stale_or_gone, unavailable};
use crate::SqlStore;

const COLUMNS: &str = "client_id, pool_id, name, secret, created_ms, modified_ms, version, config";

fn client_from_row(row: &AnyRow) -> StoreResult<AppClient> {
    Ok(AppClient {
        pool_id: column_value(row, "pool_id")?,
        client_id: column_value(row, "client_id")?,
        name: column_value(row, "name")?,
        secret: column_value(row, "secret")?,
        created_ms: column_value(row, "created_ms")?,
        modified_ms: column_value(row, "modified_ms")?,
        version: column_value(row, "version")?,
        config: json_column(row, "config")?,
    })
}

/// The config document as stored: the secret has its own column and never goes into it.
fn config_json(client: &AppClient) -> StoreResult<String> {
    let mut config = client.config.clone();
    config.client_secret = None;
    to_json("app client", &config)
}

async fn update_row(store: &SqlStore, client: &AppClient) -> StoreResult<()> {
    let done = query(
        "UPDATE app_clients SET name = $3, secret = $4, modified_ms = $5, config = $6, \
         version = version + 1 WHERE pool_id = $1 AND client_id = $2 AND version = $7",
    )
    .bind(&client.pool_id)
    .bind(&client.client_id)
    .bind(&client.name)
    .bind(client.secret.as_deref())
    .bind(client.modified_ms)
    .bind(config_json(client)?)
    .bind(client.version)
    .execute(&store.pool)
    .await
    .map_err(unavailable)?;
    if done.rows_affected() == 0 {
        let still_there = query("SELECT 1 FROM app_clients WHERE pool_id = $1 AND client_id = $2")
            .bind(&client.pool_id)
            .bind(&client.client_id)
            .fetch_optional(&store.pool)
            .await
            .map_err(unavailable)?
            .is_some();
        return Err(stale_or_gone(still_there));
    }
    Ok(())
}

async fn delete_row(store: &SqlStore, pool_id: &str, client_id: &str) -> StoreResult<()> {
    let done = query("DELETE FROM app_clients WHERE pool_id = $1 AND client_id = $2")
        .bind(pool_id)
        .bind(client_id)
        .execute(&store.pool)
        .await
        .map_err(unavailable)?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

#[async_trait]
impl AppClientStore for SqlStore {
    async fn insert_app_client(&self, client: &AppClient) -> StoreResult<()> {
        query(
            "INSERT INTO app_clients \
             (client_id, pool_id, name, secret, created_ms, modified_ms, version, config) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&client.client_id)
        .bind(&client.pool_id)
        .bind(&client.name)
        .bind(client.secret.as_deref())
        .bind(client.created_ms)
        .bind(client.modified_ms)
        .bind(client.version)
        .bind(config_json(client)?)
        .execute(&self.pool)
        .await
        .map_err(|e| on_write(e, || format!("client:{}", client.client_id)))?;
        Ok(())
    }

    async fn get_app_client(&self, client_id: &str) -> StoreResult<Option<AppClient>> {
        if let Some(client) = self.cache.clients.get(client_id) {
            return Ok(Some(client));
        }
        let sql = format!("SELECT {COLUMNS} FROM app_clients WHERE client_id = $1");
        let row = query(&sql)
            .bind(client_id)
            .fetch_optional(self.reader())
            .await
            .map_err(unavailable)?;
        let client = row.as_ref().map(client_from_row).transpose()?;
        if let Some(client) = &client {
            self.cache.clients.put(client_id, client);
        }
        Ok(client)
    }

    async fn update_app_client(&self, client: &AppClient) -> StoreResult<()> {
        let written = update_row(self, client).await;
        // Dropped whatever the outcome, once the write is over: after a version mismatch
        // the retry must read the row as it is now, not the copy that lost the race.
        self.cache.clients.remove(&client.client_id);
        written
    }

    async fn delete_app_client(&self, pool_id: &str, client_id: &str) -> StoreResult<()> {
        let deleted = delete_row(self, pool_id, client_id).await;
        self.cache.clients.remove(client_id);
        deleted
    }

    async fn list_app_clients(
        &self,
        pool_id: &str,
        after: Option<&str>,
        page: usize,
    ) -> StoreResult<Vec<AppClient>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM app_clients WHERE pool_id = $1 {} \
             ORDER BY client_id LIMIT $2",
            after_condition(after, "client_id", 3)
        );
        let mut q = query(&sql).bind(pool_id).bind(limit(page));
        if let Some(after) = after {
            q = q.bind(after);
        }
        let rows = q.fetch_all(self.reader()).await.map_err(unavailable)?;
        rows.iter().map(client_from_row).collect()
    }
}
