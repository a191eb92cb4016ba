//! `UserImportStore`: CSV user import jobs, their uploaded file and their row errors. The
//! job's status is its version: a write names the status it read.

use async_trait::async_trait;
use monban_core::store::{StoreError, StoreResult};
use monban_core::user_import::{ImportJob, ImportRowError, UserImportStore};
use monban_core::wire::idp::{PasswordHashingAlgorithmType, UserImportJobStatusType};
use sqlx::any::AnyRow;
use sqlx::query;

use crate::codec::{after_condition, column_value, limit};
use crate::error::{corrupt, on_write, stale_or_gone, unavailable};
use crate::SqlStore;

const COLUMNS: &str = "job_id, pool_id, job_name, status, logs_role_arn, hashing_algorithm, \
     created_ms, started_ms, completed_ms, completion_message, imported_users, skipped_users, \
     failed_users, upload_token_hash, upload_expires_ms";

/// Row errors written by one statement.
const ERRORS_PER_INSERT: usize = 100;

fn job_from_row(row: &AnyRow) -> StoreResult<ImportJob> {
    let status: String = column_value(row, "status")?;
    let algorithm: Option<String> = column_value(row, "hashing_algorithm")?;
    Ok(ImportJob {
        job_id: column_value(row, "job_id")?,
        pool_id: column_value(row, "pool_id")?,
        job_name: column_value(row, "job_name")?,
        status: UserImportJobStatusType::parse(&status)
            .ok_or_else(|| corrupt("status", &status))?,
        cloud_watch_logs_role_arn: column_value(row, "logs_role_arn")?,
        password_hashing_algorithm: match algorithm {
            Some(a) => Some(
                PasswordHashingAlgorithmType::parse(&a)
                    .ok_or_else(|| corrupt("hashing_algorithm", &a))?,
            ),
            None => None,
        },
        created_ms: column_value(row, "created_ms")?,
        started_ms: column_value(row, "started_ms")?,
        completed_ms: column_value(row, "completed_ms")?,
        completion_message: column_value(row, "completion_message")?,
        imported_users: column_value(row, "imported_users")?,
        skipped_users: column_value(row, "skipped_users")?,
        failed_users: column_value(row, "failed_users")?,
        upload_token_hash: column_value(row, "upload_token_hash")?,
        upload_expires_ms: column_value(row, "upload_expires_ms")?,
    })
}

#[async_trait]
impl UserImportStore for SqlStore {
    async fn insert_import_job(&self, job: &ImportJob) -> StoreResult<()> {
        let sql = format!(
            "INSERT INTO user_import_jobs ({COLUMNS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
        );
        query(&sql)
            .bind(&job.job_id)
            .bind(&job.pool_id)
            .bind(&job.job_name)
            .bind(job.status.as_str())
            .bind(&job.cloud_watch_logs_role_arn)
            .bind(job.password_hashing_algorithm.map(|a| a.as_str()))
            .bind(job.created_ms)
            .bind(job.started_ms)
            .bind(job.completed_ms)
            .bind(job.completion_message.as_deref())
            .bind(job.imported_users)
            .bind(job.skipped_users)
            .bind(job.failed_users)
            .bind(&job.upload_token_hash)
            .bind(job.upload_expires_ms)
            .execute(&self.pool)
            .await
            .map_err(|e| on_write(e, || format!("import_job:{}", job.job_id)))?;
        Ok(())
    }

    async fn get_import_job(&self, job_id: &str) -> StoreResult<Option<ImportJob>> {
        let sql = format!("SELECT {COLUMNS} FROM user_import_jobs WHERE job_id = $1");
        query(&sql)
            .bind(job_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(unavailable)?
            .as_ref()
            .map(job_from_row)
            .transpose()
    }

    async fn update_import_job(
        &self,
        job: &ImportJob,
        from: UserImportJobStatusType,
    ) -> StoreResult<()> {
        let done = query(
            "UPDATE user_import_jobs SET status = $2, started_ms = $3, completed_ms = $4, \
             completion_message = $5, imported_users = $6, skipped_users = $7, \
             failed_users = $8 WHERE job_id = $1 AND status = $9",
        )
        .bind(&job.job_id)
        .bind(job.status.as_str())
        .bind(job.started_ms)
        .bind(job.completed_ms)
        .bind(job.completion_message.as_deref())
        .bind(job.imported_users)
        .bind(job.skipped_users)
        .bind(job.failed_users)
        .bind(from.as_str())
        .execute(&self.pool)
        .await
        .map_err(unavailable)?;
        if done.rows_affected() == 0 {
            let still_there = self.get_import_job(&job.job_id).await?.is_some();
            return Err(stale_or_gone(still_there));
        }
        Ok(())
    }

    async fn list_import_jobs(
        &self,
        pool_id: &str,
        after: Option<&str>,
        page: usize,
    ) -> StoreResult<Vec<ImportJob>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM user_import_jobs WHERE pool_id = $2 {} \
             ORDER BY job_id LIMIT $1",
            after_condition(after, "job_id", 3)
        );
        let mut q = query(&sql).bind(limit(page)).bind(pool_id);
        if let Some(after) = after {
            q = q.bind(after);
        }
        let rows = q.fetch_all(&self.pool).await.map_err(unavailable)?;
        rows.iter().map(job_from_row).collect()
    }

    async fn put_import_file(&self, job_id: &str, csv: &str) -> StoreResult<()> {
        let done = query("UPDATE user_import_jobs SET csv = $2 WHERE job_id = $1")
            .bind(job_id)
            .bind(csv)
            .execute(&self.pool)
            .await
            .map_err(unavailable)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn get_import_file(&self, job_id: &str) -> StoreResult<Option<String>> {
        let row = query("SELECT csv FROM user_import_jobs WHERE job_id = $1")
            .bind(job_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(unavailable)?;
        match row {
            Some(row) => column_value(&row, "csv"),
            None => Ok(None),
        }
    }

    async fn insert_import_errors(
        &self,
        job_id: &str,
        errors: &[ImportRowError],
    ) -> StoreResult<()> {
        if errors.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin_write().await?;
        for chunk in errors.chunks(ERRORS_PER_INSERT) {
            let values: Vec<String> = (0..chunk.len())
                .map(|i| {
                    let p = i * 4 + 2;
                    format!("($1, ${p}, ${}, ${}, ${})", p + 1, p + 2, p + 3)
                })
                .collect();
            let sql = format!(
                "INSERT INTO user_import_errors (job_id, line, username, outcome, message) \
                 VALUES {}",
                values.join(", ")
            );
            let mut q = query(&sql).bind(job_id);
            for e in chunk {
                q = q
                    .bind(e.line)
                    .bind(e.username.as_deref())
                    .bind(&e.outcome)
                    .bind(&e.message);
            }
            q.execute(&mut *tx)
                .await
                .map_err(|e| on_write(e, || format!("import_error:{job_id}")))?;
        }
        tx.commit().await.map_err(unavailable)
    }

    async fn list_import_errors(&self, job_id: &str) -> StoreResult<Vec<ImportRowError>> {
        let rows = query(
            "SELECT line, username, outcome, message FROM user_import_errors \
             WHERE job_id = $1 ORDER BY line",
        )
        .bind(job_id)
        .fetch_all(&self.pool)
        .await
        .map_err(unavailable)?;
        rows.iter()
            .map(|row| {
                Ok(ImportRowError {
                    line: column_value(row, "line")?,
                    username: column_value(row, "username")?,
                    outcome: column_value(row, "outcome")?,
                    message: column_value(row, "message")?,
                })
            })
            .collect()
    }
}
