//! One module per subcommand.

pub mod audit;
pub mod backup;
pub mod config_check;
pub mod export;
pub mod import;
pub mod keys;
pub mod mail;
pub mod migrate;
pub mod outbox;
pub mod passphrase;
pub mod progress;
pub mod restore;
pub mod sealed_file;
pub mod seed;
pub mod serve;
pub mod triggers;
pub mod users;

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

/// The core context of a command that runs beside the servers rather than in one: the
/// system clock and randomness, no triggers, and the outbox for any mail or SMS.
pub fn command_cx(settings: &Settings, store: std::sync::Arc<SqlStore>) -> monban_core::Cx {
    use std::sync::Arc;

    let clock = Arc::new(monban_core::SystemClock);
    monban_core::Cx {
        store: store.clone(),
        clock: clock.clone(),
        rng: Arc::new(monban_core::SystemRng),
        mailer: Arc::new(monban_core::mail::OutboxMailer {
            store: store.clone(),
            clock: clock.clone(),
        }),
        settings: Arc::new(settings.core_settings()),
        keys: Default::default(),
        secrets: Default::default(),
        triggers: Arc::new(monban_core::triggers::NoTriggers),
        sms: Arc::new(monban_core::sms::OutboxSms { store, clock }),
    }
}
