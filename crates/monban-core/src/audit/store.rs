//! The audit trail's storage port.

use async_trait::async_trait;

use super::chain::{AuditRecord, ChainHead};
use super::checkpoint::Checkpoint;
use super::event::AuditEvent;
use super::feed::AuthEventFeedback;
use crate::store::StoreResult;

/// Which records an export or a listing wants; `None` means any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub pool_id: Option<String>,
    /// Matches the record's `sub` or its `username`.
    pub user: Option<String>,
    /// Inclusive lower bound, epoch milliseconds.
    pub from_ms: Option<i64>,
    /// Exclusive upper bound, epoch milliseconds.
    pub to_ms: Option<i64>,
}

#[async_trait]
pub trait AuditStore: Send + Sync {
    /// Appends `events` in order to the chain, in one transaction that also moves the chain
    /// head: appends from several nodes are serialised on the head.
    async fn append_audit(&self, events: &[AuditEvent]) -> StoreResult<()>;
    /// Records with `seq > after_seq` matching `filter`, in sequence order.
    async fn list_audit(
        &self,
        after_seq: i64,
        filter: &AuditFilter,
        limit: usize,
    ) -> StoreResult<Vec<AuditRecord>>;
    async fn audit_head(&self) -> StoreResult<Option<ChainHead>>;
    async fn audit_checkpoint(&self) -> StoreResult<Option<Checkpoint>>;
    /// The newest record older than `before_ms`, not the newest record of all: its number
    /// and hash.
    async fn audit_prune_point(&self, before_ms: i64) -> StoreResult<Option<(i64, String)>>;
    /// Deletes the records up to `checkpoint.seq` and stores the checkpoint, unless a later
    /// one is there already. Returns the number of records deleted.
    async fn prune_audit(&self, checkpoint: &Checkpoint) -> StoreResult<u64>;
    /// The user's events that Cognito reports as auth events, newest first, with
    /// `seq < before_seq` when given.
    async fn list_user_auth_events(
        &self,
        pool_id: &str,
        sub: &str,
        before_seq: Option<i64>,
        limit: usize,
    ) -> StoreResult<Vec<(AuditRecord, Option<AuthEventFeedback>)>>;
    /// Stores (or replaces) the feedback on an event of the user; `NotFound` when the user
    /// has no such event. Feedback lives beside the chain: the records never change.
    async fn put_auth_event_feedback(
        &self,
        pool_id: &str,
        sub: &str,
        event_id: &str,
        feedback: &AuthEventFeedback,
    ) -> StoreResult<()>;
}
