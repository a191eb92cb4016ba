//! `OAuthStore`: the `user_pool_domains`, `resource_servers` and `oauth_family_scopes`
//! tables.

use async_trait::async_trait;
use monban_core::oauth::{ResourceServer, UserPoolDomain};
use monban_core::store::{OAuthStore, StoreError, StoreResult};
use monban_wire::idp::CustomDomainConfigType;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::query;

use crate::codec::{after_condition, column_value, json_column, limit, to_json};
use crate::error::{on_write, unavailable};
use crate::SqlStore;

const DOMAIN_COLUMNS: &str = "domain, pool_id, config, created_ms, modified_ms";
const SERVER_COLUMNS: &str = "pool_id, identifier, name, scopes";

/// The `config` document of a domain.
#[derive(Serialize, Deserialize)]
struct DomainConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    custom_domain_config: Option<CustomDomainConfigType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    managed_login_version: Option<i32>,
}

fn domain_config(d: &UserPoolDomain) -> StoreResult<String> {
    to_json(
        "domain config",
        &DomainConfig {
            custom_domain_config: d.custom_domain_config.clone(),
            managed_login_version: d.managed_login_version,
        },
    )
}

fn kind(d: &UserPoolDomain) -> &'static str {
    if d.is_custom() {
        "custom"
    } else {
        "prefix"
    }
}

fn domain_from_row(row: &AnyRow) -> StoreResult<UserPoolDomain> {
    let config: DomainConfig = json_column(row, "config")?;
    Ok(UserPoolDomain {
        domain: column_value(row, "domain")?,
        pool_id: column_value(row, "pool_id")?,
        custom_domain_config: config.custom_domain_config,
        managed_login_version: config.managed_login_version,
        created_ms: column_value(row, "created_ms")?,
        modified_ms: column_value(row, "modified_ms")?,
    })
}

fn server_from_row(row: &AnyRow) -> StoreResult<ResourceServer> {
    Ok(ResourceServer {
        pool_id: column_value(row, "pool_id")?,
        identifier: column_value(row, "identifier")?,
        name: column_value(row, "name")?,
        scopes: json_column(row, "scopes")?,
    })
}

