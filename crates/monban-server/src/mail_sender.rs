//! The background sender: claims due messages from the mail log (any node may; a lease
//! makes sure one message is sent by one node), sends them over SMTP and records the
//! outcome. A temporary failure is retried with exponential backoff up to a limit; a
//! permanent one is recorded as failed. The API call that queued the message answered
//! long before.

use std::sync::Arc;
use std::time::Duration;

use monban_core::mail::{ClaimedMail, MailOutcome};
use monban_core::store::Store;
use monban_core::Clock;
use tokio::sync::Notify;

use crate::smtp::{SendError, SmtpMailer};

/// When a temporarily failed message is tried again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The wait after the first failure; doubled after each further one.
    pub initial_ms: i64,
    /// The longest wait between two attempts.
    pub max_ms: i64,
    /// Attempts in all, the first included; then the message fails.
    pub max_attempts: i64,
}

impl Default for RetryPolicy {
    /// 30 s, 1, 2, 4, 8, 16, 32 min, 1 h: about two hours of a mail server's trouble.
    fn default() -> Self {
        Self {
            initial_ms: 30_000,
            max_ms: 3_600_000,
            max_attempts: 8,
        }
    }
}

impl RetryPolicy {
    /// The wait after failed attempt number `attempt` (1 for the first).
    pub fn delay_ms(&self, attempt: i64) -> i64 {
        let doublings = u32::try_from(attempt.saturating_sub(1).clamp(0, 40)).unwrap_or(40);
        self.initial_ms
            .saturating_mul(2_i64.saturating_pow(doublings))
            .min(self.max_ms)
    }

    /// What becomes of a message whose attempt number `attempt` ended with `result`.
    pub fn outcome(
        &self,
        attempt: i64,
        now_ms: i64,
        result: Result<String, SendError>,
    ) -> MailOutcome {
        match result {
            Ok(reply) => MailOutcome::Sent { reply },
            Err(SendError::Permanent(reason)) => MailOutcome::Failed { reason },
            Err(SendError::Temporary(reply)) if attempt < self.max_attempts => {
                MailOutcome::Deferred {
                    reply,
                    retry_at_ms: now_ms.saturating_add(self.delay_ms(attempt)),
                }
            }
            Err(SendError::Temporary(reply)) => MailOutcome::Failed {
                reason: format!("gave up after {attempt} attempts: {reply}"),
            },
        }
    }
}

pub struct MailSender {
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    pub smtp: SmtpMailer,
    pub retry: RetryPolicy,
    /// How often the log is checked for messages due (deferred ones, other nodes' ones)
    /// when nothing wakes the sender.
    pub poll: Duration,
    /// Notified by the queue on this node when a message is queued.
    pub wake: Arc<Notify>,
}

/// How long a claim holds: well beyond one SMTP exchange's timeout, so a message is
/// taken over only from a node that died.
const LEASE_MS: i64 = 300_000;

impl MailSender {
    /// Runs until `stop` is notified.
    pub async fn run(self, stop: Arc<Notify>) {
        loop {
            self.send_due().await;
            tokio::select! {
                () = stop.notified() => return,
                () = self.wake.notified() => {}
                () = tokio::time::sleep(self.poll) => {}
            }
        }
    }

    /// Sends every message due now; returns how many attempts were made.
    pub async fn send_due(&self) -> usize {
        let lease = uuid::Uuid::new_v4().to_string();
        let mut attempts = 0;
        loop {
            let claimed = match self
                .store
                .claim_mail(self.clock.now_ms(), &lease, LEASE_MS)
                .await
            {
                Ok(Some(claimed)) => claimed,
                Ok(None) => return attempts,
                Err(e) => {
                    tracing::warn!(error = %e, "mail sender cannot read the mail log");
                    return attempts;
                }
            };
            attempts += 1;
            self.attempt(&lease, claimed).await;
        }
    }

    async fn attempt(&self, lease: &str, claimed: ClaimedMail) {
        let result = self.smtp.deliver(&claimed.email).await;
        let now = self.clock.now_ms();
        let outcome = self.retry.outcome(claimed.attempt, now, result);
        let pool_id = claimed.email.pool_id.as_deref().unwrap_or("");
        match &outcome {
            MailOutcome::Sent { reply } => {
                tracing::info!(mail_id = claimed.id, pool_id, %reply, "mail sent");
            }
            MailOutcome::Deferred { reply, retry_at_ms } => tracing::warn!(
                mail_id = claimed.id,
                pool_id,
                attempt = claimed.attempt,
                %reply,
                retry_in_ms = retry_at_ms - now,
                "mail deferred"
            ),
            MailOutcome::Failed { reason } => {
                tracing::warn!(mail_id = claimed.id, pool_id, %reason, "mail failed");
            }
        }
        if let Err(e) = self
            .store
            .finish_mail(claimed.id, lease, now, &outcome)
            .await
        {
            tracing::warn!(mail_id = claimed.id, error = %e, "cannot record the mail outcome");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap_then_gives_up() {
        let policy = RetryPolicy {
            initial_ms: 1000,
            max_ms: 5000,
            max_attempts: 4,
        };
        let delays: Vec<i64> = (1..=5).map(|a| policy.delay_ms(a)).collect();
        assert_eq!(delays, [1000, 2000, 4000, 5000, 5000]);
        assert_eq!(RetryPolicy::default().delay_ms(i64::MAX), 3_600_000);

        let temporary = || Err(SendError::Temporary("451 4.3.0 later".into()));
        assert_eq!(
            policy.outcome(3, 10, temporary()),
            MailOutcome::Deferred {
                reply: "451 4.3.0 later".into(),
                retry_at_ms: 4010
            }
        );
        assert_eq!(
            policy.outcome(4, 10, temporary()),
            MailOutcome::Failed {
                reason: "gave up after 4 attempts: 451 4.3.0 later".into()
            }
        );
        assert_eq!(
            policy.outcome(1, 10, Err(SendError::Permanent("550 no".into()))),
            MailOutcome::Failed {
                reason: "550 no".into()
            }
        );
        assert_eq!(
            policy.outcome(1, 10, Ok("250 ok".into())),
            MailOutcome::Sent {
                reply: "250 ok".into()
            }
        );
    }
}
