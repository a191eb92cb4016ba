//! `MailLogStore`: the mail log and durable send queue. A claim is one conditional
//! `UPDATE`: the row is re-checked as it is written, so of two nodes racing for a message
//! one updates it and the other updates nothing.

use async_trait::async_trait;
use monban_core::mail::{
    ClaimedMail, Email, MailCount, MailLogStore, MailMeta, MailOutcome, MailRecord, MailStatus,
    Queued, SendLimits,
};
use monban_core::store::{StoreError, StoreResult};
use sqlx::any::AnyRow;
use sqlx::query;

use crate::codec::{column_value, limit};
use crate::error::unavailable;
use crate::SqlStore;

const RECORD_COLUMNS: &str = "id, created_ms, updated_ms, pool_id, user_sub, purpose, to_addr, \
                              status, attempts, next_attempt_ms, smtp_reply, reason";

/// Due for a sender at `$1`: waiting and due, or claimed under a lease that ran out.
const DUE: &str = "((status IN ('queued', 'deferred') AND next_attempt_ms <= $1) \
                   OR (status = 'sending' AND lease_until_ms <= $1))";

fn pool_key(pool_id: Option<&str>) -> &str {
    pool_id.unwrap_or("")
}

fn pool_of(key: String) -> Option<String> {
    Some(key).filter(|k| !k.is_empty())
}

fn status_of(text: &str) -> StoreResult<MailStatus> {
    MailStatus::parse(text)
        .ok_or_else(|| StoreError::Unavailable(format!("unknown mail status {text:?}")))
}

fn record_from_row(row: &AnyRow) -> StoreResult<MailRecord> {
    let status: String = column_value(row, "status")?;
    Ok(MailRecord {
        id: column_value(row, "id")?,
        created_ms: column_value(row, "created_ms")?,
        updated_ms: column_value(row, "updated_ms")?,
        pool_id: pool_of(column_value(row, "pool_id")?),
        user_sub: column_value(row, "user_sub")?,
        purpose: column_value(row, "purpose")?,
        recipient: column_value(row, "to_addr")?,
        status: status_of(&status)?,
        attempts: column_value(row, "attempts")?,
        next_attempt_ms: column_value(row, "next_attempt_ms")?,
        smtp_reply: column_value(row, "smtp_reply")?,
        reason: column_value(row, "reason")?,
    })
}

/// Whether one more message for `recipient` would exceed `limits`.
fn over_limit(limits: &SendLimits, pool_count: i64, recipient_count: i64) -> Option<String> {
    if limits.per_pool > 0 && pool_count >= i64::from(limits.per_pool) {
        return Some(format!(
            "pool sending limit: {} messages within {} s",
            limits.per_pool,
            limits.window_ms / 1000
        ));
    }
    if limits.per_recipient > 0 && recipient_count >= i64::from(limits.per_recipient) {
        return Some(format!(
            "recipient sending limit: {} messages within {} s",
            limits.per_recipient,
            limits.window_ms / 1000
        ));
    }
    None
}

#[async_trait]
impl MailLogStore for SqlStore {
    async fn enqueue_mail(
        &self,
        now_ms: i64,
        email: &Email,
        meta: &MailMeta,
        limits: &SendLimits,
    ) -> StoreResult<Queued> {
        let pool = pool_key(email.pool_id.as_deref());
        let recipient = email.to.trim().to_lowercase();
        // One write transaction: on SQLite the count and the insert cannot interleave with
        // another request's; on PostgreSQL two racing requests may both pass by one.
        let mut tx = self.begin_write().await?;
        let counts = query(
            "SELECT COUNT(*) AS pool_count, \
             COALESCE(SUM(CASE WHEN recipient = $2 THEN 1 ELSE 0 END), 0) AS recipient_count \
             FROM mail_log WHERE pool_id = $1 AND created_ms > $3 AND status <> 'refused'",
        )
        .bind(pool)
        .bind(&recipient)
        .bind(now_ms.saturating_sub(limits.window_ms))
        .fetch_one(&mut *tx)
        .await
        .map_err(unavailable)?;
        let refusal = over_limit(
            limits,
            column_value(&counts, "pool_count")?,
            column_value(&counts, "recipient_count")?,
        );
        let (status, subject, body) = match &refusal {
            Some(_) => (MailStatus::Refused, None, None),
            None => (
                MailStatus::Queued,
                Some(email.subject.as_str()),
                Some(email.body.as_str()),
            ),
        };
        let row = query(
            "INSERT INTO mail_log (created_ms, updated_ms, pool_id, user_sub, purpose, recipient, \
             to_addr, from_addr, reply_to, subject, body, status, attempts, next_attempt_ms, \
             reason) \
             VALUES ($1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 0, $12, $13) RETURNING id",
        )
        .bind(now_ms)
        .bind(pool)
        .bind(meta.user_sub.as_deref())
        .bind(meta.purpose.as_str())
        .bind(&recipient)
        .bind(&email.to)
        .bind(&email.from)
        .bind(email.reply_to.as_deref())
        .bind(subject)
        .bind(body)
        .bind(status.as_str())
        .bind(refusal.is_none().then_some(now_ms))
        .bind(refusal.as_deref())
        .fetch_one(&mut *tx)
        .await
        .map_err(unavailable)?;
        let id: i64 = column_value(&row, "id")?;
        tx.commit().await.map_err(unavailable)?;
        Ok(match refusal {
            Some(_) => Queued::Refused(id),
            None => Queued::Accepted(id),
        })
    }

