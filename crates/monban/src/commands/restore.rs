//! `monban restore FILE`: puts a `monban backup` in place as the SQLite database of an
//! empty data directory (or of the `sqlite://` database URL), decrypting it if it is
//! encrypted, then opens it (applying newer migrations) to check it.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use monban_core::store::UserPoolStore;

use super::backup::create_private;
use super::progress::{count, Progress};
use super::sealed_file::{is_sealed, OpenReader};
use crate::settings::Settings;

const SQLITE_MAGIC: &[u8] = b"SQLite format 3\0";

pub async fn run(
    settings: &Settings,
    file: &Path,
    passphrase: Option<Vec<u8>>,
) -> anyhow::Result<()> {
    let target = sqlite_path(&settings.database_url)?;
    for existing in [target.clone(), suffixed(&target, "-wal")] {
        if existing.exists() {
            anyhow::bail!(
                "{} exists: restore only into an empty data directory (or a new database file)",
                existing.display()
            );
        }
    }
    if settings.database_in_data_dir() {
        super::create_data_dir(settings)?;
    }
    let mut input = BufReader::new(
        File::open(file).map_err(|e| anyhow::anyhow!("cannot open {}: {e}", file.display()))?,
    );
    let mut start = [0u8; 16];
    let read = input.read(&mut start)?;
    let start = &start[..read];
    let partial = suffixed(&target, ".restoring");
    let _ = std::fs::remove_file(&partial);
    let copied = if is_sealed(start) {
        let passphrase = passphrase.ok_or_else(|| {
            anyhow::anyhow!(
                "the backup is encrypted: give --passphrase-file or {}",
                super::passphrase::ENV
            )
        })?;
        let reader = OpenReader::new(
            std::io::Cursor::new(start.to_vec()).chain(input),
            &passphrase,
        )?;
        copy(reader, &partial)
    } else if start.starts_with(SQLITE_MAGIC) {
        copy(std::io::Cursor::new(start.to_vec()).chain(input), &partial)
    } else {
        anyhow::bail!("{} is not a monban backup", file.display());
    };
    if let Err(e) = copied {
        let _ = std::fs::remove_file(&partial);
        return Err(e.context("restore failed"));
    }
    std::fs::rename(&partial, &target)?;
    let pools = match opened_pools(settings).await {
        Ok(pools) => pools,
        Err(e) => {
            // Not a database monban can open: leave the directory as empty as it was.
            for file in [
                target.clone(),
                suffixed(&target, "-wal"),
                suffixed(&target, "-shm"),
            ] {
                let _ = std::fs::remove_file(file);
            }
            return Err(e.context("the restored database does not open"));
        }
    };
    println!(
        "restored {} into {} ({} user pools)",
        file.display(),
        target.display(),
        pools
    );
    Ok(())
}

/// Opens the restored database (migrating it to this version) and counts its pools.
async fn opened_pools(settings: &Settings) -> anyhow::Result<usize> {
    let store = super::open_store(settings).await?;
    let pools = store.list_user_pools(None, usize::MAX).await;
    store.close().await;
    Ok(pools?.len())
}

fn copy(mut from: impl Read, to: &Path) -> anyhow::Result<()> {
    let mut output = BufWriter::new(create_private(to)?);
    let mut progress = Progress::on_terminal();
    let mut buffer = vec![0u8; 256 * 1024];
    let mut done = 0u64;
    loop {
        let n = from.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        output.write_all(&buffer[..n])?;
        done += n as u64;
        progress.show(|| format!("restoring: {} bytes", count(done)));
    }
    output.flush()?;
    output.get_ref().sync_all()?;
    progress.finish();
    Ok(())
}

/// The database file of a `sqlite:` URL.
fn sqlite_path(url: &str) -> anyhow::Result<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .ok_or_else(|| {
            anyhow::anyhow!(
                "monban restore writes SQLite databases; restore PostgreSQL with pg_restore or \
                 psql (see the README), or pools with monban import"
            )
        })?;
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() || path.starts_with(":memory:") {
        anyhow::bail!("the database is in memory: nothing to restore into");
    }
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    Ok(PathBuf::from(decoded.into_owned()))
}

fn suffixed(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn sqlite_urls_name_their_file() {
        assert_eq!(
            sqlite_path("sqlite:///tmp/a%20b/monban.db?mode=rwc").unwrap(),
            PathBuf::from("/tmp/a b/monban.db")
        );
        assert_eq!(sqlite_path("sqlite:x.db").unwrap(), PathBuf::from("x.db"));
        assert!(sqlite_path("postgres://u@h/db").is_err());
        assert!(sqlite_path("sqlite::memory:").is_err());
    }
}
