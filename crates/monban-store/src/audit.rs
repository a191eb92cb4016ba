//! `AuditStore`: the audit hash chain. An append locks the one-row chain head (`FOR UPDATE`
//! on PostgreSQL; SQLite's `BEGIN IMMEDIATE` takes the database's single write lock), so
//! sequence numbers and links stay right with several nodes writing at once.

use async_trait::async_trait;
use monban_core::audit::{
    link_hash, AuditEvent, AuditFilter, AuditRecord, AuditStore, AuthEventFeedback, ChainHead,
    Checkpoint, GENESIS_HASH,
};
use monban_core::store::{StoreError, StoreResult};
use monban_core::wire::idp::FeedbackValueType;
use sqlx::any::AnyRow;
use sqlx::query;

use crate::codec::{column_value, limit};
use crate::dialect::Dialect;
use crate::error::{corrupt, unavailable};
use crate::SqlStore;

const RECORD_COLUMNS: &str = "l.seq, l.time_ms, l.pool_id, l.sub, l.body, l.prev_hash, l.hash";

fn record_from_row(row: &AnyRow) -> StoreResult<AuditRecord> {
    Ok(AuditRecord {
        seq: column_value(row, "seq")?,
        time_ms: column_value(row, "time_ms")?,
        pool_id: column_value(row, "pool_id")?,
        sub: column_value(row, "sub")?,
        body: column_value(row, "body")?,
        prev_hash: column_value(row, "prev_hash")?,
        hash: column_value(row, "hash")?,
    })
}

fn feedback_from_row(row: &AnyRow) -> StoreResult<Option<AuthEventFeedback>> {
    let value: Option<String> = column_value(row, "feedback_value")?;
    let Some(value) = value else { return Ok(None) };
    Ok(Some(AuthEventFeedback {
        value: FeedbackValueType::parse(&value)
            .ok_or_else(|| corrupt("audit_feedback.value", &value))?,
        provider: column_value(row, "feedback_provider")?,
        feedback_ms: column_value(row, "feedback_ms")?,
    }))
}

/// `WHERE` conditions of `filter`, numbering parameters from `first`, and the values to
/// bind in that order.
fn filter_conditions(filter: &AuditFilter, first: usize) -> (String, Vec<Bound>) {
    let mut sql = String::new();
    let mut values = Vec::new();
    let mut n = first;
    if let Some(pool) = &filter.pool_id {
        sql.push_str(&format!(" AND l.pool_id = ${n}"));
        values.push(Bound::Text(pool.clone()));
        n += 1;
    }
    if let Some(user) = &filter.user {
        sql.push_str(&format!(" AND (l.sub = ${n} OR l.username = ${n})"));
        values.push(Bound::Text(user.clone()));
        n += 1;
    }
    if let Some(from) = filter.from_ms {
        sql.push_str(&format!(" AND l.time_ms >= ${n}"));
        values.push(Bound::Int(from));
        n += 1;
    }
    if let Some(to) = filter.to_ms {
        sql.push_str(&format!(" AND l.time_ms < ${n}"));
        values.push(Bound::Int(to));
    }
    (sql, values)
}

enum Bound {
    Text(String),
    Int(i64),
}

/// The values bound per audit row: seq, time_ms, pool_id, sub, username, event_id,
/// event_type, body, prev_hash, hash.
const COLUMNS_PER_ROW: usize = 10;

/// Rows per INSERT statement: 2 000 parameters, well under SQLite's 32 766 and
/// PostgreSQL's 65 535 parameters per statement.
const ROWS_PER_INSERT: usize = 200;

