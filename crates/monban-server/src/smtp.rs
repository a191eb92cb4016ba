//! Core's mail port over SMTP (lettre): plain, STARTTLS or implicit TLS, optional login.

use std::fmt;
use std::time::Duration;

use async_trait::async_trait;
use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use monban_core::mail::{Email, Mailer};
use monban_core::Error;
use monban_wire::ErrorKind;

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// No TLS at all: only for a relay on the same host or a test sink.
    Plain,
    /// Plain connection upgraded with STARTTLS (required, never skipped).
    StartTls,
    /// TLS from the first byte ("submissions", usually port 465).
    Tls,
}

#[derive(Clone)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub username: Option<String>,
    pub password: Option<String>,
}

impl fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// How long one SMTP exchange may take before the send fails.
const TIMEOUT: Duration = Duration::from_secs(30);

pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    host: String,
    port: u16,
}

impl fmt::Debug for SmtpMailer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpMailer")
            .field("host", &self.host)
            .field("port", &self.port)
            .finish_non_exhaustive()
    }
}

fn config_error(message: impl Into<String>) -> Error {
    Error::invalid_parameter(message)
}

impl SmtpMailer {
    /// Checks the settings; no connection is made until the first message.
    pub fn new(settings: SmtpSettings) -> Result<Self, Error> {
        if settings.host.trim().is_empty() {
            return Err(config_error("SMTP host must not be empty."));
        }
        type Transport = AsyncSmtpTransport<Tokio1Executor>;
        let builder = match settings.security {
            SmtpSecurity::Plain => Transport::builder_dangerous(&settings.host),
            SmtpSecurity::StartTls => Transport::starttls_relay(&settings.host)
                .map_err(|e| config_error(format!("SMTP STARTTLS settings: {e}")))?,
            SmtpSecurity::Tls => Transport::relay(&settings.host)
                .map_err(|e| config_error(format!("SMTP TLS settings: {e}")))?,
        };
        let builder = builder.port(settings.port).timeout(Some(TIMEOUT));
        let builder = match (settings.username, settings.password) {
            (Some(user), Some(password)) => builder.credentials(Credentials::new(user, password)),
            (None, None) => builder,
            _ => {
                return Err(config_error(
                    "SMTP username and password must be given together.",
                ))
            }
        };
        Ok(Self {
            transport: builder.build(),
            host: settings.host,
            port: settings.port,
        })
    }
}

fn delivery_failure(source: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Error {
    Error::new(
        ErrorKind::CodeDeliveryFailureException,
        "Unable to deliver the email message.",
    )
    .with_source(source)
}

fn mailbox(address: &str) -> Result<Mailbox, Error> {
    address.parse::<Mailbox>().map_err(delivery_failure)
}

/// Cognito's message templates may be HTML (`<br>`, links); anything else is plain text.
fn looks_like_html(body: &str) -> bool {
    let lower = body.to_ascii_lowercase();
    lower.contains("</") || lower.contains("<br") || lower.contains("/>")
}

fn message(email: &Email) -> Result<Message, Error> {
    let mut builder = Message::builder()
        .from(mailbox(&email.from)?)
        .to(mailbox(&email.to)?)
        .subject(email.subject.clone());
    if let Some(reply_to) = &email.reply_to {
        builder = builder.reply_to(mailbox(reply_to)?);
    }
    let content_type = if looks_like_html(&email.body) {
        ContentType::TEXT_HTML
    } else {
        ContentType::TEXT_PLAIN
    };
    builder
        .header(content_type)
        .body(email.body.clone())
        .map_err(delivery_failure)
}

#[async_trait]
impl Mailer for SmtpMailer {
    async fn send(&self, email: Email) -> Result<(), Error> {
        let message = message(&email)?;
        self.transport
            .send(message)
            .await
            .map_err(delivery_failure)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
