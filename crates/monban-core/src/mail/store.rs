//! `MailLogStore`: the mail log, which is also the durable send queue shared by all nodes.

use async_trait::async_trait;

use super::{ClaimedMail, Email, MailCount, MailMeta, MailOutcome, MailRecord, Queued, SendLimits};
use crate::store::StoreResult;

#[async_trait]
pub trait MailLogStore: Send + Sync {
    /// Queues `email` (due at once) unless the messages accepted for its pool, or for its
    /// recipient in that pool, since `now_ms - limits.window_ms` reach a limit; then the
    /// message is recorded as refused, without its text.
    async fn enqueue_mail(
        &self,
        now_ms: i64,
        email: &Email,
        meta: &MailMeta,
        limits: &SendLimits,
    ) -> StoreResult<Queued>;

    /// Claims the message due first (queued or deferred and due, or sending with a lease
    /// that ran out because its node died) under `lease` until `now_ms + lease_ms`. Two
    /// claimers never get the same message while a lease runs.
    async fn claim_mail(
        &self,
        now_ms: i64,
        lease: &str,
        lease_ms: i64,
    ) -> StoreResult<Option<ClaimedMail>>;

    /// Records the outcome of the attempt made under `lease`. Once a message is sent or
    /// failed its text is erased. `NotFound` if the lease was lost.
    async fn finish_mail(
        &self,
        id: i64,
        lease: &str,
        now_ms: i64,
        outcome: &MailOutcome,
    ) -> StoreResult<()>;

    /// Log rows, newest first, before the id `before` when given, of one pool when given.
    async fn list_mail_log(
        &self,
        pool_id: Option<&str>,
        before: Option<i64>,
        limit: usize,
    ) -> StoreResult<Vec<MailRecord>>;

    /// Messages per pool and status created since `since_ms`.
    async fn count_mail(&self, since_ms: i64) -> StoreResult<Vec<MailCount>>;
}
