//! The admin key kept in the data directory: made on first start when no key is configured,
//! so a fresh install is secure by default and still usable at once.

use std::fs::OpenOptions;
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use monban_core::ids::random_from;
use monban_core::Rng;

use crate::settings::AdminKeySetting;

pub const FILE_NAME: &str = "admin-key.json";

const UPPER_ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// An access key in AWS's shape: `AKIA` + 16 uppercase alphanumerics, and a 40-character
/// secret (alphanumerics only, so the printed command needs no quoting).
pub fn generate(rng: &dyn Rng) -> AdminKeySetting {
    AdminKeySetting {
        access_key_id: format!("AKIA{}", random_from(rng, UPPER_ALNUM, 16)),
        secret_access_key: random_from(rng, ALNUM, 40),
    }
}

pub fn path(data_dir: &Path) -> PathBuf {
    data_dir.join(FILE_NAME)
}

/// The stored key, if the data directory has one.
pub fn read(data_dir: &Path) -> anyhow::Result<Option<AdminKeySetting>> {
    let path = path(data_dir);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => anyhow::bail!("cannot read {}: {e}", path.display()),
    };
    if let Ok(meta) = std::fs::metadata(&path) {
        if meta.permissions().mode() & 0o077 != 0 {
            tracing::warn!(
                path = %path.display(),
                "the admin key file is readable by other users; run chmod 600 on it"
            );
        }
    }
    let key: AdminKeySetting = serde_json::from_str(&text)
        .map_err(|e| anyhow::anyhow!("{} is not a valid admin key file: {e}", path.display()))?;
    Ok(Some(key))
}

pub enum Stored {
    /// This call wrote `key`.
    Created(AdminKeySetting),
    /// Another process wrote a key first; this is it.
    Existing(AdminKeySetting),
}

/// Writes `key` as the data directory's key unless one exists. The file appears whole
/// (written aside, then hard-linked into place, which never replaces), readable by the owner
/// only, so two servers starting at once end up sharing one key.
pub fn store_new(data_dir: &Path, key: AdminKeySetting) -> anyhow::Result<Stored> {
    let final_path = path(data_dir);
    let temp_path = data_dir.join(format!(".{FILE_NAME}.{}.tmp", std::process::id()));
    let json = serde_json::to_string_pretty(&key)?;
    let written = (|| -> std::io::Result<()> {
        let mut file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&temp_path)?;
        file.write_all(json.as_bytes())?;
        file.write_all(b"\n")?;
        file.sync_all()
    })();
    let linked = written.and_then(|()| std::fs::hard_link(&temp_path, &final_path));
    // Best effort: a stray temp file holds a key nobody uses.
    let _ = std::fs::remove_file(&temp_path);
    match linked {
        Ok(()) => Ok(Stored::Created(key)),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => match read(data_dir)? {
            Some(existing) => Ok(Stored::Existing(existing)),
            None => anyhow::bail!("{} vanished while starting", final_path.display()),
        },
        Err(e) => anyhow::bail!("cannot write {}: {e}", final_path.display()),
    }
}

/// The admin keys the server accepts, with what to tell the operator about them.
pub struct AdminKeys {
    pub keys: Vec<AdminKeySetting>,
    /// The data directory's key, and whether this start created it.
    pub data_dir_key: Option<(AdminKeySetting, bool)>,
}

/// Configured keys plus the data directory's key; the latter is created only when nothing
/// else would let an administrator in.
pub fn resolve(
    data_dir: &Path,
    configured: &[AdminKeySetting],
    rng: &dyn Rng,
) -> anyhow::Result<AdminKeys> {
    let data_dir_key = match read(data_dir)? {
        Some(key) => Some((key, false)),
        None if configured.is_empty() => match store_new(data_dir, generate(rng))? {
            Stored::Created(key) => Some((key, true)),
            Stored::Existing(key) => Some((key, false)),
        },
        None => None,
    };
    let mut keys = configured.to_vec();
    if let Some((key, _)) = &data_dir_key {
        if !keys.iter().any(|k| k.access_key_id == key.access_key_id) {
            keys.push(key.clone());
        }
    }
    Ok(AdminKeys { keys, data_dir_key })
}

