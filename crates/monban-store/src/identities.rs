//! `IdentityStore`: the `identities` table and the logins linked to them in
//! `identity_logins`.

use async_trait::async_trait;
use monban_core::entities::{Identity, IdentityLogin};
use monban_core::store::{IdentityStore, StoreError, StoreResult};
use sqlx::any::AnyRow;
use sqlx::{query, AnyConnection};

use crate::codec::{after_condition, bool_column, bool_value, column_value, limit};
use crate::error::{on_write, unavailable};
use crate::SqlStore;

/// Wraps a query selecting the columns of `identities` (with its own WHERE, ORDER BY and
/// LIMIT) so that each identity comes back with its logins, one row per login, in one round
/// trip.
fn with_logins(identities: &str) -> String {
    format!(
        "SELECT p.identity_id, p.pool_id, p.created_ms, p.modified_ms, p.disabled, \
         l.provider, l.subject \
         FROM ({identities}) p \
         LEFT JOIN identity_logins l ON l.identity_id = p.identity_id \
         ORDER BY p.identity_id, l.provider, l.subject"
    )
}

const IDENTITY_COLUMNS: &str = "identity_id, pool_id, created_ms, modified_ms, disabled";

/// Folds the rows of a [`with_logins`] query into identities, keeping their order.
fn identities_from_rows(rows: &[AnyRow]) -> StoreResult<Vec<Identity>> {
    let mut identities: Vec<Identity> = Vec::new();
    for row in rows {
        let identity_id: String = column_value(row, "identity_id")?;
        if identities
            .last()
            .is_none_or(|last| last.identity_id != identity_id)
        {
            identities.push(Identity {
                identity_id,
                pool_id: column_value(row, "pool_id")?,
                created_ms: column_value(row, "created_ms")?,
                modified_ms: column_value(row, "modified_ms")?,
                disabled: bool_column(row, "disabled")?,
                logins: Vec::new(),
            });
        }
        let provider: Option<String> = column_value(row, "provider")?;
        let subject: Option<String> = column_value(row, "subject")?;
        if let (Some(identity), Some(provider), Some(subject)) =
            (identities.last_mut(), provider, subject)
        {
            identity.logins.push(IdentityLogin { provider, subject });
        }
    }
    Ok(identities)
}

async fn load_identity(
    conn: &mut AnyConnection,
    identity_id: &str,
) -> StoreResult<Option<Identity>> {
    let sql = with_logins(&format!(
        "SELECT {IDENTITY_COLUMNS} FROM identities WHERE identity_id = $1"
    ));
    let rows = query(&sql)
        .bind(identity_id)
        .fetch_all(conn)
        .await
        .map_err(unavailable)?;
    Ok(identities_from_rows(&rows)?.into_iter().next())
}

/// The pool of an identity, or `NotFound`.
async fn pool_of(conn: &mut AnyConnection, identity_id: &str) -> StoreResult<String> {
    let row = query("SELECT pool_id FROM identities WHERE identity_id = $1")
        .bind(identity_id)
        .fetch_optional(conn)
        .await
        .map_err(unavailable)?
        .ok_or(StoreError::NotFound)?;
    column_value(&row, "pool_id")
}

fn login_key(login: &IdentityLogin) -> String {
    format!("login:{}:{}", login.provider, login.subject)
}

