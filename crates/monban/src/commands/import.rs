//! `monban import FILE`: reads a `monban export` (plain or encrypted; `-` reads standard
//! input) into this server's database, on either backend. Refuses a pool that exists; a
//! failed import leaves nothing behind.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::sync::Arc;

use monban_core::export::import_pool;

use super::export::summary;
use super::progress::Progress;
use super::sealed_file::{is_sealed, OpenReader};
use crate::settings::Settings;

pub async fn run(
    settings: &Settings,
    file: &Path,
    passphrase: Option<Vec<u8>>,
) -> anyhow::Result<()> {
    let raw: Box<dyn BufRead> = if file == Path::new("-") {
        Box::new(BufReader::new(std::io::stdin()))
    } else {
        Box::new(BufReader::new(File::open(file).map_err(|e| {
            anyhow::anyhow!("cannot open {}: {e}", file.display())
        })?))
    };
    let mut raw = raw;
    let input: Box<dyn BufRead> = if is_sealed(raw.fill_buf()?) {
        let passphrase = passphrase.ok_or_else(|| {
            anyhow::anyhow!(
                "the export is encrypted: give --passphrase-file or {}",
                super::passphrase::ENV
            )
        })?;
        Box::new(BufReader::new(OpenReader::new(raw, &passphrase)?))
    } else {
        raw
    };
    let store = Arc::new(super::open_store(settings).await?);
    let cx = super::command_cx(settings, store.clone());
    let mut progress = Progress::on_terminal();
    let imported = import_pool(&cx, input, &mut |counts| {
        progress.show(|| format!("importing: {}", summary(counts)))
    })
    .await;
    progress.finish();
    store.close().await;
    let counts = imported.map_err(|e| anyhow::anyhow!("import failed: {e}"))?;
    println!("imported {}: {}", file.display(), summary(&counts));
    Ok(())
}
