//! `DeviceStore`: the devices users sign in from, each one row keyed by its device key.

use async_trait::async_trait;
use monban_core::entities::{Device, SrpCredential};
use monban_core::store::{DeviceStore, StoreError, StoreResult};
use monban_wire::idp::DeviceRememberedStatusType;
use sqlx::any::AnyRow;
use sqlx::query;

use crate::codec::{after_condition, column_value, json_column, limit, to_json};
use crate::error::{corrupt, on_write, unavailable};
use crate::SqlStore;

const COLUMNS: &str = "pool_id, sub, device_key, device_group_key, verifier_salt, verifier, \
                       name, attributes, remembered_status, created_ms, modified_ms, \
                       last_authenticated_ms";

fn device_from_row(row: &AnyRow) -> StoreResult<Device> {
    let salt: Option<String> = column_value(row, "verifier_salt")?;
    let verifier: Option<String> = column_value(row, "verifier")?;
    let status: String = column_value(row, "remembered_status")?;
    Ok(Device {
        pool_id: column_value(row, "pool_id")?,
        sub: column_value(row, "sub")?,
        device_key: column_value(row, "device_key")?,
        device_group_key: column_value(row, "device_group_key")?,
        verifier: salt
            .zip(verifier)
            .map(|(salt, verifier)| SrpCredential { salt, verifier }),
        name: column_value(row, "name")?,
        attributes: json_column(row, "attributes")?,
        status: DeviceRememberedStatusType::parse(&status)
            .ok_or_else(|| corrupt("remembered_status", &status))?,
        created_ms: column_value(row, "created_ms")?,
        modified_ms: column_value(row, "modified_ms")?,
        last_authenticated_ms: column_value(row, "last_authenticated_ms")?,
    })
}

