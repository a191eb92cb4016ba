//! A mailer that keeps what it is asked to send, for assertions.

use std::sync::{Mutex, MutexGuard};

use async_trait::async_trait;
use monban_core::mail::{Email, Mailer};
use monban_core::Error;

#[derive(Debug, Default)]
pub struct RecordingMailer {
    sent: Mutex<Vec<Email>>,
}

impl RecordingMailer {
    fn sent(&self) -> MutexGuard<'_, Vec<Email>> {
        // A test that panicked while holding the lock must not hide the mail from others.
        self.sent
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Every email sent so far, oldest first.
    pub fn emails(&self) -> Vec<Email> {
        self.sent().clone()
    }

    /// The emails sent to `to`, oldest first.
    pub fn emails_to(&self, to: &str) -> Vec<Email> {
        self.sent().iter().filter(|e| e.to == to).cloned().collect()
    }

    /// Removes and returns everything sent so far.
    pub fn take(&self) -> Vec<Email> {
        std::mem::take(&mut *self.sent())
    }
}

#[async_trait]
impl Mailer for RecordingMailer {
    async fn send(&self, email: Email) -> Result<(), Error> {
        self.sent().push(email);
        Ok(())
    }
}
