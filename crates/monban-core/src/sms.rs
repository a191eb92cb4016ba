//! Outgoing SMS (MFA codes). The server plugs in a webhook when one is configured;
//! otherwise [`OutboxSms`] keeps messages in the database (`sms_outbox`), so local
//! development needs no SMS provider. A pool's CustomSMSSender trigger, when set, takes the
//! place of both.

use std::sync::Arc;

use async_trait::async_trait;

use crate::cx::Clock;
use crate::error::Error;
use crate::store::Store;

/// One text message. Its body carries a code, so `Debug` does not show it.
#[derive(Clone, PartialEq, Eq)]
pub struct Sms {
    pub pool_id: Option<String>,
    /// E.164 phone number (`+15555550100`).
    pub to: String,
    pub body: String,
}

impl std::fmt::Debug for Sms {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sms")
            .field("pool_id", &self.pool_id)
            .field("to", &self.to)
            .finish_non_exhaustive()
    }
}

/// A message kept in the SMS outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmsOutboxMessage {
    pub id: i64,
    pub created_ms: i64,
    pub sms: Sms,
}

#[async_trait]
pub trait SmsSender: Send + Sync {
    /// Delivers `sms`; an error means it was not sent (the caller answers
    /// `CodeDeliveryFailureException`).
    async fn send(&self, sms: Sms) -> Result<(), Error>;
}

/// Keeps every message in the store's SMS outbox.
pub struct OutboxSms {
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
}

#[async_trait]
impl SmsSender for OutboxSms {
    async fn send(&self, sms: Sms) -> Result<(), Error> {
        self.store.insert_sms(self.clock.now_ms(), &sms).await?;
        Ok(())
    }
}
