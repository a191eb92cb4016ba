//! Online backup of a SQLite database: `VACUUM INTO` writes a consistent snapshot (one read
//! transaction) to a new file while the server keeps serving.

use std::path::Path;

use monban_core::store::StoreError;
use sqlx::query;

use crate::error::unavailable;
use crate::SqlStore;

impl SqlStore {
    /// Writes a consistent copy of the SQLite database to `path`, which must not exist.
    /// PostgreSQL databases are backed up with its own tools (`pg_dump`).
    pub async fn backup_sqlite_into(&self, path: &Path) -> Result<(), StoreError> {
        if !self.is_sqlite() {
            return Err(StoreError::Unavailable(
                "online backup copies SQLite databases only; use pg_dump for PostgreSQL".to_owned(),
            ));
        }
        let path = path.to_str().ok_or_else(|| {
            StoreError::Unavailable("the backup path is not valid UTF-8".to_owned())
        })?;
        query("VACUUM INTO $1")
            .bind(path)
            .execute(&self.pool)
            .await
            .map_err(unavailable)?;
        Ok(())
    }
}
