//! `monban audit verify | export | prune`: the audit trail from the command line.
//!
//! - `verify` checks the checkpoint signature and the whole hash chain, and names the first
//!   altered, deleted or reordered record (exit 1 then).
//! - `export` writes records as JSON lines (`{"seq", "prev_hash", "hash", "event"}`),
//!   filtered by pool, user and time; `--follow` keeps polling for new records, for a log
//!   shipper.
//! - `prune` removes records older than the retention behind a signed checkpoint (the
//!   server also does this once an hour when `audit_retention_days` is set).

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use monban_core::audit::{self, AuditFilter, AuditRecord, AuditStore};
use monban_core::store::Store;
use monban_core::{Clock, SystemClock, SystemRng};

use crate::settings::Settings;

const PAGE: usize = 500;
/// How often `--follow` and the server's pruning look again.
const FOLLOW_POLL: Duration = Duration::from_secs(1);
const PRUNE_EVERY: Duration = Duration::from_secs(3600);
const DAY_MS: i64 = 24 * 3600 * 1000;

fn core_error(e: monban_core::Error) -> anyhow::Error {
    anyhow::anyhow!("{}", e.message)
}

pub async fn verify(settings: &Settings) -> anyhow::Result<()> {
    let store = super::open_store(settings).await?;
    let key = audit::checkpoint_key(&store, &SystemRng)
        .await
        .map_err(core_error)?;
    let report = audit::verify_trail(&store, &key)
        .await
        .map_err(core_error)?;
    match report.finding {
        None => {
            let from = match report.checkpoint_seq {
                0 => String::new(),
                seq => format!(" after the signed checkpoint at record {seq}"),
            };
            println!(
                "audit trail intact: {} records verified{from}",
                report.checked
            );
            Ok(())
        }
        Some(finding) => Err(anyhow::anyhow!(
            "audit trail TAMPERED: {finding} ({} records verified before it)",
            report.checked
        )),
    }
}

/// One record as a JSON line: its body is already JSON, and hashes are hex.
fn json_line(record: &AuditRecord) -> String {
    format!(
        r#"{{"seq":{},"prev_hash":"{}","hash":"{}","event":{}}}"#,
        record.seq, record.prev_hash, record.hash, record.body
    )
}

pub async fn export(settings: &Settings, filter: AuditFilter, follow: bool) -> anyhow::Result<()> {
    let store = super::open_store(settings).await?;
    let mut after = 0;
    let stdout = std::io::stdout();
    loop {
        let page = store
            .list_audit(after, &filter, PAGE)
            .await
            .map_err(|e| anyhow::anyhow!("cannot read the audit trail: {e}"))?;
        {
            let mut out = stdout.lock();
            for record in &page {
                writeln!(out, "{}", json_line(record))?;
            }
            out.flush()?;
        }
        if let Some(last) = page.last() {
            after = last.seq;
        }
        if page.len() == PAGE {
            continue;
        }
        if !follow {
            return Ok(());
        }
        tokio::time::sleep(FOLLOW_POLL).await;
    }
}

pub async fn prune(settings: &Settings, retention_days: Option<u32>) -> anyhow::Result<()> {
    let Some(days) = retention_days.or(settings.audit.retention_days) else {
        anyhow::bail!("no retention: pass --days or set audit_retention_days");
    };
    let store = super::open_store(settings).await?;
    let removed = prune_once(&store, days).await?;
    println!("pruned {removed} audit records older than {days} days");
    Ok(())
}

async fn prune_once(store: &dyn Store, days: u32) -> anyhow::Result<u64> {
    let key = audit::checkpoint_key(store, &SystemRng)
        .await
        .map_err(core_error)?;
    let now = SystemClock.now_ms();
    let before = now.saturating_sub(i64::from(days).saturating_mul(DAY_MS));
    audit::prune(store, &key, before, now)
        .await
        .map_err(core_error)
}

/// The server's pruning: once an hour while it runs, when a retention is set. Several
/// nodes pruning at once is harmless (a checkpoint only moves forward).
pub fn spawn_pruning(settings: &Settings, store: Arc<dyn Store>) {
    let Some(days) = settings.audit.retention_days else {
        return;
    };
    tokio::spawn(async move {
        loop {
            match prune_once(store.as_ref(), days).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(records = n, days, "pruned the audit trail"),
                Err(e) => tracing::warn!(error = %e, "audit pruning failed"),
            }
            tokio::time::sleep(PRUNE_EVERY).await;
        }
    });
}
