//! CPU-heavy work (Argon2id, SRP exponentiations) runs on tokio's blocking pool, never on
//! the async workers — and at most a few jobs at once: each Argon2id hash holds ~19 MiB,
//! so a burst of sign-ins must queue here rather than grow the blocking pool to hundreds
//! of threads and gigabytes of memory.

use std::sync::OnceLock;

use tokio::sync::Semaphore;

use crate::error::Error;

/// Jobs per core: the second keeps a core busy while the first job's thread is scheduled.
const JOBS_PER_CORE: usize = 2;

fn permits() -> &'static Semaphore {
    // A process-wide limiter, like the blocking pool it guards: the machine's cores are
    // shared by every `Cx` in the process.
    static PERMITS: OnceLock<Semaphore> = OnceLock::new();
    PERMITS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        Semaphore::new(cores * JOBS_PER_CORE)
    })
}

/// Runs `f` on the blocking pool once a slot is free.
pub async fn run<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, Error> {
    let _permit = permits().acquire().await.map_err(Error::internal)?;
    tokio::task::spawn_blocking(f)
        .await
        .map_err(Error::internal)
}
