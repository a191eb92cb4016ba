//! Cognito's user import jobs: a CSV file of users (GetCSVHeader gives its columns)
//! uploaded to the job's pre-signed URL, then imported by StartUserImportJob. Imported
//! users are RESET_REQUIRED, with no password, as on Cognito.
//!
//! Deviations: the URL is served by monban itself (`{public_url}/_import/{jobId}?token=…`,
//! a PUT of the file, a GET of the job's row errors); Cognito writes row errors to
//! CloudWatch Logs, monban keeps them with the job. The job runs within the
//! StartUserImportJob call (its answer shows the finished job); StopUserImportJob stops a
//! job that another request is running, between rows. A pre-signed URL is not renewed:
//! a job whose file did not come within the hour stays Created (no Expired status).
//!
//! Also here: users brought in with their old directory's password hash
//! ([`import_hashed_user`], behind `monban users import-hashes`).

mod csv_file;
mod hashed_users;
pub(crate) mod run;

use async_trait::async_trait;
use monban_wire::idp::{PasswordHashingAlgorithmType, UserImportJobStatusType, UserImportJobType};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::cx::wire_time;
use crate::store::StoreResult;

pub use csv_file::csv_header;
pub use hashed_users::{import_hashed_user, HashedUser};
pub use run::run_job;

/// The path under `public_url` where a job's file is uploaded: `{UPLOAD_PATH}/{jobId}`.
pub const UPLOAD_PATH: &str = "/_import";

/// How long the pre-signed URL accepts an upload (S3's default for a pre-signed PUT).
pub const UPLOAD_VALIDITY_MS: i64 = 60 * 60 * 1000;

/// The largest file accepted: Cognito's own limit.
pub const MAX_CSV_BYTES: usize = 100 * 1024 * 1024;

/// A user import job.
#[derive(Clone, PartialEq)]
pub struct ImportJob {
    pub pool_id: String,
    /// `import-` and random characters; unique across pools (the upload URL names no pool).
    pub job_id: String,
    pub job_name: String,
    pub status: UserImportJobStatusType,
    pub cloud_watch_logs_role_arn: String,
    pub password_hashing_algorithm: Option<PasswordHashingAlgorithmType>,
    pub created_ms: i64,
    pub started_ms: Option<i64>,
    pub completed_ms: Option<i64>,
    pub completion_message: Option<String>,
    pub imported_users: i64,
    pub skipped_users: i64,
    pub failed_users: i64,
    /// SHA-256 (hex) of the token in the pre-signed URL; the token itself is not kept.
    pub upload_token_hash: String,
    /// Until when the pre-signed URL accepts the file.
    pub upload_expires_ms: i64,
}

impl std::fmt::Debug for ImportJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImportJob")
            .field("pool_id", &self.pool_id)
            .field("job_id", &self.job_id)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

/// One row the job did not import: its line in the file (the header is line 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRowError {
    pub line: i64,
    pub username: Option<String>,
    /// `SKIPPED` (the user exists) or `FAILED`.
    pub outcome: String,
    pub message: String,
}

/// Storage of import jobs, their files and their row errors.
#[async_trait]
pub trait UserImportStore: Send + Sync {
    /// `Conflict` if the job id is taken, `NotFound` if the pool is gone.
    async fn insert_import_job(&self, job: &ImportJob) -> StoreResult<()>;
    async fn get_import_job(&self, job_id: &str) -> StoreResult<Option<ImportJob>>;
    /// Writes `job` if the stored status is still `from`: `VersionMismatch` otherwise,
    /// `NotFound` if the job is gone. The status is the job's version.
    async fn update_import_job(
        &self,
        job: &ImportJob,
        from: UserImportJobStatusType,
    ) -> StoreResult<()>;
    /// The pool's jobs ordered by job id, after `after`.
    async fn list_import_jobs(
        &self,
        pool_id: &str,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<Vec<ImportJob>>;
    /// Stores (or replaces) the job's file. `NotFound` if the job is gone.
    async fn put_import_file(&self, job_id: &str, csv: &str) -> StoreResult<()>;
    async fn get_import_file(&self, job_id: &str) -> StoreResult<Option<String>>;
    async fn insert_import_errors(
        &self,
        job_id: &str,
        errors: &[ImportRowError],
    ) -> StoreResult<()>;
    /// The job's row errors by line.
    async fn list_import_errors(&self, job_id: &str) -> StoreResult<Vec<ImportRowError>>;
}

/// The stored form of an upload token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

impl ImportJob {
    /// True when `token` is the one of this job's pre-signed URL.
    pub fn token_matches(&self, token: &str) -> bool {
        bool::from(
            token_hash(token)
                .as_bytes()
                .ct_eq(self.upload_token_hash.as_bytes()),
        )
    }

    /// The job as the wire shows it; `pre_signed_url` only where Cognito shows it.
    pub fn to_wire(&self, pre_signed_url: Option<String>) -> UserImportJobType {
        UserImportJobType {
            cloud_watch_logs_role_arn: Some(self.cloud_watch_logs_role_arn.clone()),
            completion_date: self.completed_ms.map(wire_time),
            completion_message: self.completion_message.clone(),
            creation_date: Some(wire_time(self.created_ms)),
            failed_users: Some(self.failed_users),
            imported_users: Some(self.imported_users),
            job_id: Some(self.job_id.clone()),
            job_name: Some(self.job_name.clone()),
            password_hashing_algorithm: self.password_hashing_algorithm,
            pre_signed_url,
            skipped_users: Some(self.skipped_users),
            start_date: self.started_ms.map(wire_time),
            status: Some(self.status),
            user_pool_id: Some(self.pool_id.clone()),
        }
    }
}
