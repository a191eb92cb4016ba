//! `AuthSessionStore`: challenges in progress and single-use values.

use async_trait::async_trait;
use monban_core::entities::AuthSession;
use monban_core::store::{AuthSessionStore, StoreResult};
use sqlx::any::AnyRow;
use sqlx::query;

use crate::codec::column_value;
use crate::error::{on_write, unavailable};
use crate::SqlStore;

/// The longest a caller keeps a single-use value (an SRP secret block lives minutes).
/// `consume_once` is given no clock, so it forgets entries that expired this long before the
/// new one expires: those are past their expiry whatever the caller's lifetime up to this.
const SINGLE_USE_MAX_LIFETIME_MS: i64 = 24 * 60 * 60 * 1000;

const COLUMNS: &str = "id, pool_id, client_id, username, challenge, state, created_ms, expires_ms";

fn session_from_row(row: &AnyRow) -> StoreResult<AuthSession> {
    Ok(AuthSession {
        id: column_value(row, "id")?,
        pool_id: column_value(row, "pool_id")?,
        client_id: column_value(row, "client_id")?,
        username: column_value(row, "username")?,
        challenge: column_value(row, "challenge")?,
        state: column_value(row, "state")?,
        created_ms: column_value(row, "created_ms")?,
        expires_ms: column_value(row, "expires_ms")?,
    })
}

#[async_trait]
impl AuthSessionStore for SqlStore {
    /// `NotFound` if the pool is gone.
    async fn insert_auth_session(&self, session: &AuthSession) -> StoreResult<()> {
        // Sessions nobody answered would pile up: each insert sweeps its pool's expired ones
        // first (cleaning is idempotent, so it needs no transaction). Only its pool's: the
        // time is the inserting node's, and a node whose clock runs ahead (or a test's fake
        // clock moved on) must not take live sessions of other pools with it.
        query("DELETE FROM auth_sessions WHERE pool_id = $1 AND expires_ms < $2")
            .bind(&session.pool_id)
            .bind(session.created_ms)
            .execute(&self.pool)
            .await
            .map_err(unavailable)?;
        let sql = format!(
            "INSERT INTO auth_sessions ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        );
        query(&sql)
            .bind(&session.id)
            .bind(&session.pool_id)
            .bind(&session.client_id)
            .bind(&session.username)
            .bind(&session.challenge)
            .bind(&session.state)
            .bind(session.created_ms)
            .bind(session.expires_ms)
            .execute(&self.pool)
            .await
            .map_err(|e| on_write(e, || format!("session:{}", session.id)))?;
        Ok(())
    }

    async fn take_auth_session(&self, id: &str) -> StoreResult<Option<AuthSession>> {
        // One statement: of two racing takers, only the one whose DELETE removed the row
        // gets it back.
        let sql = format!("DELETE FROM auth_sessions WHERE id = $1 RETURNING {COLUMNS}");
        let row = query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(unavailable)?;
        row.as_ref().map(session_from_row).transpose()
    }

    async fn consume_once(&self, id: &str, expires_ms: i64) -> StoreResult<()> {
        query("DELETE FROM consumed_once WHERE expires_ms < $1")
            .bind(expires_ms.saturating_sub(SINGLE_USE_MAX_LIFETIME_MS))
            .execute(&self.pool)
            .await
            .map_err(unavailable)?;
        query("INSERT INTO consumed_once (id, expires_ms) VALUES ($1, $2)")
            .bind(id)
            .bind(expires_ms)
            .execute(&self.pool)
            .await
            .map_err(|e| on_write(e, || format!("once:{id}")))?;
        Ok(())
    }
}