/// `NotFound` when a statement aimed at one device touched none.
fn one_row(rows_affected: u64) -> StoreResult<()> {
    if rows_affected == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

#[async_trait]
impl DeviceStore for SqlStore {
    async fn insert_device(&self, device: &Device, keep_unconfirmed: usize) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        // Pruned before the insert, so the new device is never the one dropped (devices
        // made within the same millisecond tie on created_ms).
        query(
            "DELETE FROM devices WHERE pool_id = $1 AND sub = $2 AND verifier IS NULL \
             AND device_key NOT IN (SELECT device_key FROM devices \
             WHERE pool_id = $1 AND sub = $2 AND verifier IS NULL \
             ORDER BY created_ms DESC, device_key DESC LIMIT $3)",
        )
        .bind(&device.pool_id)
        .bind(&device.sub)
        .bind(limit(keep_unconfirmed.saturating_sub(1)))
        .execute(&mut *tx)
        .await
        .map_err(unavailable)?;
        let sql = format!(
            "INSERT INTO devices ({COLUMNS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
        );
        query(&sql)
            .bind(&device.pool_id)
            .bind(&device.sub)
            .bind(&device.device_key)
            .bind(&device.device_group_key)
            .bind(device.verifier.as_ref().map(|v| v.salt.as_str()))
            .bind(device.verifier.as_ref().map(|v| v.verifier.as_str()))
            .bind(device.name.as_deref())
            .bind(to_json("device attributes", &device.attributes)?)
            .bind(device.status.as_str())
            .bind(device.created_ms)
            .bind(device.modified_ms)
            .bind(device.last_authenticated_ms)
            .execute(&mut *tx)
            .await
            .map_err(|e| on_write(e, || format!("device:{}", device.device_key)))?;
        tx.commit().await.map_err(unavailable)
    }

    async fn get_device(
        &self,
        pool_id: &str,
        sub: &str,
        device_key: &str,
    ) -> StoreResult<Option<Device>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM devices WHERE pool_id = $1 AND sub = $2 AND device_key = $3"
        );
        let row = query(&sql)
            .bind(pool_id)
            .bind(sub)
            .bind(device_key)
            .fetch_optional(self.reader())
            .await
            .map_err(unavailable)?;
        row.as_ref().map(device_from_row).transpose()
    }

    async fn get_device_group_key(&self, pool_id: &str, sub: &str) -> StoreResult<Option<String>> {
        let row = query(
            "SELECT device_group_key FROM devices WHERE pool_id = $1 AND sub = $2 \
             ORDER BY created_ms, device_key LIMIT 1",
        )
        .bind(pool_id)
        .bind(sub)
        .fetch_optional(self.reader())
        .await
        .map_err(unavailable)?;
        row.as_ref()
            .map(|row| column_value(row, "device_group_key"))
            .transpose()
    }

    async fn confirm_device(&self, device: &Device) -> StoreResult<()> {
        let verifier = device.verifier.as_ref().ok_or_else(|| {
            StoreError::Unavailable("a device confirmed without a verifier".to_owned())
        })?;
        let done = query(
            "UPDATE devices SET verifier_salt = $4, verifier = $5, name = $6, attributes = $7, \
             remembered_status = $8, modified_ms = $9 \
             WHERE pool_id = $1 AND sub = $2 AND device_key = $3 AND verifier IS NULL",
        )
        .bind(&device.pool_id)
        .bind(&device.sub)
        .bind(&device.device_key)
        .bind(&verifier.salt)
        .bind(&verifier.verifier)
        .bind(device.name.as_deref())
        .bind(to_json("device attributes", &device.attributes)?)
        .bind(device.status.as_str())
        .bind(device.modified_ms)
        .execute(&self.pool)
        .await
        .map_err(unavailable)?;
        if done.rows_affected() > 0 {
            return Ok(());
        }
        match self
            .get_device(&device.pool_id, &device.sub, &device.device_key)
            .await?
        {
            Some(_) => Err(StoreError::Conflict {
                key: format!("device:{}", device.device_key),
            }),
            None => Err(StoreError::NotFound),
        }
    }

    async fn set_device_status(
        &self,
        pool_id: &str,
        sub: &str,
        device_key: &str,
        status: DeviceRememberedStatusType,
        at_ms: i64,
    ) -> StoreResult<()> {
        let done = query(
            "UPDATE devices SET remembered_status = $4, modified_ms = $5 \
             WHERE pool_id = $1 AND sub = $2 AND device_key = $3",
        )
        .bind(pool_id)
        .bind(sub)
        .bind(device_key)
        .bind(status.as_str())
        .bind(at_ms)
        .execute(&self.pool)
        .await
        .map_err(unavailable)?;
        one_row(done.rows_affected())
    }

    async fn record_device_authentication(
        &self,
        pool_id: &str,
        sub: &str,
        device_key: &str,
        at_ms: i64,
    ) -> StoreResult<()> {
        let done = query(
            "UPDATE devices SET last_authenticated_ms = $4 \
             WHERE pool_id = $1 AND sub = $2 AND device_key = $3",
        )
        .bind(pool_id)
        .bind(sub)
        .bind(device_key)
        .bind(at_ms)
        .execute(&self.pool)
        .await
        .map_err(unavailable)?;
        one_row(done.rows_affected())
    }

    async fn delete_device(&self, pool_id: &str, sub: &str, device_key: &str) -> StoreResult<()> {
        let done = query("DELETE FROM devices WHERE pool_id = $1 AND sub = $2 AND device_key = $3")
            .bind(pool_id)
            .bind(sub)
            .bind(device_key)
            .execute(&self.pool)
            .await
            .map_err(unavailable)?;
        one_row(done.rows_affected())
    }

    async fn list_devices(
        &self,
        pool_id: &str,
        sub: &str,
        after: Option<&str>,
        page: usize,
    ) -> StoreResult<Vec<Device>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM devices \
             WHERE pool_id = $1 AND sub = $2 AND verifier IS NOT NULL {} \
             ORDER BY device_key LIMIT $3",
            after_condition(after, "device_key", 4)
        );
        let mut q = query(&sql).bind(pool_id).bind(sub).bind(limit(page));
        if let Some(after) = after {
            q = q.bind(after);
        }
        let rows = q.fetch_all(self.reader()).await.map_err(unavailable)?;
        rows.iter().map(device_from_row).collect()
    }
}
