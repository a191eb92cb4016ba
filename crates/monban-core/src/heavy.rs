//! CPU-heavy work (Argon2id, SRP exponentiations) runs on a fixed set of threads of its own,
//! one per core, never on the async workers and never on tokio's growing blocking pool:
//! each Argon2id hash holds ~19 MiB, so a burst of sign-ins queues here instead of
//! spawning hundreds of threads and gigabytes of memory.
//!
//! The threads run at the lowest scheduling priority (nice 19). When requests that need
//! little CPU (GetUser, refresh) arrive during a storm of sign-ins, the async workers get a
//! core at once instead of waiting for a hash to finish its time slice; when nothing else
//! wants the cores, the hashes get all of them.

use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex, OnceLock};

use crate::error::Error;

/// Jobs at once: one per core. The jobs are pure CPU, so more would not finish sooner, and
/// each Argon2id job holds its working memory (see `password::argon2id`).
pub(crate) fn max_jobs() -> usize {
    static CORES: OnceLock<usize> = OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(2, usize::from))
}

type Job = Box<dyn FnOnce() + Send>;

/// The queue of the heavy threads, started on first use. `None` if no thread could start.
fn queue() -> Option<&'static Mutex<Sender<Job>>> {
    // Process-wide like the cores it schedules: every `Cx` in the process shares them.
    static QUEUE: OnceLock<Option<Mutex<Sender<Job>>>> = OnceLock::new();
    QUEUE
        .get_or_init(|| {
            let (sender, receiver) = channel::<Job>();
            let receiver = Arc::new(Mutex::new(receiver));
            let started = (0..max_jobs())
                .filter(|i| {
                    let receiver = receiver.clone();
                    std::thread::Builder::new()
                        .name(format!("monban-heavy-{i}"))
                        .spawn(move || work(&receiver))
                        .is_ok()
                })
                .count();
            (started > 0).then(|| Mutex::new(sender))
        })
        .as_ref()
}

fn work(jobs: &Mutex<Receiver<Job>>) {
    if let Err(e) =
        thread_priority::set_current_thread_priority(thread_priority::ThreadPriority::Min)
    {
        tracing::debug!("heavy thread keeps its priority: {e:?}");
    }
    loop {
        let job = match jobs.lock() {
            Ok(receiver) => receiver.recv(),
            Err(_) => return,
        };
        let Ok(job) = job else { return };
        // A panicking job (a bug in a dependency) must not take the thread with it: its
        // caller sees the dropped answer as an internal error.
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
    }
}

/// Runs `f` on a heavy thread once one is free.
pub async fn run<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, Error> {
    let (answer, answered) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move || {
        let _ = answer.send(f());
    });
    queue()
        .ok_or_else(|| Error::internal("no thread for CPU-heavy work could be started"))?
        .lock()
        .map_err(|_| Error::internal("heavy-work queue poisoned"))?
        .send(job)
        .map_err(|_| Error::internal("the heavy threads are gone"))?;
    answered.await.map_err(Error::internal)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[tokio::test]
    async fn jobs_run_off_the_async_workers_at_low_priority() {
        let (name, nice) = run(|| {
            let name = std::thread::current().name().map(str::to_owned);
            // Field 19 of /proc/thread-self/stat is the nice value (after the `(comm)`).
            let stat = std::fs::read_to_string("/proc/thread-self/stat").unwrap_or_default();
            let nice = stat
                .rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().nth(16))
                .and_then(|n| n.parse::<i32>().ok());
            (name, nice)
        })
        .await
        .unwrap();
        assert!(name.unwrap().starts_with("monban-heavy-"));
        if cfg!(target_os = "linux") {
            assert_eq!(nice, Some(19));
        }
    }

    #[tokio::test]
    async fn a_panicking_job_is_an_error_and_the_threads_live_on() {
        #[allow(clippy::panic)]
        let failed = run(|| -> u8 { panic!("boom") }).await;
        assert!(failed.is_err());
        for i in 0..(max_jobs() * 2) {
            assert_eq!(run(move || i + 1).await.unwrap(), i + 1);
        }
    }
}
