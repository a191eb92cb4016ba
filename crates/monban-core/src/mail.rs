//! Outgoing mail. The server plugs in SMTP when configured; otherwise [`OutboxMailer`]
//! keeps messages in the database for `monban outbox`.

use std::sync::Arc;

use async_trait::async_trait;

use crate::cx::Clock;
use crate::error::Error;
use crate::store::Store;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    pub pool_id: Option<String>,
    pub to: String,
    pub from: String,
    pub reply_to: Option<String>,
    pub subject: String,
    pub body: String,
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
