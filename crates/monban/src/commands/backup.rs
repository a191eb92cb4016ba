//! `monban backup FILE`: a consistent snapshot of the SQLite database while the server
//! keeps serving (`VACUUM INTO`), encrypted when a passphrase is given (see `sealed_file`).
//! PostgreSQL is backed up with `pg_dump` (README), or pool by pool with `monban export`.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use super::progress::{count, Progress};
use super::sealed_file::SealWriter;
use crate::settings::Settings;

pub async fn run(
    settings: &Settings,
    file: &Path,
    passphrase: Option<Vec<u8>>,
) -> anyhow::Result<()> {
    if !settings.database_url.starts_with("sqlite:") {
        anyhow::bail!(
            "monban backup copies SQLite databases; back PostgreSQL up with pg_dump \
             (see the README), or each pool with monban export"
        );
    }
    if file.exists() {
        anyhow::bail!("{} exists; choose a new file", file.display());
    }
    let store = super::open_store(settings).await?;
    let snapshot = partial_path(file);
    let _ = std::fs::remove_file(&snapshot);
    let written = async {
        store.backup_sqlite_into(&snapshot).await?;
        restrict(&snapshot)?;
        match passphrase {
            Some(passphrase) => {
                encrypt(&snapshot, file, &passphrase)?;
                std::fs::remove_file(&snapshot)?;
            }
            None => std::fs::rename(&snapshot, file)?,
        }
        anyhow::Ok(())
    }
    .await;
    store.close().await;
    if let Err(e) = written {
        let _ = std::fs::remove_file(&snapshot);
        let _ = std::fs::remove_file(file);
        return Err(e.context("backup failed"));
    }
    let size = std::fs::metadata(file)?.len();
    println!(
        "backup written to {} ({} bytes)",
        file.display(),
        count(size)
    );
    Ok(())
}

/// Where the snapshot is made before it becomes `file`: beside it, so the rename stays on
/// one file system.
fn partial_path(file: &Path) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".partial");
    PathBuf::from(name)
}

fn encrypt(from: &Path, to: &Path, passphrase: &[u8]) -> anyhow::Result<()> {
    let total = std::fs::metadata(from)?.len();
    let mut input = BufReader::new(File::open(from)?);
    let output = create_private(to)?;
    let mut sealed = SealWriter::new(BufWriter::new(output), passphrase)?;
    let mut progress = Progress::on_terminal();
    let mut buffer = vec![0u8; 256 * 1024];
    let mut done = 0u64;
    loop {
        let n = input.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        sealed.write_all(&buffer[..n])?;
        done += n as u64;
        progress.show(|| format!("encrypting: {} of {} bytes", count(done), count(total)));
    }
    sealed.finish()?;
    progress.finish();
    Ok(())
}

/// Creates a new file readable by its owner only (it holds password hashes and keys).
pub fn create_private(path: &Path) -> anyhow::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
        .open(path)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", path.display()))
}

fn restrict(path: &Path) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    let _ = path;
    Ok(())
}
