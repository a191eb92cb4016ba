//! The audit trail: every API call and authentication event as one [`AuditEvent`], appended
//! to a tamper-evident hash chain (one chain for the whole server, so that one check covers
//! every pool and a deleted pool's history stays verifiable).
//!
//! Each stored [`AuditRecord`] carries the hash of the record before it; [`verify`] walks the
//! chain and names the first altered, deleted or reordered record. Pruning old records
//! leaves a [`Checkpoint`] signed with a server secret over the last pruned record's
//! sequence number and hash, where verification starts.
//!
//! Records never hold passwords, codes, tokens or secrets: the recorder (the server's
//! dispatch layer) keeps only identifiers and the *names* of changed fields.

mod chain;
mod check;
mod checkpoint;
mod event;
mod feed;
mod mail_refs;
mod proxies;
mod settings;
mod store;

pub use chain::{link_hash, verify, AuditRecord, ChainHead, Finding, Verified, GENESIS_HASH};
pub use check::{verify_trail, Report};
pub use checkpoint::{checkpoint_key, prune, sign_checkpoint, Checkpoint};
pub use event::{AuditEvent, AuthEventKind, Outcome};
pub use feed::{auth_event_type, AuthEventFeedback};
pub use mail_refs::{collecting_mail_ids, note_mail_id};
pub use proxies::{source_ip, IpNet};
pub use settings::AuditSettings;
pub use store::{AuditFilter, AuditStore};
