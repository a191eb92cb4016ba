//! `SigningKeyStore`: the RSA keys that sign each pool's tokens.

use async_trait::async_trait;
use monban_core::entities::SigningKey;
use monban_core::store::{SigningKeyStore, StoreResult};
use sqlx::any::AnyRow;
use sqlx::query;

use crate::codec::column_value;
use crate::error::{on_write, unavailable};
use crate::SqlStore;

fn key_from_row(row: &AnyRow) -> StoreResult<SigningKey> {
    Ok(SigningKey {
        pool_id: column_value(row, "pool_id")?,
        kid: column_value(row, "kid")?,
        token_use: column_value(row, "token_use")?,
        private_key_der: column_value(row, "private_key_der")?,
        created_ms: column_value(row, "created_ms")?,
    })
}

#[async_trait]
impl SigningKeyStore for SqlStore {
    /// `NotFound` if the pool is gone.
    async fn insert_signing_key(&self, key: &SigningKey) -> StoreResult<()> {
        query(
            "INSERT INTO signing_keys (pool_id, kid, token_use, private_key_der, created_ms) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&key.pool_id)
        .bind(&key.kid)
        .bind(&key.token_use)
        .bind(key.private_key_der.as_slice())
        .bind(key.created_ms)
        .execute(&self.pool)
        .await
        .map_err(|e| on_write(e, || format!("kid:{}", key.kid)))?;
        Ok(())
    }

    async fn list_signing_keys(&self, pool_id: &str) -> StoreResult<Vec<SigningKey>> {
        // kid breaks ties between keys made in the same millisecond, so the order is stable.
        let rows = query(
            "SELECT pool_id, kid, token_use, private_key_der, created_ms FROM signing_keys \
             WHERE pool_id = $1 ORDER BY created_ms DESC, kid DESC",
        )
        .bind(pool_id)
        .fetch_all(self.reader())
        .await
        .map_err(unavailable)?;
        rows.iter().map(key_from_row).collect()
    }
}
