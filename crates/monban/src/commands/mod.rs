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

/// Creates the data directory if it is missing, readable by its owner only: it holds the
/// database (password hashes, client secrets, signing keys) and the admin key.
pub fn create_data_dir(settings: &Settings) -> anyhow::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(&settings.data_dir).map_err(|e| {
        anyhow::anyhow!(
            "cannot create the data directory {}: {e}",
            settings.data_dir.display()
        )
    })
}

/// Connects to the database, applying migrations. The default SQLite file lives in the data
/// directory, which is created on first use.
pub async fn open_store(settings: &Settings) -> anyhow::Result<SqlStore> {
    if settings.database_in_data_dir() {
        create_data_dir(settings)?;
    }
    let shown = redact::database_url(&settings.database_url);
    tracing::debug!(database = %shown, "connecting to the database");
    SqlStore::connect(&settings.database_url)
        .await
        .map_err(|e| anyhow::anyhow!("cannot open the database {shown}: {e}"))
}
