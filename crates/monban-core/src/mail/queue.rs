//! The mailer of the API path when SMTP is configured: it records the message in the
//! durable mail log and wakes the sender. A request never waits for the mail server, and a
//! message accepted here survives a restart.

use std::sync::Arc;

use async_trait::async_trait;
use tokio::sync::Notify;

use super::{sending_limit_reached, Email, MailMeta, MailPurpose, Mailer, Queued, SendLimits};
use crate::cx::Clock;
use crate::error::Error;
use crate::store::Store;

pub struct QueueMailer {
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    pub limits: SendLimits,
    /// Notified on every message queued, so the sender on this node starts at once.
    pub wake: Arc<Notify>,
}

#[async_trait]
impl Mailer for QueueMailer {
    async fn send(&self, email: Email) -> Result<(), Error> {
        let meta = MailMeta {
            purpose: MailPurpose::Other,
            user_sub: None,
        };
        self.send_traced(email, meta).await.map(|_| ())
    }

    async fn send_traced(&self, email: Email, meta: MailMeta) -> Result<Option<i64>, Error> {
        let queued = self
            .store
            .enqueue_mail(self.clock.now_ms(), &email, &meta, &self.limits)
            .await?;
        match queued {
            Queued::Accepted(id) => {
                self.wake.notify_one();
                crate::audit::note_mail_id(id);
                Ok(Some(id))
            }
            Queued::Refused(id) => {
                crate::audit::note_mail_id(id);
                tracing::warn!(
                    mail_id = id,
                    pool_id = email.pool_id.as_deref().unwrap_or(""),
                    purpose = meta.purpose.as_str(),
                    "mail refused: sending limit reached"
                );
                Err(sending_limit_reached())
            }
        }
    }

    fn send_limits(&self) -> Option<SendLimits> {
        Some(self.limits)
    }
}