/// What to print so the operator can use a new key right away.
pub fn usage_line(key: &AdminKeySetting, endpoint: &str, region: &str) -> String {
    format!(
        "AWS_ACCESS_KEY_ID={} AWS_SECRET_ACCESS_KEY={} aws cognito-idp list-user-pools \
         --max-results 10 --endpoint-url {endpoint} --region {region}",
        key.access_key_id, key.secret_access_key
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use monban_core::SystemRng;

    fn configured(id: &str) -> AdminKeySetting {
        AdminKeySetting {
            access_key_id: id.into(),
            secret_access_key: "configured-secret".into(),
        }
    }

    #[test]
    fn generated_keys_have_aws_shape() {
        let key = generate(&SystemRng);
        let id = &key.access_key_id;
        assert_eq!(id.len(), 20);
        assert!(id.starts_with("AKIA"));
        assert!(id[4..]
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()));
        assert_eq!(key.secret_access_key.len(), 40);
        assert!(key
            .secret_access_key
            .chars()
            .all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(generate(&SystemRng), key);
    }

    #[test]
    fn first_start_creates_a_private_key_file_and_later_starts_reuse_it() {
        let dir = tempfile::tempdir().unwrap();
        let first = resolve(dir.path(), &[], &SystemRng).unwrap();
        let (key, created) = first.data_dir_key.clone().unwrap();
        assert!(created);
        assert_eq!(first.keys, vec![key.clone()]);
        let mode = std::fs::metadata(path(dir.path()))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);

        let second = resolve(dir.path(), &[], &SystemRng).unwrap();
        assert_eq!(second.data_dir_key, Some((key, false)));
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, [FILE_NAME]);
    }

    #[test]
    fn no_key_is_created_when_keys_are_configured() {
        let dir = tempfile::tempdir().unwrap();
        let keys = resolve(dir.path(), &[configured("AKIACONF")], &SystemRng).unwrap();
        assert!(keys.data_dir_key.is_none());
        assert_eq!(keys.keys.len(), 1);
        assert!(!path(dir.path()).exists());
    }

    #[test]
    fn configured_keys_are_used_in_addition_to_the_stored_key() {
        let dir = tempfile::tempdir().unwrap();
        let stored = resolve(dir.path(), &[], &SystemRng).unwrap().keys;
        let keys = resolve(dir.path(), &[configured("AKIACONF")], &SystemRng).unwrap();
        let ids: Vec<_> = keys.keys.iter().map(|k| k.access_key_id.clone()).collect();
        assert_eq!(
            ids,
            ["AKIACONF".to_owned(), stored[0].access_key_id.clone()]
        );
    }

    #[test]
    fn a_second_writer_gets_the_first_key() {
        let dir = tempfile::tempdir().unwrap();
        let first = generate(&SystemRng);
        assert!(matches!(
            store_new(dir.path(), first.clone()).unwrap(),
            Stored::Created(_)
        ));
        let second = store_new(dir.path(), generate(&SystemRng)).unwrap();
        assert!(matches!(second, Stored::Existing(ref key) if *key == first));
    }

    #[test]
    fn a_corrupt_key_file_is_an_error_not_a_new_key() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(path(dir.path()), "not json").unwrap();
        let err = resolve(dir.path(), &[], &SystemRng).err().unwrap();
        assert!(err.to_string().contains(FILE_NAME), "{err}");
    }

    #[test]
    fn usage_line_is_a_working_command() {
        let key = configured("AKIAEXAMPLE");
        assert_eq!(
            usage_line(&key, "http://127.0.0.1:19876", "eu-west-1"),
            "AWS_ACCESS_KEY_ID=AKIAEXAMPLE AWS_SECRET_ACCESS_KEY=configured-secret \
             aws cognito-idp list-user-pools --max-results 10 \
             --endpoint-url http://127.0.0.1:19876 --region eu-west-1"
        );
    }
}