/// The chain head, locked for this transaction; the genesis head is created on the first
/// append (the migration leaves the table empty).
async fn lock_head(
    store: &SqlStore,
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
) -> StoreResult<(i64, String)> {
    let lock = match store.dialect {
        Dialect::Postgres => " FOR UPDATE",
        Dialect::Sqlite => "",
    };
    let select = format!("SELECT last_seq, last_hash FROM audit_head WHERE id = 1{lock}");
    let mut head = query(&select)
        .fetch_optional(&mut **tx)
        .await
        .map_err(unavailable)?;
    if head.is_none() {
        query(
            "INSERT INTO audit_head (id, last_seq, last_hash) VALUES (1, 0, $1) \
             ON CONFLICT (id) DO NOTHING",
        )
        .bind(GENESIS_HASH)
        .execute(&mut **tx)
        .await
        .map_err(unavailable)?;
        head = Some(
            query(&select)
                .fetch_one(&mut **tx)
                .await
                .map_err(unavailable)?,
        );
    }
    let head = head.ok_or_else(|| StoreError::Unavailable("no audit chain head".to_owned()))?;
    Ok((
        column_value(&head, "last_seq")?,
        column_value(&head, "last_hash")?,
    ))
}

/// One audit row, its link computed.
struct Row<'e> {
    seq: i64,
    event: &'e AuditEvent,
    event_type: Option<&'static str>,
    body: String,
    prev: String,
    hash: String,
}

/// One transaction appending `events` to the chain: the head read and locked, the rows
/// in as few statements as the parameter limits allow, the head moved on.
async fn append_now(store: &SqlStore, events: &[AuditEvent]) -> StoreResult<()> {
    let mut tx = store.begin_write().await?;
    let (mut seq, mut prev) = lock_head(store, &mut tx).await?;
    let mut rows = Vec::with_capacity(events.len());
    for event in events {
        seq += 1;
        let body = event
            .to_body()
            .map_err(|e| StoreError::Unavailable(format!("cannot encode audit event: {e}")))?;
        let hash = link_hash(seq, &prev, &body);
        let event_type = event
            .auth_event
            .and_then(|kind| kind.cognito_event_type())
            .map(|t| t.as_str());
        rows.push(Row {
            seq,
            event,
            event_type,
            body,
            prev: std::mem::replace(&mut prev, hash.clone()),
            hash,
        });
    }
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| {
                let params: Vec<String> = (1..=COLUMNS_PER_ROW)
                    .map(|k| format!("${}", i * COLUMNS_PER_ROW + k))
                    .collect();
                format!("({})", params.join(", "))
            })
            .collect();
        let sql = format!(
            "INSERT INTO audit_log (seq, time_ms, pool_id, sub, username, event_id, \
             event_type, body, prev_hash, hash) VALUES {}",
            values.join(", ")
        );
        let mut q = query(&sql);
        for row in chunk {
            q = q
                .bind(row.seq)
                .bind(row.event.time_ms)
                .bind(row.event.pool_id.as_deref())
                .bind(row.event.sub.as_deref())
                .bind(row.event.username.as_deref())
                .bind(&row.event.event_id)
                .bind(row.event_type)
                .bind(&row.body)
                .bind(&row.prev)
                .bind(&row.hash);
        }
        q.execute(&mut *tx).await.map_err(unavailable)?;
    }
    query("UPDATE audit_head SET last_seq = $1, last_hash = $2 WHERE id = 1")
        .bind(seq)
        .bind(&prev)
        .execute(&mut *tx)
        .await
        .map_err(unavailable)?;
    tx.commit().await.map_err(unavailable)
}

/// Group commit of audit records. Every API call appends one record before it answers;
/// one transaction (and, on SQLite, one fsync) per call would cap the whole service at the
/// disk's sync rate. Instead, appends that arrive while a transaction is being written
/// queue up, and the next writer commits all of them in one transaction. Each caller still
/// returns only once its own records are committed, so nothing answered is lost.
#[derive(Default)]
pub(crate) struct AuditBatcher {
    queue: std::sync::Mutex<Vec<Pending>>,
    /// Held by the one caller writing a batch; tokio's mutex is fair (FIFO).
    writer: tokio::sync::Mutex<()>,
}

type Pending = (
    Vec<AuditEvent>,
    tokio::sync::oneshot::Sender<StoreResult<()>>,
);

