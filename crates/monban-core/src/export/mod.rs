//! Lossless export and import of a user pool (`monban export` / `monban import`): its
//! settings, clients with their secrets, groups, users with password hashes, SRP verifiers,
//! TOTP secrets, devices and refresh tokens, optionally its signing keys, and the identity
//! pools that use it. Streaming both ways: JSON lines written and read one record at a
//! time. The file format is in [`format`] and `docs/export-format.md`; file handling is the
//! binary's.

pub mod format;
mod port;
mod read;
mod write;

pub use format::Counts;
pub use port::ExportStore;
pub use read::import_pool;
pub use write::{export_pool, ExportOptions};

use crate::store::StoreError;

/// Why an export or import failed, said for the operator.
#[derive(Debug)]
pub struct ExportError {
    pub message: String,
}

impl ExportError {
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

impl std::fmt::Display for ExportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ExportError {}

impl From<StoreError> for ExportError {
    fn from(e: StoreError) -> Self {
        Self::new(format!("database: {e}"))
    }
}

impl From<crate::Error> for ExportError {
    fn from(e: crate::Error) -> Self {
        Self::new(e.message)
    }
}

impl From<std::io::Error> for ExportError {
    fn from(e: std::io::Error) -> Self {
        Self::new(format!("I/O: {e}"))
    }
}

impl From<serde_json::Error> for ExportError {
    fn from(e: serde_json::Error) -> Self {
        Self::new(format!("JSON: {e}"))
    }
}