fn done_or_not_found(rows: u64) -> StoreResult<()> {
    if rows == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

#[async_trait]
impl OAuthStore for SqlStore {
    async fn insert_domain(&self, domain: &UserPoolDomain) -> StoreResult<()> {
        let sql = format!(
            "INSERT INTO user_pool_domains ({DOMAIN_COLUMNS}, kind) VALUES ($1, $2, $3, $4, $5, $6)"
        );
        let written = query(&sql)
            .bind(&domain.domain)
            .bind(&domain.pool_id)
            .bind(domain_config(domain)?)
            .bind(domain.created_ms)
            .bind(domain.modified_ms)
            .bind(kind(domain))
            .execute(&self.pool)
            .await
            .map_err(|e| on_write(e, String::new));
        match written {
            Ok(_) => Ok(()),
            // Two unique keys: say which one was taken.
            Err(StoreError::Conflict { .. }) => {
                let key = if self.get_domain(&domain.domain).await?.is_some() {
                    format!("domain:{}", domain.domain)
                } else {
                    format!("pool_domain:{}:{}", domain.pool_id, kind(domain))
                };
                Err(StoreError::Conflict { key })
            }
            Err(e) => Err(e),
        }
    }

    async fn get_domain(&self, domain: &str) -> StoreResult<Option<UserPoolDomain>> {
        let sql = format!("SELECT {DOMAIN_COLUMNS} FROM user_pool_domains WHERE domain = $1");
        let row = query(&sql)
            .bind(domain)
            .fetch_optional(self.reader())
            .await
            .map_err(unavailable)?;
        row.as_ref().map(domain_from_row).transpose()
    }

    async fn list_pool_domains(&self, pool_id: &str) -> StoreResult<Vec<UserPoolDomain>> {
        let sql = format!(
            "SELECT {DOMAIN_COLUMNS} FROM user_pool_domains WHERE pool_id = $1 ORDER BY domain"
        );
        let rows = query(&sql)
            .bind(pool_id)
            .fetch_all(self.reader())
            .await
            .map_err(unavailable)?;
        rows.iter().map(domain_from_row).collect()
    }

    async fn update_domain(&self, domain: &UserPoolDomain) -> StoreResult<()> {
        let done = query(
            "UPDATE user_pool_domains SET config = $3, modified_ms = $4 \
             WHERE domain = $1 AND pool_id = $2",
        )
        .bind(&domain.domain)
        .bind(&domain.pool_id)
        .bind(domain_config(domain)?)
        .bind(domain.modified_ms)
        .execute(&self.pool)
        .await
        .map_err(unavailable)?;
        done_or_not_found(done.rows_affected())
    }

    async fn delete_domain(&self, pool_id: &str, domain: &str) -> StoreResult<()> {
        let done = query("DELETE FROM user_pool_domains WHERE domain = $1 AND pool_id = $2")
            .bind(domain)
            .bind(pool_id)
            .execute(&self.pool)
            .await
            .map_err(unavailable)?;
        done_or_not_found(done.rows_affected())
    }

    async fn insert_resource_server(&self, server: &ResourceServer) -> StoreResult<()> {
        let sql =
            format!("INSERT INTO resource_servers ({SERVER_COLUMNS}) VALUES ($1, $2, $3, $4)");
        query(&sql)
            .bind(&server.pool_id)
            .bind(&server.identifier)
            .bind(&server.name)
            .bind(to_json("resource server scopes", &server.scopes)?)
            .execute(&self.pool)
            .await
            .map_err(|e| on_write(e, || format!("resource_server:{}", server.identifier)))?;
        Ok(())
    }

    async fn get_resource_server(
        &self,
        pool_id: &str,
        identifier: &str,
    ) -> StoreResult<Option<ResourceServer>> {
        let sql = format!(
            "SELECT {SERVER_COLUMNS} FROM resource_servers WHERE pool_id = $1 AND identifier = $2"
        );
        let row = query(&sql)
            .bind(pool_id)
            .bind(identifier)
            .fetch_optional(self.reader())
            .await
            .map_err(unavailable)?;
        row.as_ref().map(server_from_row).transpose()
    }

    async fn update_resource_server(&self, server: &ResourceServer) -> StoreResult<()> {
        let done = query(
            "UPDATE resource_servers SET name = $3, scopes = $4 \
             WHERE pool_id = $1 AND identifier = $2",
        )
        .bind(&server.pool_id)
        .bind(&server.identifier)
        .bind(&server.name)
        .bind(to_json("resource server scopes", &server.scopes)?)
        .execute(&self.pool)
        .await
        .map_err(unavailable)?;
        done_or_not_found(done.rows_affected())
    }

    async fn delete_resource_server(&self, pool_id: &str, identifier: &str) -> StoreResult<()> {
        let done = query("DELETE FROM resource_servers WHERE pool_id = $1 AND identifier = $2")
            .bind(pool_id)
            .bind(identifier)
            .execute(&self.pool)
            .await
            .map_err(unavailable)?;
        done_or_not_found(done.rows_affected())
    }

    async fn list_resource_servers(
        &self,
        pool_id: &str,
        after: Option<&str>,
        page: usize,
    ) -> StoreResult<Vec<ResourceServer>> {
        let sql = format!(
            "SELECT {SERVER_COLUMNS} FROM resource_servers WHERE pool_id = $1 {} \
             ORDER BY identifier LIMIT $2",
            after_condition(after, "identifier", 3)
        );
        let mut q = query(&sql).bind(pool_id).bind(limit(page));
        if let Some(after) = after {
            q = q.bind(after);
        }
        let rows = q.fetch_all(self.reader()).await.map_err(unavailable)?;
        rows.iter().map(server_from_row).collect()
    }

    async fn put_family_scopes(
        &self,
        pool_id: &str,
        family_id: &str,
        scopes: &str,
    ) -> StoreResult<()> {
        query(
            "INSERT INTO oauth_family_scopes (pool_id, family_id, scopes) VALUES ($1, $2, $3) \
             ON CONFLICT (pool_id, family_id) DO UPDATE SET scopes = excluded.scopes",
        )
        .bind(pool_id)
        .bind(family_id)
        .bind(scopes)
        .execute(&self.pool)
        .await
        .map_err(|e| on_write(e, || format!("family:{family_id}")))?;
        Ok(())
    }

    async fn get_family_scopes(
        &self,
        pool_id: &str,
        family_id: &str,
    ) -> StoreResult<Option<String>> {
        let row =
            query("SELECT scopes FROM oauth_family_scopes WHERE pool_id = $1 AND family_id = $2")
                .bind(pool_id)
                .bind(family_id)
                .fetch_optional(self.reader())
                .await
                .map_err(unavailable)?;
        row.as_ref().map(|r| column_value(r, "scopes")).transpose()
    }
}
