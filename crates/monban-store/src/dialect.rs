//! The few things SQLite and PostgreSQL do differently; every query text is shared.

use std::time::Duration;

use monban_core::store::StoreError;
use sqlx::any::AnyPoolOptions;
use sqlx::Executor;

use crate::migrations::Migrations;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// The backend a database URL names: `sqlite:...` or `postgres://...`.
    pub(crate) fn from_url(url: &str) -> Result<Self, StoreError> {
        let scheme = url.split(':').next().unwrap_or_default();
        match scheme {
            "sqlite" => Ok(Self::Sqlite),
            "postgres" | "postgresql" => Ok(Self::Postgres),
            // Only the scheme is echoed: the rest of the URL may hold a password.
            _ => Err(StoreError::Unavailable(format!(
                "unsupported database URL scheme `{scheme}:` (expected sqlite: or postgres:)"
            ))),
        }
    }

    pub(crate) fn migrations(self) -> Migrations {
        match self {
            Self::Sqlite => Migrations::SQLITE,
            Self::Postgres => Migrations::POSTGRES,
        }
    }

    /// How a transaction that writes starts. SQLite's default (deferred) transaction takes
    /// the write lock only at its first write, and fails with SQLITE_BUSY rather than wait
    /// when another connection wrote in between; `BEGIN IMMEDIATE` takes it up front, where
    /// `busy_timeout` applies (another process, such as a `monban` admin command, may hold it).
    pub(crate) fn begin_write(self) -> &'static str {
        match self {
            Self::Sqlite => "BEGIN IMMEDIATE",
            Self::Postgres => "BEGIN",
        }
    }

    pub(crate) fn pool_options(self) -> AnyPoolOptions {
        match self {
            // One connection: SQLite has a single writer anyway, and with several
            // connections two write transactions can each hold a lock the other waits for
            // (SQLITE_BUSY / deadlock under load). One connection serialises every write
            // in this process through the pool's queue instead; reads go to
            // `reader_pool_options`' connections.
            Self::Sqlite => sqlite_pool_options(1, SQLITE_PRAGMAS),
            Self::Postgres => AnyPoolOptions::new()
                .max_connections(10)
                .acquire_timeout(Duration::from_secs(10)),
        }
    }

    /// The pool for reads beside [`Dialect::pool_options`]' writer, where one pays: SQLite
    /// files. Its connections refuse to write (`query_only`), so a write sent there by
    /// mistake fails in the tests instead of racing the writer for the lock.
    pub(crate) fn reader_pool_options(self, url: &str) -> Option<AnyPoolOptions> {
        if self != Self::Sqlite || sqlite_in_memory(url) {
            return None;
        }
        Some(sqlite_pool_options(sqlite_readers(), SQLITE_READER_PRAGMAS))
    }
}

/// SQLite connections kept open for good (so that `sqlite::memory:` keeps its data), each
/// set up with `pragmas`.
fn sqlite_pool_options(connections: u32, pragmas: &'static [&'static str]) -> AnyPoolOptions {
    AnyPoolOptions::new()
        .max_connections(connections)
        .idle_timeout(None)
        .max_lifetime(None)
        // The pool's default pings the connection before every statement: one more round
        // trip to SQLite's worker thread per query, for a file that cannot go away
        // underneath us.
        .test_before_acquire(false)
        .after_connect(move |conn, _meta| {
            Box::pin(async move {
                for pragma in pragmas {
                    conn.execute(*pragma).await?;
                }
                Ok(())
            })
        })
}

/// Reader connections on a SQLite file: as many as there are cores (up to 4).
fn sqlite_readers() -> u32 {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 4));
    u32::try_from(cores).unwrap_or(2)
}

/// Whether a SQLite URL names an in-memory database: each connection would see its own.
fn sqlite_in_memory(url: &str) -> bool {
    url.contains(":memory:") || url.contains("mode=memory")
}

/// Set on every SQLite connection. `synchronous = FULL` syncs the WAL at each commit, so a
/// write that was answered survives a crash or kill -9 (NORMAL could lose the last ones).
const SQLITE_PRAGMAS: &[&str] = &[
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
    "PRAGMA busy_timeout = 5000",
    "PRAGMA foreign_keys = ON",
];

/// Set on every reader connection (the writer set WAL on the file).
const SQLITE_READER_PRAGMAS: &[&str] = &["PRAGMA busy_timeout = 5000", "PRAGMA query_only = ON"];
