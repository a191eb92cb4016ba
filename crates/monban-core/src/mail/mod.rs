//! Outgoing mail. With SMTP configured the server plugs in [`QueueMailer`]: the API path
//! only records the message in the durable mail log, and a background sender delivers it.
//! Otherwise [`OutboxMailer`] keeps messages in the database for `monban outbox`.

mod log;
mod queue;
mod store;

pub use log::{
    ClaimedMail, MailCount, MailMeta, MailOutcome, MailPurpose, MailRecord, MailStatus, Queued,
    SendLimits,
};
pub use queue::QueueMailer;
pub use store::MailLogStore;

use std::sync::Arc;

use async_trait::async_trait;

use crate::cx::Clock;
use crate::error::Error;
use crate::store::Store;

#[derive(Clone, PartialEq, Eq)]
pub struct Email {
    pub pool_id: Option<String>,
    pub to: String,
    pub from: String,
    pub reply_to: Option<String>,
    pub subject: String,
    pub body: String,
}

impl std::fmt::Debug for Email {
    /// The subject and body carry codes and temporary passwords: never in logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Email")
            .field("pool_id", &self.pool_id)
            .field("to", &self.to)
            .field("from", &self.from)
            .field("reply_to", &self.reply_to)
            .field("body_len", &self.body.len())
            .finish_non_exhaustive()
    }
}

/// A message kept in the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxMessage {
    pub id: i64,
    pub created_ms: i64,
    pub email: Email,
}

#[async_trait]
pub trait Mailer: Send + Sync {
    async fn send(&self, email: Email) -> Result<(), Error>;

    /// Sends `email` with what the mail log records about it (purpose, user; never the
    /// code) and returns its mail-log id when this mailer keeps a log, for the audit trail
    /// to refer to. Mailers without a log just send.
    async fn send_traced(&self, email: Email, meta: MailMeta) -> Result<Option<i64>, Error> {
        let _ = meta;
        self.send(email).await.map(|()| None)
    }

    /// The limits over which this mailer refuses a message ([`sending_limit_reached`]),
    /// if it has any: the messages not sent to names a pool does not have
    /// (PreventUserExistenceErrors) are counted and refused alike.
    fn send_limits(&self) -> Option<SendLimits> {
        None
    }
}

/// `LimitExceededException`, for a message over a sending limit.
pub fn sending_limit_reached() -> Error {
    Error::new(
        crate::error::ErrorKind::LimitExceededException,
        "Attempt limit exceeded, please try after some time.",
    )
}

pub struct OutboxMailer {
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
}

#[async_trait]
impl Mailer for OutboxMailer {
    async fn send(&self, email: Email) -> Result<(), Error> {
        self.store
            .insert_outbox(self.clock.now_ms(), &email)
            .await?;
        Ok(())
    }
}

/// Fills Cognito's placeholders: `{####}` is the code (or temporary password), `{username}`
/// the user name.
pub fn render_template(template: &str, code: &str, username: &str) -> String {
    template
        .replace("{####}", code)
        .replace("{username}", username)
}
