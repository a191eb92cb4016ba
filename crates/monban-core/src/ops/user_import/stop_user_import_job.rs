//! StopUserImportJob: a job not started yet is Stopped at once; a running one becomes
//! Stopping, and the request running it stops between rows (then Stopped). A finished
//! job cannot be stopped (`PreconditionNotMetException`).

use monban_wire::idp::{
    StopUserImportJobRequest, StopUserImportJobResponse, UserImportJobStatusType as Status,
};

use super::{load_job, precondition};
use crate::error::Error;
use crate::pool_config::{load_pool, VERSION_RETRIES};
use crate::store::StoreError;
use crate::user_import::run::STOPPED_MESSAGE;
use crate::{Cx, Iam};

pub async fn stop_user_import_job(
    cx: &Cx,
    _iam: &Iam,
    req: StopUserImportJobRequest,
) -> Result<StopUserImportJobResponse, Error> {
    let pool = load_pool(cx, &req.user_pool_id).await?;
    for _ in 0..VERSION_RETRIES {
        let mut job = load_job(cx, &pool, &req.job_id).await?;
        let from = job.status;
        match from {
            Status::Created | Status::Pending => {
                job.status = Status::Stopped;
                job.completed_ms = Some(cx.now_ms());
                job.completion_message = Some(STOPPED_MESSAGE.to_owned());
            }
            Status::InProgress => job.status = Status::Stopping,
            Status::Stopping => {
                return Ok(StopUserImportJobResponse {
                    user_import_job: Some(job.to_wire(None)),
                })
            }
            other => {
                return Err(precondition(format!(
                    "The import job cannot be stopped: its status is {}.",
                    other.as_str()
                )))
            }
        }
        match cx.store.update_import_job(&job, from).await {
            Ok(()) => {
                return Ok(StopUserImportJobResponse {
                    user_import_job: Some(job.to_wire(None)),
                })
            }
            Err(StoreError::VersionMismatch) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(Error::from(StoreError::VersionMismatch))
}
