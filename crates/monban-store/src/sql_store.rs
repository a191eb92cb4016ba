//! The store handle: connecting, migrating, and the health check.

use async_trait::async_trait;
use monban_core::entities::User;
use monban_core::store::{Store, StoreError, StoreResult, TokenFamilyState};
use sqlx::migrate::Migrator;
use sqlx::{Any, AnyPool, Executor, Transaction};

use std::sync::Arc;

use crate::config_cache::ConfigCache;
use crate::dialect::Dialect;
use crate::error::unavailable;

/// Core's storage ports on SQLite or PostgreSQL, as the URL says. Cloning is cheap and
/// shares the connection pool.
#[derive(Clone)]
pub struct SqlStore {
    /// Every write, and reads that must come from the writer.
    pub(crate) pool: AnyPool,
    /// SQLite files: connections that only read ([`SqlStore::reader`]).
    readers: Option<AnyPool>,
    pub(crate) dialect: Dialect,
    pub(crate) cache: Arc<ConfigCache>,
    pub(crate) audit: Arc<crate::audit::AuditBatcher>,
}

impl std::fmt::Debug for SqlStore {
    // No URL here: it may hold a password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqlStore")
            .field("dialect", &self.dialect)
            .finish_non_exhaustive()
    }
}

impl SqlStore {
    /// Connects to `url` (`sqlite://path/file.db?mode=rwc`, `sqlite:path`,
    /// `postgres://user:password@host/db`) and applies the pending migrations. For SQLite,
    /// the file's directory must exist; `mode=rwc` creates the file.
    pub async fn connect(url: &str) -> Result<SqlStore, StoreError> {
        let store = Self::connect_without_migrating(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Connects without touching the schema.
    pub async fn connect_without_migrating(url: &str) -> Result<SqlStore, StoreError> {
        sqlx::any::install_default_drivers();
        let dialect = Dialect::from_url(url)?;
        let pool = dialect
            .pool_options()
            .connect(url)
            .await
            .map_err(unavailable)?;
        // Connected on first use: by then the writer has created the file.
        let readers = dialect
            .reader_pool_options(url)
            .map(|options| options.connect_lazy(url))
            .transpose()
            .map_err(unavailable)?;
        Ok(SqlStore {
            pool,
            readers,
            dialect,
            cache: Arc::default(),
            audit: Arc::default(),
        })
    }

    /// Applies the migrations not yet applied. Safe to run from several processes at once
    /// (the migrator takes a database lock).
    pub async fn migrate(&self) -> Result<(), StoreError> {
        let migrator = Migrator::new(self.dialect.migrations())
            .await
            .map_err(|e| StoreError::Unavailable(e.to_string()))?;
        migrator
            .run(&self.pool)
            .await
            .map_err(|e| StoreError::Unavailable(format!("migration failed: {e}")))
    }

    pub fn is_sqlite(&self) -> bool {
        self.dialect == Dialect::Sqlite
    }

    /// Waits for the connections to be returned and closes them.
    pub async fn close(&self) {
        if let Some(readers) = &self.readers {
            readers.close().await;
        }
        self.pool.close().await;
    }

    /// Where a plain `SELECT` runs. On a SQLite file, reader connections beside the one
    /// writer: WAL lets them read while the writer commits (and waits for its fsync), and
    /// each connection has its own worker thread, so reads use every core. What a write
    /// committed is visible to the next read. Elsewhere (PostgreSQL, in-memory SQLite):
    /// the one pool.
    pub(crate) fn reader(&self) -> &AnyPool {
        self.readers.as_ref().unwrap_or(&self.pool)
    }

    /// A transaction for several statements that write.
    pub(crate) async fn begin_write(&self) -> StoreResult<Transaction<'static, Any>> {
        self.pool
            .begin_with(self.dialect.begin_write())
            .await
            .map_err(unavailable)
    }
}

#[async_trait]
impl Store for SqlStore {
    async fn ping(&self) -> StoreResult<()> {
        self.pool.execute("SELECT 1").await.map_err(unavailable)?;
        Ok(())
    }

    async fn get_token_user(
        &self,
        pool_id: &str,
        sub: &str,
        family_id: &str,
    ) -> StoreResult<Option<(User, TokenFamilyState)>> {
        crate::users::get_token_user(self, pool_id, sub, family_id).await
    }
}