#[async_trait]
impl IdentityStore for SqlStore {
    async fn insert_identity(&self, identity: &Identity) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        // A pool that is gone breaks the foreign key: `NotFound`.
        query(
            "INSERT INTO identities (identity_id, pool_id, created_ms, modified_ms, disabled) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&identity.identity_id)
        .bind(&identity.pool_id)
        .bind(identity.created_ms)
        .bind(identity.modified_ms)
        .bind(bool_value(identity.disabled))
        .execute(&mut *tx)
        .await
        .map_err(|e| on_write(e, || format!("identity:{}", identity.identity_id)))?;
        for login in &identity.logins {
            query(
                "INSERT INTO identity_logins (pool_id, provider, subject, identity_id, \
                 created_ms) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(&identity.pool_id)
            .bind(&login.provider)
            .bind(&login.subject)
            .bind(&identity.identity_id)
            .bind(identity.created_ms)
            .execute(&mut *tx)
            .await
            .map_err(|e| on_write(e, || login_key(login)))?;
        }
        tx.commit().await.map_err(unavailable)
    }

    async fn get_identity(&self, identity_id: &str) -> StoreResult<Option<Identity>> {
        let mut conn = self.pool.acquire().await.map_err(unavailable)?;
        load_identity(&mut conn, identity_id).await
    }

    async fn find_identity_by_login(
        &self,
        pool_id: &str,
        provider: &str,
        subject: &str,
    ) -> StoreResult<Option<Identity>> {
        let sql = with_logins(&format!(
            "SELECT {IDENTITY_COLUMNS} FROM identities WHERE identity_id = \
             (SELECT identity_id FROM identity_logins \
              WHERE pool_id = $1 AND provider = $2 AND subject = $3)"
        ));
        let rows = query(&sql)
            .bind(pool_id)
            .bind(provider)
            .bind(subject)
            .fetch_all(&self.pool)
            .await
            .map_err(unavailable)?;
        Ok(identities_from_rows(&rows)?.into_iter().next())
    }

    async fn link_identity_logins(
        &self,
        identity_id: &str,
        logins: &[IdentityLogin],
        merge: &[String],
        at_ms: i64,
    ) -> StoreResult<Identity> {
        let mut tx = self.begin_write().await?;
        let pool_id = pool_of(&mut tx, identity_id).await?;
        for other in merge.iter().filter(|other| *other != identity_id) {
            query(
                "UPDATE identity_logins SET identity_id = $1 \
                 WHERE identity_id = $2 AND pool_id = $3",
            )
            .bind(identity_id)
            .bind(other)
            .bind(&pool_id)
            .execute(&mut *tx)
            .await
            .map_err(unavailable)?;
            query("DELETE FROM identities WHERE identity_id = $1 AND pool_id = $2")
                .bind(other)
                .bind(&pool_id)
                .execute(&mut *tx)
                .await
                .map_err(unavailable)?;
        }
        for login in logins {
            let inserted = query(
                "INSERT INTO identity_logins (pool_id, provider, subject, identity_id, \
                 created_ms) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (pool_id, provider, subject) DO NOTHING",
            )
            .bind(&pool_id)
            .bind(&login.provider)
            .bind(&login.subject)
            .bind(identity_id)
            .bind(at_ms)
            .execute(&mut *tx)
            .await
            .map_err(unavailable)?
            .rows_affected();
            if inserted == 0 {
                let owner: String = query(
                    "SELECT identity_id FROM identity_logins \
                     WHERE pool_id = $1 AND provider = $2 AND subject = $3",
                )
                .bind(&pool_id)
                .bind(&login.provider)
                .bind(&login.subject)
                .fetch_one(&mut *tx)
                .await
                .map_err(unavailable)
                .and_then(|row| column_value(&row, "identity_id"))?;
                if owner != identity_id {
                    return Err(StoreError::Conflict {
                        key: login_key(login),
                    });
                }
            }
        }
        let has_logins = !logins.is_empty() || !merge.is_empty();
        query(
            "UPDATE identities SET modified_ms = $2, \
             disabled = CASE WHEN $3 = 1 THEN 0 ELSE disabled END WHERE identity_id = $1",
        )
        .bind(identity_id)
        .bind(at_ms)
        .bind(bool_value(has_logins))
        .execute(&mut *tx)
        .await
        .map_err(unavailable)?;
        let identity = load_identity(&mut tx, identity_id)
            .await?
            .ok_or(StoreError::NotFound)?;
        tx.commit().await.map_err(unavailable)?;
        Ok(identity)
    }

    async fn unlink_identity_logins(
        &self,
        identity_id: &str,
        logins: &[IdentityLogin],
        at_ms: i64,
    ) -> StoreResult<Identity> {
        let mut tx = self.begin_write().await?;
        pool_of(&mut tx, identity_id).await?;
        let mut removed = 0;
        for login in logins {
            removed += query(
                "DELETE FROM identity_logins \
                 WHERE identity_id = $1 AND provider = $2 AND subject = $3",
            )
            .bind(identity_id)
            .bind(&login.provider)
            .bind(&login.subject)
            .execute(&mut *tx)
            .await
            .map_err(unavailable)?
            .rows_affected();
        }
        // Only an identity that just lost its last login is disabled; a guest stays one.
        query(
            "UPDATE identities SET modified_ms = $2, disabled = CASE \
             WHEN $3 = 1 AND NOT EXISTS \
                 (SELECT 1 FROM identity_logins l WHERE l.identity_id = $1) THEN 1 \
             ELSE disabled END \
             WHERE identity_id = $1",
        )
        .bind(identity_id)
        .bind(at_ms)
        .bind(bool_value(removed > 0))
        .execute(&mut *tx)
        .await
        .map_err(unavailable)?;
        let identity = load_identity(&mut tx, identity_id)
            .await?
            .ok_or(StoreError::NotFound)?;
        tx.commit().await.map_err(unavailable)?;
        Ok(identity)
    }

    async fn delete_identities(&self, identity_ids: &[String]) -> StoreResult<u64> {
        let mut tx = self.begin_write().await?;
        let mut deleted = 0;
        for identity_id in identity_ids {
            // Its logins go with it (ON DELETE CASCADE).
            deleted += query("DELETE FROM identities WHERE identity_id = $1")
                .bind(identity_id)
                .execute(&mut *tx)
                .await
                .map_err(unavailable)?
                .rows_affected();
        }
        tx.commit().await.map_err(unavailable)?;
        Ok(deleted)
    }

    async fn list_identities(
        &self,
        pool_id: &str,
        hide_disabled: bool,
        after: Option<&str>,
        page: usize,
    ) -> StoreResult<Vec<Identity>> {
        let sql = with_logins(&format!(
            "SELECT {IDENTITY_COLUMNS} FROM identities WHERE pool_id = $1 {} {} \
             ORDER BY identity_id LIMIT $2",
            if hide_disabled {
                "AND disabled = 0"
            } else {
                ""
            },
            after_condition(after, "identity_id", 3)
        ));
        let mut q = query(&sql).bind(pool_id).bind(limit(page));
        if let Some(after) = after {
            q = q.bind(after);
        }
        let rows = q.fetch_all(&self.pool).await.map_err(unavailable)?;
        identities_from_rows(&rows)
    }
}
