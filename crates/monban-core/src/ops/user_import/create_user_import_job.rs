//! CreateUserImportJob: a job in status Created, and the pre-signed URL its file is PUT
//! to. Deviation: the URL is monban's own (`{public_url}/_import/{jobId}?token=…`, valid
//! an hour) and only this answer shows it; `CloudWatchLogsRoleArn` is kept and shown, as
//! nothing is logged there (row errors stay with the job). `PasswordHashingAlgorithm` is
//! kept and shown; the file's users are imported without passwords all the same.

use monban_wire::idp::{
    CreateUserImportJobRequest, CreateUserImportJobResponse, UserImportJobStatusType,
};

use crate::error::Error;
use crate::ids::random_from;
use crate::pool_config::load_pool;
use crate::store::StoreError;
use crate::user_import::{token_hash, ImportJob, UPLOAD_PATH, UPLOAD_VALIDITY_MS};
use crate::{Cx, Iam};

const ALNUM: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

pub async fn create_user_import_job(
    cx: &Cx,
    _iam: &Iam,
    req: CreateUserImportJobRequest,
) -> Result<CreateUserImportJobResponse, Error> {
    let pool = load_pool(cx, &req.user_pool_id).await?;
    let token = random_from(cx.rng.as_ref(), ALNUM, 43);
    let now = cx.now_ms();
    let job = ImportJob {
        pool_id: pool.id.clone(),
        job_id: format!("import-{}", random_from(cx.rng.as_ref(), ALNUM, 12)),
        job_name: req.job_name,
        status: UserImportJobStatusType::Created,
        cloud_watch_logs_role_arn: req.cloud_watch_logs_role_arn,
        password_hashing_algorithm: req.password_hashing_algorithm,
        created_ms: now,
        started_ms: None,
        completed_ms: None,
        completion_message: None,
        imported_users: 0,
        skipped_users: 0,
        failed_users: 0,
        upload_token_hash: token_hash(&token),
        upload_expires_ms: now.saturating_add(UPLOAD_VALIDITY_MS),
    };
    match cx.store.insert_import_job(&job).await {
        Ok(()) => {}
        Err(StoreError::NotFound) => return Err(Error::pool_not_found(&pool.id)),
        Err(e) => return Err(e.into()),
    }
    let url = format!(
        "{}{UPLOAD_PATH}/{}?token={token}",
        cx.settings.public_url, job.job_id
    );
    Ok(CreateUserImportJobResponse {
        user_import_job: Some(job.to_wire(Some(url))),
    })
}
