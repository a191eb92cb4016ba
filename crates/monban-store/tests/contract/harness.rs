//! Runs each contract test on every backend: SQLite in a fresh temporary file always, and
//! PostgreSQL in a fresh schema when `MONBAN_TEST_DATABASE_URL` is set.

use std::future::Future;
use std::path::PathBuf;

use monban_store::SqlStore;
use sqlx::{Connection, Executor};

pub const DATABASE_URL_VAR: &str = "MONBAN_TEST_DATABASE_URL";

/// A temporary directory for a SQLite file, removed even when the test panics.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new() -> Self {
        let dir = std::env::temp_dir().join(format!("monban-store-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    pub fn db_file(&self) -> PathBuf {
        self.0.join("monban.db")
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A fresh SQLite store in its own directory; the directory goes when the guard drops.
pub async fn sqlite_store() -> (SqlStore, TempDir) {
    let dir = TempDir::new();
    let store = SqlStore::connect(&sqlite_url(&dir.db_file()))
        .await
        .unwrap();
    (store, dir)
}

pub fn sqlite_url(file: &std::path::Path) -> String {
    format!("sqlite://{}?mode=rwc", file.display())
}

/// `url` with a `search_path` of `schema`, so that the store sees only that schema.
fn with_search_path(url: &str, schema: &str) -> String {
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}options[search_path]={schema}")
}

pub async fn postgres_admin(url: &str) -> sqlx::AnyConnection {
    sqlx::any::install_default_drivers();
    sqlx::AnyConnection::connect(url).await.unwrap()
}

/// Runs `test` against each backend in turn, each on an empty database.
pub async fn each_backend<F, Fut>(test: F)
where
    F: Fn(SqlStore) -> Fut,
    Fut: Future<Output = ()>,
{
    {
        eprintln!("-- on SQLite");
        let (store, _dir) = sqlite_store().await;
        assert!(store.is_sqlite());
        test(store.clone()).await;
        store.close().await;
    }
    if let Ok(url) = std::env::var(DATABASE_URL_VAR) {
        eprintln!("-- on PostgreSQL");
        let schema = format!("test_{}", uuid::Uuid::new_v4().simple());
        let mut admin = postgres_admin(&url).await;
        admin
            .execute(format!("CREATE SCHEMA {schema}").as_str())
            .await
            .unwrap();
        let store = SqlStore::connect(&with_search_path(&url, &schema))
            .await
            .unwrap();
        assert!(!store.is_sqlite());
        test(store.clone()).await;
        store.close().await;
        admin
            .execute(format!("DROP SCHEMA {schema} CASCADE").as_str())
            .await
            .unwrap();
    }
}
