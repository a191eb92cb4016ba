//! One module per subcommand.

pub mod config_check;
pub mod keys;
pub mod migrate;
pub mod outbox;
pub mod seed;
pub mod serve;
pub mod triggers;

use monban_store::SqlStore;

use crate::settings::{redact, Settings};

/// Connects to the database, applying migrations. The default SQLite file lives in the data
/// directory, which is created on first use.
pub async fn open_store(settings: &Settings) -> anyhow::Result<SqlStore> {
    if settings.database_in_data_dir() {
        std::fs::create_dir_all(&settings.data_dir).map_err(|e| {
            anyhow::anyhow!(
                "cannot create the data directory {}: {e}",
                settings.data_dir.display()
            )
        })?;
    }
    let shown = redact::database_url(&settings.database_url);
    tracing::debug!(database = %shown, "connecting to the database");
    SqlStore::connect(&settings.database_url)
        .await
        .map_err(|e| anyhow::anyhow!("cannot open the database {shown}: {e}"))
}
