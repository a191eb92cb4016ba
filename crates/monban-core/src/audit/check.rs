//! Verification of the stored trail, page by page: the checkpoint's signature, then every
//! record up to the chain head read at the start (records appended meanwhile are left for
//! the next run).

use super::chain::{Finding, Verified};
use super::store::{AuditFilter, AuditStore};
use crate::error::Error;

/// Records read per query.
const PAGE: usize = 1000;

/// What a verification found: the number of records checked, or the first fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// Records checked.
    pub checked: u64,
    /// The pruned prefix ends at this record (0: nothing pruned).
    pub checkpoint_seq: i64,
    pub finding: Option<Finding>,
}

/// Verifies the whole trail; `key` is the checkpoint key ([`super::checkpoint_key`]).
pub async fn verify_trail(store: &dyn AuditStore, key: &[u8]) -> Result<Report, Error> {
    let head = store.audit_head().await?;
    let checkpoint = store.audit_checkpoint().await?;
    let mut report = Report {
        checked: 0,
        checkpoint_seq: checkpoint.as_ref().map_or(0, |c| c.seq),
        finding: None,
    };
    if let Some(cp) = &checkpoint {
        if !cp.is_signed_by(key) {
            report.finding = Some(Finding::BadCheckpoint);
            return Ok(report);
        }
    }
    let mut state = Verified::start(checkpoint.as_ref().map(|c| (c.seq, c.hash.as_str())));
    let last = head.as_ref().map_or(0, |h| h.last_seq);
    let mut after = report.checkpoint_seq;
    'pages: loop {
        let page = store
            .list_audit(after, &AuditFilter::default(), PAGE)
            .await?;
        let Some(tail) = page.last() else { break };
        after = tail.seq;
        for record in &page {
            if record.seq > last {
                break 'pages;
            }
            if let Err(finding) = state.push(record) {
                report.checked = state.count;
                report.finding = Some(finding);
                return Ok(report);
            }
        }
        if page.len() < PAGE {
            break;
        }
    }
    report.checked = state.count;
    report.finding = state.finish(head.as_ref()).err();
    Ok(report)
}