fn queue_poisoned() -> StoreError {
    StoreError::Unavailable("audit queue poisoned".to_owned())
}

/// The error as each waiting caller sees it (`StoreError` is not `Clone`).
fn shared_error(e: &StoreError) -> StoreError {
    match e {
        StoreError::NotFound => StoreError::NotFound,
        StoreError::Conflict { key } => StoreError::Conflict { key: key.clone() },
        StoreError::VersionMismatch => StoreError::VersionMismatch,
        StoreError::Unavailable(cause) => StoreError::Unavailable(cause.clone()),
    }
}

#[async_trait]
impl AuditStore for SqlStore {
    async fn append_audit(&self, events: &[AuditEvent]) -> StoreResult<()> {
        if events.is_empty() {
            return Ok(());
        }
        let batcher = &self.audit;
        let (done, answered) = tokio::sync::oneshot::channel();
        batcher
            .queue
            .lock()
            .map_err(|_| queue_poisoned())?
            .push((events.to_vec(), done));
        let writing = batcher.writer.lock().await;
        // Our records were queued before we waited: either the writer before us took them
        // (and answered before letting go), or they are still queued and we write them now.
        let mut answered = answered;
        if let Ok(result) = answered.try_recv() {
            return result;
        }
        let batch = std::mem::take(&mut *batcher.queue.lock().map_err(|_| queue_poisoned())?);
        let records: Vec<AuditEvent> = batch
            .iter()
            .flat_map(|(events, _)| events.iter().cloned())
            .collect();
        let result = append_now(self, &records).await;
        for (_, done) in batch {
            let _ = done.send(match &result {
                Ok(()) => Ok(()),
                Err(e) => Err(shared_error(e)),
            });
        }
        drop(writing);
        answered
            .await
            .map_err(|_| StoreError::Unavailable("audit batch dropped".to_owned()))?
    }

    async fn list_audit(
        &self,
        after_seq: i64,
        filter: &AuditFilter,
        page: usize,
    ) -> StoreResult<Vec<AuditRecord>> {
        let (conditions, values) = filter_conditions(filter, 3);
        let sql = format!(
            "SELECT {RECORD_COLUMNS} FROM audit_log l WHERE l.seq > $1{conditions} \
             ORDER BY l.seq LIMIT $2"
        );
        let mut q = query(&sql).bind(after_seq).bind(limit(page));
        for value in values {
            q = match value {
                Bound::Text(text) => q.bind(text),
                Bound::Int(n) => q.bind(n),
            };
        }
        let rows = q.fetch_all(&self.pool).await.map_err(unavailable)?;
        rows.iter().map(record_from_row).collect()
    }

    async fn audit_head(&self) -> StoreResult<Option<ChainHead>> {
        let row = query("SELECT last_seq, last_hash FROM audit_head WHERE id = 1")
            .fetch_optional(&self.pool)
            .await
            .map_err(unavailable)?;
        row.map(|row| {
            Ok(ChainHead {
                last_seq: column_value(&row, "last_seq")?,
                last_hash: column_value(&row, "last_hash")?,
            })
        })
        .transpose()
    }

    async fn audit_checkpoint(&self) -> StoreResult<Option<Checkpoint>> {
        let row =
            query("SELECT seq, hash, signature, created_ms FROM audit_checkpoint WHERE id = 1")
                .fetch_optional(&self.pool)
                .await
                .map_err(unavailable)?;
        row.map(|row| {
            Ok(Checkpoint {
                seq: column_value(&row, "seq")?,
                hash: column_value(&row, "hash")?,
                signature: column_value(&row, "signature")?,
                created_ms: column_value(&row, "created_ms")?,
            })
        })
        .transpose()
    }

