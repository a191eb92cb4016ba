//! `SecretStore`: server-wide secrets that every node must share.

use async_trait::async_trait;
use monban_core::store::{SecretStore, StoreResult};
use sqlx::query;

use crate::codec::column_value;
use crate::error::unavailable;
use crate::SqlStore;

#[async_trait]
impl SecretStore for SqlStore {
    async fn get_or_insert_secret(&self, name: &str, candidate: &[u8]) -> StoreResult<Vec<u8>> {
        // The insert of a node that lost the race waits on the primary key until the winner
        // commits, then does nothing; the read that follows sees the winner's value.
        query("INSERT INTO secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
            .bind(name)
            .bind(candidate)
            .execute(&self.pool)
            .await
            .map_err(unavailable)?;
        let row = query("SELECT value FROM secrets WHERE name = $1")
            .bind(name)
            .fetch_one(&self.pool)
            .await
            .map_err(unavailable)?;
        column_value(&row, "value")
    }
}
