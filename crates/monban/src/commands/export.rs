//! `monban export --pool-id ID FILE`: one pool, everything needed to move it to another
//! monban (password hashes, SRP verifiers, TOTP secrets, devices, client secrets, and the
//! signing keys with `--include-signing-keys`), as JSON lines (docs/export-format.md),
//! encrypted when a passphrase is given. `-` writes to standard output.

use std::io::{BufWriter, Write};
use std::path::Path;
use std::sync::Arc;

use monban_core::export::{export_pool, Counts, ExportOptions};

use super::backup::create_private;
use super::progress::{count, Progress};
use super::sealed_file::SealWriter;
use crate::settings::Settings;

pub async fn run(
    settings: &Settings,
    pool_id: &str,
    file: &Path,
    include_signing_keys: bool,
    passphrase: Option<Vec<u8>>,
) -> anyhow::Result<()> {
    let to_stdout = file == Path::new("-");
    let store = Arc::new(super::open_store(settings).await?);
    let cx = super::command_cx(settings, store.clone());
    let output: Box<dyn Write> = if to_stdout {
        Box::new(std::io::stdout().lock())
    } else {
        Box::new(create_private(file)?)
    };
    let mut sink = match passphrase {
        Some(passphrase) => Sink::Sealed(SealWriter::new(BufWriter::new(output), &passphrase)?),
        None => Sink::Plain(BufWriter::new(output)),
    };
    let mut progress = Progress::on_terminal();
    let exported = export_pool(
        &cx,
        pool_id,
        ExportOptions {
            include_signing_keys,
        },
        &mut sink,
        &mut |counts| progress.show(|| format!("exporting {pool_id}: {}", summary(counts))),
    )
    .await
    .map_err(anyhow::Error::from)
    .and_then(|counts| {
        sink.finish()?;
        Ok(counts)
    });
    progress.finish();
    store.close().await;
    match exported {
        Ok(counts) => {
            if !to_stdout {
                println!(
                    "exported {pool_id} to {}: {}",
                    file.display(),
                    summary(&counts)
                );
            }
            Ok(())
        }
        Err(e) => {
            if !to_stdout {
                let _ = std::fs::remove_file(file);
            }
            Err(e.context(format!("export of {pool_id} failed")))
        }
    }
}

pub fn summary(counts: &Counts) -> String {
    format!(
        "{} users, {} clients, {} groups, {} signing keys, {} identity pools, {} identities",
        count(counts.users),
        count(counts.clients),
        count(counts.groups),
        count(counts.signing_keys),
        count(counts.identity_pools),
        count(counts.identities)
    )
}

enum Sink<'a> {
    Plain(BufWriter<Box<dyn Write + 'a>>),
    Sealed(SealWriter<BufWriter<Box<dyn Write + 'a>>>),
}

impl Sink<'_> {
    fn finish(self) -> std::io::Result<()> {
        match self {
            Sink::Plain(mut w) => w.flush(),
            Sink::Sealed(w) => w.finish().map(|_| ()),
        }
    }
}

impl Write for Sink<'_> {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        match self {
            Sink::Plain(w) => w.write(data),
            Sink::Sealed(w) => w.write(data),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Sink::Plain(w) => w.flush(),
            Sink::Sealed(w) => w.flush(),
        }
    }
}
