//! `monban mail`: the mail log (every message with its outcome, never its text), counts
//! per pool and status, and the DNS records of deliverability. `monban outbox` stays the
//! place of the mail kept without SMTP.

pub mod delivery;
pub mod dns;

use monban_core::mail::{MailCount, MailLogStore, MailRecord, MailStatus};

use super::outbox::rfc3339_utc;
use crate::settings::Settings;

const PAGE: usize = 500;

/// What `monban mail log` shows.
#[derive(Debug, Clone)]
pub struct LogQuery {
    pub pool_id: Option<String>,
    pub limit: usize,
    pub json: bool,
    /// Counts per pool and status instead of messages.
    pub summary: bool,
    /// With `summary`: only messages of the last this many seconds (0: all).
    pub since_secs: u64,
}

pub async fn log(settings: &Settings, query: &LogQuery) -> anyhow::Result<()> {
    let store = super::open_store(settings).await?;
    if query.summary {
        let since = if query.since_secs == 0 {
            0
        } else {
            let secs = i64::try_from(query.since_secs).unwrap_or(i64::MAX);
            monban_core::Clock::now_ms(&monban_core::SystemClock)
                .saturating_sub(secs.saturating_mul(1000))
        };
        let counts = store
            .count_mail(since)
            .await
            .map_err(|e| anyhow::anyhow!("cannot read the mail log: {e}"))?;
        let counts: Vec<MailCount> = counts
            .into_iter()
            .filter(|c| query.pool_id.is_none() || c.pool_id == query.pool_id)
            .collect();
        print!("{}", summary(&counts, query.json));
        return Ok(());
    }
    let records = newest(&store, query.pool_id.as_deref(), query.limit).await?;
    if records.is_empty() && !query.json {
        println!("The mail log is empty.");
    }
    // Oldest first, like a log.
    for record in records.iter().rev() {
        if query.json {
            println!("{}", to_json(record));
        } else {
            println!("{}", to_text(record));
        }
    }
    Ok(())
}

async fn newest(
    store: &dyn MailLogStore,
    pool_id: Option<&str>,
    limit: usize,
) -> anyhow::Result<Vec<MailRecord>> {
    let mut out = Vec::new();
    let mut before = None;
    while out.len() < limit {
        let page = store
            .list_mail_log(pool_id, before, PAGE.min(limit - out.len()))
            .await
            .map_err(|e| anyhow::anyhow!("cannot read the mail log: {e}"))?;
        let Some(last) = page.last() else {
            break;
        };
        before = Some(last.id);
        out.extend(page);
    }
    Ok(out)
}

fn to_text(r: &MailRecord) -> String {
    let mut line = format!(
        "#{} {} pool={} purpose={} status={} attempts={} to={}",
        r.id,
        rfc3339_utc(r.created_ms),
        r.pool_id.as_deref().unwrap_or("-"),
        r.purpose,
        r.status.as_str(),
        r.attempts,
        r.recipient,
    );
    if let Some(sub) = &r.user_sub {
        line.push_str(&format!(" user={sub}"));
    }
    if let (MailStatus::Deferred, Some(at)) = (r.status, r.next_attempt_ms) {
        line.push_str(&format!(" retry_at={}", rfc3339_utc(at)));
    }
    if let Some(reply) = &r.smtp_reply {
        line.push_str(&format!(" reply={reply:?}"));
    }
    if let Some(reason) = &r.reason {
        line.push_str(&format!(" reason={reason:?}"));
    }
    line
}

fn to_json(r: &MailRecord) -> serde_json::Value {
    serde_json::json!({
        "id": r.id,
        "time": rfc3339_utc(r.created_ms),
        "updated": rfc3339_utc(r.updated_ms),
        "pool_id": r.pool_id,
        "user_sub": r.user_sub,
        "purpose": r.purpose,
        "recipient": r.recipient,
        "status": r.status.as_str(),
        "attempts": r.attempts,
        "next_attempt": r.next_attempt_ms.map(rfc3339_utc),
        "smtp_reply": r.smtp_reply,
        "reason": r.reason,
    })
}

/// One line per pool: the count of each status (text), or one JSON object per pool.
fn summary(counts: &[MailCount], json: bool) -> String {
    let mut pools: Vec<Option<&str>> = counts.iter().map(|c| c.pool_id.as_deref()).collect();
    pools.dedup();
    let mut out = String::new();
    if pools.is_empty() && !json {
        out.push_str("The mail log is empty.\n");
    }
    for pool in pools {
        let of = |status: MailStatus| {
            counts
                .iter()
                .filter(|c| c.pool_id.as_deref() == pool && c.status == status)
                .map(|c| c.count)
                .sum::<i64>()
        };
        if json {
            let mut object = serde_json::Map::new();
            object.insert("pool_id".into(), serde_json::json!(pool));
            for status in MailStatus::ALL {
                object.insert(status.as_str().into(), serde_json::json!(of(status)));
            }
            out.push_str(&format!("{}\n", serde_json::Value::Object(object)));
        } else {
            let cells: Vec<String> = MailStatus::ALL
                .iter()
                .map(|s| format!("{}={}", s.as_str(), of(*s)))
                .collect();
            out.push_str(&format!(
                "pool={} {}\n",
                pool.unwrap_or("-"),
                cells.join(" ")
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    fn count(pool: &str, status: MailStatus, count: i64) -> MailCount {
        MailCount {
            pool_id: Some(pool.into()),
            status,
            count,
        }
    }

    #[test]
    fn the_summary_counts_each_status_per_pool() {
        let counts = [
            count("p1", MailStatus::Deferred, 1),
            count("p1", MailStatus::Sent, 4),
            count("p2", MailStatus::Failed, 2),
        ];
        let text = summary(&counts, false);
        assert_eq!(
            text,
            "pool=p1 queued=0 sending=0 sent=4 deferred=1 failed=0 refused=0\n\
             pool=p2 queued=0 sending=0 sent=0 deferred=0 failed=2 refused=0\n"
        );
        let json = summary(&counts, true);
        let first: serde_json::Value = serde_json::from_str(json.lines().next().unwrap()).unwrap();
        assert_eq!(first["sent"], 4);
        assert_eq!(first["pool_id"], "p1");
    }

    #[test]
    fn a_log_line_has_the_outcome_and_never_a_text() {
        let record = MailRecord {
            id: 7,
            created_ms: 0,
            updated_ms: 0,
            pool_id: Some("p1".into()),
            user_sub: Some("sub-1".into()),
            purpose: "reset_code".into(),
            recipient: "a@example.com".into(),
            status: MailStatus::Deferred,
            attempts: 1,
            next_attempt_ms: Some(30_000),
            smtp_reply: Some("451 4.3.0 later".into()),
            reason: None,
        };
        let line = to_text(&record);
        assert_eq!(
            line,
            "#7 1970-01-01T00:00:00.000Z pool=p1 purpose=reset_code status=deferred attempts=1 \
             to=a@example.com user=sub-1 retry_at=1970-01-01T00:00:30.000Z \
             reply=\"451 4.3.0 later\""
        );
        assert_eq!(to_json(&record)["status"], "deferred");
    }
}
