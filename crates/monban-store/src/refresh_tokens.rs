//! `RefreshTokenStore`: refresh tokens and the families whose revocation they share.

use async_trait::async_trait;
use monban_core::entities::RefreshToken;
use monban_core::store::{RefreshTokenStore, StoreError, StoreResult};
use sqlx::any::AnyRow;
use sqlx::query;

use crate::codec::column_value;
use crate::error::{on_write, unavailable};
use crate::SqlStore;

fn token_from_row(row: &AnyRow) -> StoreResult<RefreshToken> {
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
        family_scopes: column_value(row, "family_scopes")?,
    })
}

#[async_trait]
impl RefreshTokenStore for SqlStore {
    /// `NotFound` if the user is gone; `token.revoked_ms` is not written (revocation belongs
    /// to the family).
    async fn insert_refresh_token(&self, token: &RefreshToken) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        query(
            "INSERT INTO token_families (pool_id, family_id, sub, client_id, created_ms) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (pool_id, family_id) DO NOTHING",
        )
        .bind(&token.pool_id)
        .bind(&token.family_id)
        .bind(&token.sub)
        .bind(&token.client_id)
        .bind(token.created_ms)
        .execute(&mut *tx)
        .await
        .map_err(|e| on_write(e, || format!("family:{}", token.family_id)))?;
        query(
            "INSERT INTO refresh_tokens (token_hash, pool_id, family_id, client_id, sub, \
             auth_time_ms, device_key, created_ms, expires_ms, replaced_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(&token.token_hash)
        .bind(&token.pool_id)
        .bind(&token.family_id)
        .bind(&token.client_id)
        .bind(&token.sub)
        .bind(token.auth_time_ms)
        .bind(token.device_key.as_deref())
        .bind(token.created_ms)
        .bind(token.expires_ms)
        .bind(token.replaced_ms)
        .execute(&mut *tx)
        .await
        .map_err(|e| on_write(e, || "refresh token".to_owned()))?;
        tx.commit().await.map_err(unavailable)
    }

    async fn get_refresh_token(&self, token_hash: &str) -> StoreResult<Option<RefreshToken>> {
        let row = query(
            "SELECT t.token_hash, t.pool_id, t.client_id, t.sub, t.family_id, t.auth_time_ms, \
             t.device_key, t.created_ms, t.expires_ms, t.replaced_ms, f.revoked_ms, \
             s.scopes AS family_scopes \
             FROM refresh_tokens t \
             JOIN token_families f ON f.pool_id = t.pool_id AND f.family_id = t.family_id \
             LEFT JOIN oauth_family_scopes s \
             ON s.pool_id = t.pool_id AND s.family_id = t.family_id \
             WHERE t.token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(self.reader())
        .await
        .map_err(unavailable)?;
        row.as_ref().map(token_from_row).transpose()
    }

    /// `NotFound` if there is no such token.
    async fn mark_refresh_token_replaced(&self, token_hash: &str, at_ms: i64) -> StoreResult<bool> {
        let done = query(
            "UPDATE refresh_tokens SET replaced_ms = $2 \
             WHERE token_hash = $1 AND replaced_ms IS NULL",
        )
        .bind(token_hash)
        .bind(at_ms)
        .execute(&self.pool)
        .await
        .map_err(unavailable)?;
        if done.rows_affected() > 0 {
            return Ok(true);
        }
        let exists = query("SELECT 1 FROM refresh_tokens WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(self.reader())
            .await
            .map_err(unavailable)?
            .is_some();
        if exists {
            Ok(false)
        } else {
            Err(StoreError::NotFound)
        }
    }

    /// Keeps the first revocation time; an unknown family is left as it is (already gone).
    async fn revoke_token_family(
        &self,
        pool_id: &str,
        family_id: &str,
        at_ms: i64,
    ) -> StoreResult<()> {
        query(
            "UPDATE token_families SET revoked_ms = $3 \
             WHERE pool_id = $1 AND family_id = $2 AND revoked_ms IS NULL",
        )
        .bind(pool_id)
        .bind(family_id)
        .bind(at_ms)
        .execute(&self.pool)
        .await
        .map_err(unavailable)?;
        Ok(())
    }

    /// Keeps the first revocation time of families already revoked.
    async fn revoke_user_token_families(
        &self,
        pool_id: &str,
        sub: &str,
        at_ms: i64,
    ) -> StoreResult<()> {
        query(
            "UPDATE token_families SET revoked_ms = $3 \
             WHERE pool_id = $1 AND sub = $2 AND revoked_ms IS NULL",
        )
        .bind(pool_id)
        .bind(sub)
        .bind(at_ms)
        .execute(&self.pool)
        .await
        .map_err(unavailable)?;
        Ok(())
    }

    async fn token_family_revoked_at(
        &self,
        pool_id: &str,
        family_id: &str,
    ) -> StoreResult<Option<i64>> {
        let row =
            query("SELECT revoked_ms FROM token_families WHERE pool_id = $1 AND family_id = $2")
                .bind(pool_id)
                .bind(family_id)
                .fetch_optional(self.reader())
                .await
                .map_err(unavailable)?
                .ok_or(StoreError::NotFound)?;
        column_value(&row, "revoked_ms")
    }
}