    async fn claim_mail(
        &self,
        now_ms: i64,
        lease: &str,
        lease_ms: i64,
    ) -> StoreResult<Option<ClaimedMail>> {
        let sql = format!(
            "UPDATE mail_log SET status = 'sending', lease = $2, lease_until_ms = $3, \
             attempts = attempts + 1, updated_ms = $1 \
             WHERE id = (SELECT id FROM mail_log WHERE {DUE} \
                         ORDER BY next_attempt_ms, id LIMIT 1) \
             AND {DUE} \
             RETURNING id, attempts, pool_id, to_addr, from_addr, reply_to, subject, body"
        );
        let row = query(&sql)
            .bind(now_ms)
            .bind(lease)
            .bind(now_ms.saturating_add(lease_ms))
            .fetch_optional(&self.pool)
            .await
            .map_err(unavailable)?;
        let Some(row) = row else {
            return Ok(None);
        };
        let subject: Option<String> = column_value(&row, "subject")?;
        let body: Option<String> = column_value(&row, "body")?;
        Ok(Some(ClaimedMail {
            id: column_value(&row, "id")?,
            attempt: column_value(&row, "attempts")?,
            email: Email {
                pool_id: pool_of(column_value(&row, "pool_id")?),
                to: column_value(&row, "to_addr")?,
                from: column_value(&row, "from_addr")?,
                reply_to: column_value(&row, "reply_to")?,
                subject: subject.unwrap_or_default(),
                body: body.unwrap_or_default(),
            },
        }))
    }

    async fn finish_mail(
        &self,
        id: i64,
        lease: &str,
        now_ms: i64,
        outcome: &MailOutcome,
    ) -> StoreResult<()> {
        let (status, reply, reason, next_attempt_ms) = match outcome {
            MailOutcome::Sent { reply } => (MailStatus::Sent, Some(reply.as_str()), None, None),
            MailOutcome::Deferred { reply, retry_at_ms } => (
                MailStatus::Deferred,
                Some(reply.as_str()),
                None,
                Some(*retry_at_ms),
            ),
            MailOutcome::Failed { reason } => {
                (MailStatus::Failed, None, Some(reason.as_str()), None)
            }
        };
        // The text goes as soon as it is no longer needed for a retry.
        let erase = if status == MailStatus::Deferred {
            ""
        } else {
            ", subject = NULL, body = NULL"
        };
        let sql = format!(
            "UPDATE mail_log SET status = $3, updated_ms = $4, next_attempt_ms = $5, \
             smtp_reply = COALESCE($6, smtp_reply), reason = $7, lease = NULL, \
             lease_until_ms = NULL{erase} \
             WHERE id = $1 AND lease = $2 AND status = 'sending'"
        );
        let done = query(&sql)
            .bind(id)
            .bind(lease)
            .bind(status.as_str())
            .bind(now_ms)
            .bind(next_attempt_ms)
            .bind(reply)
            .bind(reason)
            .execute(&self.pool)
            .await
            .map_err(unavailable)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn list_mail_log(
        &self,
        pool_id: Option<&str>,
        before: Option<i64>,
        page: usize,
    ) -> StoreResult<Vec<MailRecord>> {
        let sql = format!(
            "SELECT {RECORD_COLUMNS} FROM mail_log \
             WHERE ($2 = '' OR pool_id = $2) AND ($3 < 0 OR id < $3) \
             ORDER BY id DESC LIMIT $1"
        );
        let rows = query(&sql)
            .bind(limit(page))
            .bind(pool_id.unwrap_or(""))
            .bind(before.unwrap_or(-1))
            .fetch_all(&self.pool)
            .await
            .map_err(unavailable)?;
        rows.iter().map(record_from_row).collect()
    }

    async fn count_mail(&self, since_ms: i64) -> StoreResult<Vec<MailCount>> {
        let rows = query(
            "SELECT pool_id, status, COUNT(*) AS n FROM mail_log WHERE created_ms >= $1 \
             GROUP BY pool_id, status ORDER BY pool_id, status",
        )
        .bind(since_ms)
        .fetch_all(&self.pool)
        .await
        .map_err(unavailable)?;
        rows.iter()
            .map(|row| {
                let status: String = column_value(row, "status")?;
                Ok(MailCount {
                    pool_id: pool_of(column_value(row, "pool_id")?),
                    status: status_of(&status)?,
                    count: column_value(row, "n")?,
                })
            })
            .collect()
    }
}
