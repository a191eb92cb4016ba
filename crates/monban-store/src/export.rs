//! `ExportStore`: what `monban export` reads that the other ports do not offer.

use async_trait::async_trait;
use monban_core::entities::RefreshToken;
use monban_core::export::ExportStore;
use monban_core::store::StoreResult;
use sqlx::query;

use crate::codec::column_value;
use crate::error::unavailable;
use crate::SqlStore;

#[async_trait]
impl ExportStore for SqlStore {
    async fn list_user_refresh_tokens(
        &self,
        pool_id: &str,
        sub: &str,
    ) -> StoreResult<Vec<RefreshToken>> {
        let rows = query(
            "SELECT t.token_hash, t.pool_id, t.client_id, t.sub, t.family_id, t.auth_time_ms, \
             t.device_key, t.created_ms, t.expires_ms, t.replaced_ms, f.revoked_ms \
             FROM refresh_tokens t \
             JOIN token_families f ON f.pool_id = t.pool_id AND f.family_id = t.family_id \
             WHERE t.pool_id = $1 AND t.sub = $2 ORDER BY t.created_ms, t.token_hash",
        )
        .bind(pool_id)
        .bind(sub)
        .fetch_all(&self.pool)
        .await
        .map_err(unavailable)?;
        rows.iter()
            .map(|row| {
                Ok(RefreshToken {
                    token_hash: column_value(row, "token_hash")?,
                    pool_id: column_value(row, "pool_id")?,
                    client_id: column_value(row, "client_id")?,
                    sub: column_value(row, "sub")?,
                    family_id: column_value(row, "family_id")?,
                    auth_time_ms: column_value(row, "auth_time_ms")?,
                    device_key: column_value(row, "device_key")?,
                    created_ms: column_value(row, "created_ms")?,
                    expires_ms: column_value(row, "expires_ms")?,
                    replaced_ms: column_value(row, "replaced_ms")?,
                    revoked_ms: column_value(row, "revoked_ms")?,
                    family_scopes: None,
                })
            })
            .collect()
    }
}