    async fn audit_prune_point(&self, before_ms: i64) -> StoreResult<Option<(i64, String)>> {
        let row = query(
            "SELECT l.seq, l.hash FROM audit_log l WHERE l.time_ms < $1 \
             AND l.seq < (SELECT h.last_seq FROM audit_head h WHERE h.id = 1) \
             ORDER BY l.seq DESC LIMIT 1",
        )
        .bind(before_ms)
        .fetch_optional(&self.pool)
        .await
        .map_err(unavailable)?;
        row.map(|row| Ok((column_value(&row, "seq")?, column_value(&row, "hash")?)))
            .transpose()
    }

    async fn prune_audit(&self, checkpoint: &Checkpoint) -> StoreResult<u64> {
        let mut tx = self.begin_write().await?;
        let current: Option<i64> = query("SELECT seq FROM audit_checkpoint WHERE id = 1")
            .fetch_optional(&mut *tx)
            .await
            .map_err(unavailable)?
            .map(|row| column_value(&row, "seq"))
            .transpose()?;
        if current.is_some_and(|seq| seq >= checkpoint.seq) {
            return Ok(0);
        }
        let deleted = query("DELETE FROM audit_log WHERE seq <= $1")
            .bind(checkpoint.seq)
            .execute(&mut *tx)
            .await
            .map_err(unavailable)?
            .rows_affected();
        query(
            "INSERT INTO audit_checkpoint (id, seq, hash, signature, created_ms) \
             VALUES (1, $1, $2, $3, $4) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, \
             hash = excluded.hash, signature = excluded.signature, \
             created_ms = excluded.created_ms",
        )
        .bind(checkpoint.seq)
        .bind(&checkpoint.hash)
        .bind(&checkpoint.signature)
        .bind(checkpoint.created_ms)
        .execute(&mut *tx)
        .await
        .map_err(unavailable)?;
        tx.commit().await.map_err(unavailable)?;
        Ok(deleted)
    }

    async fn list_user_auth_events(
        &self,
        pool_id: &str,
        sub: &str,
        before_seq: Option<i64>,
        page: usize,
    ) -> StoreResult<Vec<(AuditRecord, Option<AuthEventFeedback>)>> {
        let before = if before_seq.is_some() {
            " AND l.seq < $4"
        } else {
            ""
        };
        let sql = format!(
            "SELECT {RECORD_COLUMNS}, f.value AS feedback_value, f.provider AS feedback_provider, \
             f.feedback_ms FROM audit_log l LEFT JOIN audit_feedback f \
             ON f.pool_id = l.pool_id AND f.event_id = l.event_id \
             WHERE l.pool_id = $1 AND l.sub = $2 AND l.event_type IS NOT NULL{before} \
             ORDER BY l.seq DESC LIMIT $3"
        );
        let mut q = query(&sql).bind(pool_id).bind(sub).bind(limit(page));
        if let Some(before) = before_seq {
            q = q.bind(before);
        }
        let rows = q.fetch_all(&self.pool).await.map_err(unavailable)?;
        rows.iter()
            .map(|row| Ok((record_from_row(row)?, feedback_from_row(row)?)))
            .collect()
    }

    async fn put_auth_event_feedback(
        &self,
        pool_id: &str,
        sub: &str,
        event_id: &str,
        feedback: &AuthEventFeedback,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let found = query(
            "SELECT 1 AS found FROM audit_log WHERE pool_id = $1 AND sub = $2 \
             AND event_id = $3 AND event_type IS NOT NULL",
        )
        .bind(pool_id)
        .bind(sub)
        .bind(event_id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(unavailable)?;
        if found.is_none() {
            return Err(StoreError::NotFound);
        }
        query(
            "INSERT INTO audit_feedback (pool_id, event_id, sub, value, provider, feedback_ms) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (pool_id, event_id) DO UPDATE SET \
             value = excluded.value, provider = excluded.provider, \
             feedback_ms = excluded.feedback_ms",
        )
        .bind(pool_id)
        .bind(event_id)
        .bind(sub)
        .bind(feedback.value.as_str())
        .bind(&feedback.provider)
        .bind(feedback.feedback_ms)
        .execute(&mut *tx)
        .await
        .map_err(unavailable)?;
        tx.commit().await.map_err(unavailable)
    }
}
