//! `monban migrate`: bring the database schema up to date and exit.

use crate::settings::{redact, Settings};

pub async fn run(settings: &Settings) -> anyhow::Result<()> {
    super::open_store(settings).await?;
    println!(
        "migrations applied: {}",
        redact::database_url(&settings.database_url)
    );
    Ok(())
}
