//! `HostedUiStore`: the `hosted_ui_sessions` and `ui_customizations` tables.

use async_trait::async_trait;
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use monban_core::hosted_ui::{HostedUiSession, HostedUiStore, Logo, UiCustomization};
use monban_core::store::StoreResult;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::query;

use crate::codec::{column_value, json_column, to_json};
use crate::error::{corrupt, on_write, unavailable};
use crate::SqlStore;

const SESSION_COLUMNS: &str = "id, pool_id, sub, auth_time_ms, created_ms, expires_ms";
const CUSTOMIZATION_COLUMNS: &str = "pool_id, client_id, config, created_ms, modified_ms";

/// The `config` document of a customization.
#[derive(Serialize, Deserialize)]
struct CustomizationConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    css: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    logo_type: Option<String>,
    /// Base64 of the logo's bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    logo: Option<String>,
}

fn session_from_row(row: &AnyRow) -> StoreResult<HostedUiSession> {
    Ok(HostedUiSession {
        id: column_value(row, "id")?,
        pool_id: column_value(row, "pool_id")?,
        sub: column_value(row, "sub")?,
        auth_time_ms: column_value(row, "auth_time_ms")?,
        created_ms: column_value(row, "created_ms")?,
        expires_ms: column_value(row, "expires_ms")?,
    })
}

fn customization_from_row(row: &AnyRow) -> StoreResult<UiCustomization> {
    let config: CustomizationConfig = json_column(row, "config")?;
    let logo = match (config.logo_type, config.logo) {
        (Some(content_type), Some(encoded)) => Some(Logo {
            content_type,
            bytes: STANDARD
                .decode(encoded)
                .map_err(|e| corrupt("UI customization logo", e))?,
        }),
        _ => None,
    };
    Ok(UiCustomization {
        pool_id: column_value(row, "pool_id")?,
        client_id: column_value(row, "client_id")?,
        css: config.css,
        logo,
        created_ms: column_value(row, "created_ms")?,
        modified_ms: column_value(row, "modified_ms")?,
    })
}

#[async_trait]
impl HostedUiStore for SqlStore {
    async fn insert_hosted_ui_session(&self, session: &HostedUiSession) -> StoreResult<()> {
        // Sessions nobody ended would pile up: each insert sweeps its pool's expired ones
        // first (only its pool's: the time is this node's clock, as for auth sessions).
        query("DELETE FROM hosted_ui_sessions WHERE pool_id = $1 AND expires_ms < $2")
            .bind(&session.pool_id)
            .bind(session.created_ms)
            .execute(&self.pool)
            .await
            .map_err(unavailable)?;
        let sql = format!(
            "INSERT INTO hosted_ui_sessions ({SESSION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)"
        );
        query(&sql)
            .bind(&session.id)
            .bind(&session.pool_id)
            .bind(&session.sub)
            .bind(session.auth_time_ms)
            .bind(session.created_ms)
            .bind(session.expires_ms)
            .execute(&self.pool)
            .await
            .map_err(|e| on_write(e, || format!("session:{}", session.id)))?;
        Ok(())
    }

    async fn get_hosted_ui_session(&self, id: &str) -> StoreResult<Option<HostedUiSession>> {
        let sql = format!("SELECT {SESSION_COLUMNS} FROM hosted_ui_sessions WHERE id = $1");
        let row = query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(unavailable)?;
        row.as_ref().map(session_from_row).transpose()
    }

    async fn delete_hosted_ui_session(&self, id: &str) -> StoreResult<()> {
        query("DELETE FROM hosted_ui_sessions WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await
            .map_err(unavailable)?;
        Ok(())
    }

    async fn put_ui_customization(&self, c: &UiCustomization) -> StoreResult<()> {
        let config = to_json(
            "UI customization",
            &CustomizationConfig {
                css: c.css.clone(),
                logo_type: c.logo.as_ref().map(|l| l.content_type.clone()),
                logo: c.logo.as_ref().map(|l| STANDARD.encode(&l.bytes)),
            },
        )?;
        let sql = format!(
            "INSERT INTO ui_customizations ({CUSTOMIZATION_COLUMNS}) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (pool_id, client_id) DO UPDATE SET config = excluded.config, \
             modified_ms = excluded.modified_ms"
        );
        query(&sql)
            .bind(&c.pool_id)
            .bind(&c.client_id)
            .bind(config)
            .bind(c.created_ms)
            .bind(c.modified_ms)
            .execute(&self.pool)
            .await
            .map_err(|e| on_write(e, || format!("ui:{}:{}", c.pool_id, c.client_id)))?;
        Ok(())
    }

    async fn get_ui_customization(
        &self,
        pool_id: &str,
        client_id: &str,
    ) -> StoreResult<Option<UiCustomization>> {
        let sql = format!(
            "SELECT {CUSTOMIZATION_COLUMNS} FROM ui_customizations \
             WHERE pool_id = $1 AND client_id = $2"
        );
        let row = query(&sql)
            .bind(pool_id)
            .bind(client_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(unavailable)?;
        row.as_ref().map(customization_from_row).transpose()
    }
}
