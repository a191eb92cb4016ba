//! `GroupStore`: the `groups` and `group_members` tables.

use async_trait::async_trait;
use monban_core::entities::{Group, User};
use monban_core::store::{GroupStore, StoreError, StoreResult};
use sqlx::any::AnyRow;
use sqlx::query;

use crate::codec::{after_condition, column_value, limit};
use crate::error::{corrupt, on_write, unavailable};
use crate::users::{users_from_rows, with_keys, USER_COLUMNS};
use crate::SqlStore;

/// Selected from `groups g`.
const COLUMNS: &str =
    "g.pool_id, g.name, g.description, g.precedence, g.role_arn, g.created_ms, g.modified_ms";

fn group_from_row(row: &AnyRow) -> StoreResult<Group> {
    let precedence: Option<i64> = column_value(row, "precedence")?;
    Ok(Group {
        pool_id: column_value(row, "pool_id")?,
        name: column_value(row, "name")?,
        description: column_value(row, "description")?,
        precedence: precedence
            .map(i32::try_from)
            .transpose()
            .map_err(|e| corrupt("group precedence", e))?,
        role_arn: column_value(row, "role_arn")?,
        created_ms: column_value(row, "created_ms")?,
        modified_ms: column_value(row, "modified_ms")?,
    })
}

#[async_trait]
impl GroupStore for SqlStore {
    async fn insert_group(&self, group: &Group) -> StoreResult<()> {
        query(
            "INSERT INTO groups \
             (pool_id, name, description, precedence, role_arn, created_ms, modified_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&group.pool_id)
        .bind(&group.name)
        .bind(group.description.as_deref())
        .bind(group.precedence.map(i64::from))
        .bind(group.role_arn.as_deref())
        .bind(group.created_ms)
        .bind(group.modified_ms)
        .execute(&self.pool)
        .await
        .map_err(|e| on_write(e, || format!("group:{}", group.name)))?;
        Ok(())
    }

    async fn get_group(&self, pool_id: &str, name: &str) -> StoreResult<Option<Group>> {
        let sql = format!("SELECT {COLUMNS} FROM groups g WHERE g.pool_id = $1 AND g.name = $2");
        let row = query(&sql)
            .bind(pool_id)
            .bind(name)
            .fetch_optional(self.reader())
            .await
            .map_err(unavailable)?;
        row.as_ref().map(group_from_row).transpose()
    }

    async fn update_group(&self, group: &Group) -> StoreResult<()> {
        let done = query(
            "UPDATE groups SET description = $3, precedence = $4, role_arn = $5, \
             modified_ms = $6 WHERE pool_id = $1 AND name = $2",
        )
        .bind(&group.pool_id)
        .bind(&group.name)
        .bind(group.description.as_deref())
        .bind(group.precedence.map(i64::from))
        .bind(group.role_arn.as_deref())
        .bind(group.modified_ms)
        .execute(&self.pool)
        .await
        .map_err(unavailable)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn delete_group(&self, pool_id: &str, name: &str) -> StoreResult<()> {
        // Memberships go with it (ON DELETE CASCADE).
        let done = query("DELETE FROM groups WHERE pool_id = $1 AND name = $2")
            .bind(pool_id)
            .bind(name)
            .execute(&self.pool)
            .await
            .map_err(unavailable)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn list_groups(
        &self,
        pool_id: &str,
        after: Option<&str>,
        page: usize,
    ) -> StoreResult<Vec<Group>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM groups g WHERE g.pool_id = $1 {} ORDER BY g.name LIMIT $2",
            after_condition(after, "g.name", 3)
        );
        let mut q = query(&sql).bind(pool_id).bind(limit(page));
        if let Some(after) = after {
            q = q.bind(after);
        }
        let rows = q.fetch_all(self.reader()).await.map_err(unavailable)?;
        rows.iter().map(group_from_row).collect()
    }

    async fn add_user_to_group(&self, pool_id: &str, group: &str, sub: &str) -> StoreResult<()> {
        // A missing group or user breaks a foreign key: `NotFound`.
        query(
            "INSERT INTO group_members (pool_id, group_name, sub) VALUES ($1, $2, $3) \
             ON CONFLICT DO NOTHING",
        )
        .bind(pool_id)
        .bind(group)
        .bind(sub)
        .execute(&self.pool)
        .await
        .map_err(|e| on_write(e, || format!("group:{group}")))?;
        Ok(())
    }

    async fn remove_user_from_group(
        &self,
        pool_id: &str,
        group: &str,
        sub: &str,
    ) -> StoreResult<()> {
        query("DELETE FROM group_members WHERE pool_id = $1 AND group_name = $2 AND sub = $3")
            .bind(pool_id)
            .bind(group)
            .bind(sub)
            .execute(&self.pool)
            .await
            .map_err(unavailable)?;
        Ok(())
    }

    async fn list_groups_for_user(
        &self,
        pool_id: &str,
        sub: &str,
        after: Option<&str>,
        page: usize,
    ) -> StoreResult<Vec<Group>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM group_members m \
             JOIN groups g ON g.pool_id = m.pool_id AND g.name = m.group_name \
             WHERE m.pool_id = $1 AND m.sub = $2 {} ORDER BY g.name LIMIT $3",
            after_condition(after, "g.name", 4)
        );
        let mut q = query(&sql).bind(pool_id).bind(sub).bind(limit(page));
        if let Some(after) = after {
            q = q.bind(after);
        }
        let rows = q.fetch_all(self.reader()).await.map_err(unavailable)?;
        rows.iter().map(group_from_row).collect()
    }

    async fn list_users_in_group(
        &self,
        pool_id: &str,
        group: &str,
        after: Option<&str>,
        page: usize,
    ) -> StoreResult<Vec<User>> {
        let sql = with_keys(&format!(
            "SELECT {USER_COLUMNS} FROM group_members m \
             JOIN users u ON u.pool_id = m.pool_id AND u.sub = m.sub \
             WHERE m.pool_id = $1 AND m.group_name = $2 {} ORDER BY u.username LIMIT $3",
            after_condition(after, "u.username", 4)
        ));
        let mut q = query(&sql).bind(pool_id).bind(group).bind(limit(page));
        if let Some(after) = after {
            q = q.bind(after);
        }
        let rows = q.fetch_all(self.reader()).await.map_err(unavailable)?;
        users_from_rows(&rows)
    }
}
