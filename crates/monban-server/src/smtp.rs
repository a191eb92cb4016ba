//! Core's mail port over SMTP (lettre): plain, STARTTLS or implicit TLS, optional login,
//! DKIM signing. The background sender (`mail_sender`) calls [`SmtpMailer::deliver`],
//! which tells a temporary failure from a permanent one.

pub mod dkim;

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
    dkim: dkim::DkimSigners,
}

/// Why an attempt did not deliver a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendError {
    /// Worth another try later: a 4xx reply, or the server could not be reached.
    Temporary(String),
    /// Never going to work: a 5xx reply, or a message that cannot be built or signed.
    Permanent(String),
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
            dkim: dkim::DkimSigners::default(),
        })
    }

    /// Signs every message with the pool's DKIM signer (or the server-wide one).
    pub fn with_dkim(mut self, signers: dkim::DkimSigners) -> Self {
        self.dkim = signers;
        self
    }

    /// One attempt at `email`: the SMTP server's reply (`250 ...`) when it accepted it.
    pub async fn deliver(&self, email: &Email) -> Result<String, SendError> {
        let mut message = message(email)
            .map_err(|e| SendError::Permanent(format!("bad message: {}", e.message)))?;
        if let Some(signer) = self.dkim.for_pool(email.pool_id.as_deref()) {
            let config = signer.config(&email.from).map_err(SendError::Permanent)?;
            message.sign(&config);
        }
        match self.transport.send(message).await {
            Ok(response) => {
                let text: Vec<&str> = response.message().collect();
                Ok(format!("{} {}", response.code(), text.join(" ")))
            }
            Err(e) if e.is_permanent() => Err(SendError::Permanent(e.to_string())),
            Err(e) => Err(SendError::Temporary(e.to_string())),
        }
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
        self.deliver(&email).await.map(|_| ()).map_err(|e| match e {
            SendError::Temporary(reason) | SendError::Permanent(reason) => delivery_failure(reason),
        })
    }
}

#[cfg(test)]
mod tests;
