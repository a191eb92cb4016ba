//! A context for driving core operations end to end: the SQL store on a temporary SQLite
//! file, the system clock, a mailer that records what it is asked to send, and cheap
//! password hashing (the cost is not under test).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use monban_core::mail::{Email, Mailer};
use monban_core::password::HashParams;
use monban_core::{Cx, Error, Iam, Settings, SystemClock, SystemRng};
use monban_store::SqlStore;

/// A temporary directory for the SQLite file, removed even when the test panics.
pub struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[derive(Default)]
pub struct RecordingMailer {
    sent: Mutex<Vec<Email>>,
}

impl RecordingMailer {
    /// Removes and returns everything sent so far.
    pub fn take(&self) -> Vec<Email> {
        std::mem::take(&mut *self.sent.lock().unwrap())
    }
}

#[async_trait]
impl Mailer for RecordingMailer {
    async fn send(&self, email: Email) -> Result<(), Error> {
        self.sent.lock().unwrap().push(email);
        Ok(())
    }
}

pub struct Harness {
    pub cx: Cx,
    pub mail: Arc<RecordingMailer>,
    /// Keep it bound for as long as `cx` is used: dropping it deletes the database file.
    pub _dir: TempDir,
}

pub async fn harness() -> Harness {
    let dir = std::env::temp_dir().join(format!("monban-core-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.join("monban.db").display());
    let store = Arc::new(SqlStore::connect(&url).await.unwrap());
    let mail = Arc::new(RecordingMailer::default());
    let clock = Arc::new(SystemClock);
    let cx = Cx {
        store: store.clone(),
        clock: clock.clone(),
        rng: Arc::new(SystemRng),
        mailer: mail.clone(),
        settings: Arc::new(Settings {
            password_hashing: HashParams {
                memory_kib: 1024,
                iterations: 1,
                parallelism: 1,
            },
            ..Settings::default()
        }),
        keys: Default::default(),
        secrets: Default::default(),
        triggers: Arc::new(monban_core::triggers::NoTriggers),
        sms: Arc::new(monban_core::sms::OutboxSms { store, clock }),
    };
    Harness {
        cx,
        mail,
        _dir: TempDir(dir),
    }
}

/// The operations need proof of an IAM caller; the server's signature check is not under
/// test here.
pub static IAM: Iam = Iam {
    access_key_id: String::new(),
};
