//! From database errors to core's `StoreError`.

use monban_core::store::StoreError;

/// Any failure that is not a constraint the caller can act on.
pub(crate) fn unavailable(e: sqlx::Error) -> StoreError {
    StoreError::Unavailable(e.to_string())
}

/// For a write that can break a unique key (reported as a conflict on `key`) or reference a
/// row that is gone (a pool, user or group: reported as `NotFound`).
pub(crate) fn on_write(e: sqlx::Error, key: impl FnOnce() -> String) -> StoreError {
    if let sqlx::Error::Database(db) = &e {
        if db.is_unique_violation() {
            return StoreError::Conflict { key: key() };
        }
        if db.is_foreign_key_violation() {
            return StoreError::NotFound;
        }
    }
    unavailable(e)
}

/// A stored document or value that does not read back: a bug or a hand-edited row.
pub(crate) fn corrupt(what: &str, cause: impl std::fmt::Display) -> StoreError {
    StoreError::Unavailable(format!("stored {what} does not read back: {cause}"))
}

/// Why a versioned UPDATE touched no row: the row is gone, or it moved on.
pub(crate) fn stale_or_gone(still_there: bool) -> StoreError {
    if still_there {
        StoreError::VersionMismatch
    } else {
        StoreError::NotFound
    }
}
