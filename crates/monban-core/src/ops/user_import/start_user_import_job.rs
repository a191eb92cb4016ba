//! StartUserImportJob: imports the uploaded file. Deviation: the job runs within this
//! call, so the answer shows it finished (Succeeded, Failed or Stopped) where Cognito's
//! shows it Pending; a job is started once, from Created, after its file was uploaded
//! (`PreconditionNotMetException` otherwise).

use monban_wire::idp::{
    StartUserImportJobRequest, StartUserImportJobResponse, UserImportJobStatusType as Status,
};

use super::{load_job, precondition};
use crate::error::Error;
use crate::pool_config::load_pool;
use crate::store::StoreError;
use crate::user_import::run_job;
use crate::{Cx, Iam};

pub async fn start_user_import_job(
    cx: &Cx,
    _iam: &Iam,
    req: StartUserImportJobRequest,
) -> Result<StartUserImportJobResponse, Error> {
    let pool = load_pool(cx, &req.user_pool_id).await?;
    let mut job = load_job(cx, &pool, &req.job_id).await?;
    if job.status != Status::Created {
        return Err(precondition(format!(
            "The import job cannot be started: its status is {}.",
            job.status.as_str()
        )));
    }
    let Some(csv) = cx.store.get_import_file(&job.job_id).await? else {
        return Err(precondition(
            "The import job cannot be started: no CSV file was uploaded to its PreSignedUrl.",
        ));
    };
    // Claimed from Created: of two concurrent starts, one runs the job.
    job.status = Status::InProgress;
    job.started_ms = Some(cx.now_ms());
    match cx.store.update_import_job(&job, Status::Created).await {
        Ok(()) => {}
        Err(StoreError::VersionMismatch) => {
            return Err(precondition(
                "The import job cannot be started: it was started or stopped meanwhile.",
            ))
        }
        Err(e) => return Err(e.into()),
    }
    let job = run_job(cx, &pool, job, &csv).await?;
    Ok(StartUserImportJobResponse {
        user_import_job: Some(job.to_wire(None)),
    })
}
