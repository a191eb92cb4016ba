//! `monban serve` with SMTP: requests queue mail in the database (limits checked there),
//! and a background sender on every node delivers what is due.

use std::sync::Arc;
use std::time::Duration;

use monban_core::mail::{Mailer, QueueMailer};
use monban_core::store::Store;
use monban_core::Clock;
use monban_server::{MailSender, SmtpMailer};
use tokio::sync::Notify;
use tokio::task::JoinHandle;

use crate::settings::Settings;

/// How long a stopping server lets the sender finish the message in hand; one cut short
/// is sent again (by this node after a restart, or another node) when its lease runs out.
const FINISH: Duration = Duration::from_secs(5);

/// The mailer of the API path and the sender that empties its queue.
pub fn queue(
    settings: &Settings,
    smtp: SmtpMailer,
    store: &Arc<dyn Store>,
    clock: &Arc<dyn Clock>,
) -> (Arc<dyn Mailer>, MailSender) {
    let wake = Arc::new(Notify::new());
    let smtp = smtp.with_dkim(settings.mail.dkim.clone());
    let queue = QueueMailer {
        store: store.clone(),
        clock: clock.clone(),
        limits: settings.mail.limits,
        wake: wake.clone(),
    };
    let sender = MailSender {
        store: store.clone(),
        clock: clock.clone(),
        smtp,
        retry: settings.mail.retry,
        poll: settings.mail.poll,
        wake,
    };
    (Arc::new(queue), sender)
}

/// Stops the sender started by `serve`, if any.
pub async fn stop(task: Option<JoinHandle<()>>, stop: &Notify) {
    let Some(mut task) = task else {
        return;
    };
    stop.notify_one();
    if tokio::time::timeout(FINISH, &mut task).await.is_err() {
        tracing::warn!("mail sender still busy after {FINISH:?}; stopping it");
        task.abort();
    }
}
