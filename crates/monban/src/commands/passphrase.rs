//! Where the passphrase of encrypted backups and exports comes from: `--passphrase-file`,
//! else `MONBAN_BACKUP_PASSPHRASE`. Never a flag value, which other users could read in the
//! process list.

use std::path::Path;

pub const ENV: &str = "MONBAN_BACKUP_PASSPHRASE";

/// The passphrase, if one was given. The file's trailing newline is not part of it.
pub fn read(file: Option<&Path>) -> anyhow::Result<Option<Vec<u8>>> {
    let passphrase = match file {
        Some(path) => {
            let mut bytes = std::fs::read(path).map_err(|e| {
                anyhow::anyhow!("cannot read the passphrase file {}: {e}", path.display())
            })?;
            while bytes.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
                bytes.pop();
            }
            bytes
        }
        None => match std::env::var_os(ENV) {
            Some(value) => value.into_encoded_bytes(),
            None => return Ok(None),
        },
    };
    if passphrase.is_empty() {
        anyhow::bail!("the passphrase is empty");
    }
    Ok(Some(passphrase))
}
