//! The mail log: every message with its outcome, its pool, its user and why it was sent,
//! never its text (which carries the code). The same rows are the durable send queue.

use super::Email;

/// Why a message was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailPurpose {
    SignUpCode,
    ResetCode,
    Invitation,
    MfaCode,
    AttributeVerification,
    /// A message sent through the plain [`super::Mailer::send`].
    Other,
}

impl MailPurpose {
    pub const ALL: [Self; 6] = [
        Self::SignUpCode,
        Self::ResetCode,
        Self::Invitation,
        Self::MfaCode,
        Self::AttributeVerification,
        Self::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::SignUpCode => "sign_up_code",
            Self::ResetCode => "reset_code",
            Self::Invitation => "invitation",
            Self::MfaCode => "mfa_code",
            Self::AttributeVerification => "attribute_verification",
            Self::Other => "other",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == text)
    }

    /// The purpose of a message carrying a code of `purpose`.
    pub fn of_code(purpose: crate::codes::Purpose) -> Self {
        use crate::codes::Purpose;
        match purpose {
            Purpose::SignUp => Self::SignUpCode,
            Purpose::ForgotPassword => Self::ResetCode,
            Purpose::VerifyEmail | Purpose::VerifyPhoneNumber => Self::AttributeVerification,
        }
    }
}

/// What the mail log records about a message besides its envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailMeta {
    pub purpose: MailPurpose,
    /// The `sub` of the user it was sent to, when there is one.
    pub user_sub: Option<String>,
}

/// Where a message stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MailStatus {
    /// Waiting for the sender.
    Queued,
    /// Claimed by a sender (a node), which holds a lease on it.
    Sending,
    /// Accepted by the SMTP server.
    Sent,
    /// A temporary failure (4xx, server unreachable): tried again later.
    Deferred,
    /// A permanent failure (5xx, or too many temporary ones): not tried again.
    Failed,
    /// Over a sending limit: never queued.
    Refused,
}

impl MailStatus {
    pub const ALL: [Self; 6] = [
        Self::Queued,
        Self::Sending,
        Self::Sent,
        Self::Deferred,
        Self::Failed,
        Self::Refused,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Sending => "sending",
            Self::Sent => "sent",
            Self::Deferred => "deferred",
            Self::Failed => "failed",
            Self::Refused => "refused",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// One row of the mail log, as admins see it: no subject, no body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailRecord {
    pub id: i64,
    pub created_ms: i64,
    pub updated_ms: i64,
    pub pool_id: Option<String>,
    pub user_sub: Option<String>,
    pub purpose: String,
    pub recipient: String,
    pub status: MailStatus,
    /// SMTP attempts so far.
    pub attempts: i64,
    /// When a deferred message is tried again.
    pub next_attempt_ms: Option<i64>,
    /// The SMTP server's last reply (`250 2.0.0 queued as ...`, `451 4.3.0 try later`).
    pub smtp_reply: Option<String>,
    /// Why it failed or was refused.
    pub reason: Option<String>,
}

/// How many messages of a pool are in a status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailCount {
    pub pool_id: Option<String>,
    pub status: MailStatus,
    pub count: i64,
}

/// The most messages accepted for sending within `window_ms`: per pool, and per
/// recipient address within a pool. 0 means no limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SendLimits {
    pub per_pool: u32,
    pub per_recipient: u32,
    pub window_ms: i64,
}

impl Default for SendLimits {
    /// Far above what a person does (a handful of codes an hour), far below a mail bomb.
    fn default() -> Self {
        Self {
            per_pool: 1000,
            per_recipient: 20,
            window_ms: 3_600_000,
        }
    }
}

/// What became of a message handed to the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Queued {
    /// Queued under this mail-log id.
    Accepted(i64),
    /// Over a limit: recorded as refused under this id, not queued.
    Refused(i64),
}

/// A message a sender claimed: it holds the lease until it records the outcome.
#[derive(Clone, PartialEq, Eq)]
pub struct ClaimedMail {
    pub id: i64,
    /// The attempt this is (1 for the first).
    pub attempt: i64,
    pub email: Email,
}

impl std::fmt::Debug for ClaimedMail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The text carries the code: never in logs.
        f.debug_struct("ClaimedMail")
            .field("id", &self.id)
            .field("attempt", &self.attempt)
            .field("to", &self.email.to)
            .finish_non_exhaustive()
    }
}

/// The outcome of one attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailOutcome {
    Sent { reply: String },
    Deferred { reply: String, retry_at_ms: i64 },
    Failed { reason: String },
}
