//! Cognito's CSV user import jobs (see [`crate::user_import`] for the job itself):
//! GetCSVHeader, CreateUserImportJob, StartUserImportJob, StopUserImportJob,
//! DescribeUserImportJob, ListUserImportJobs.

mod create_user_import_job;
mod describe_user_import_job;
mod get_csv_header;
mod list_user_import_jobs;
mod start_user_import_job;
mod stop_user_import_job;

pub use create_user_import_job::create_user_import_job;
pub use describe_user_import_job::describe_user_import_job;
pub use get_csv_header::get_csv_header;
pub use list_user_import_jobs::list_user_import_jobs;
pub use start_user_import_job::start_user_import_job;
pub use stop_user_import_job::stop_user_import_job;

use crate::entities::UserPool;
use crate::error::{Error, ErrorKind};
use crate::user_import::ImportJob;
use crate::Cx;

/// The job of this pool, or `ResourceNotFoundException`.
async fn load_job(cx: &Cx, pool: &UserPool, job_id: &str) -> Result<ImportJob, Error> {
    match cx.store.get_import_job(job_id).await? {
        Some(job) if job.pool_id == pool.id => Ok(job),
        _ => Err(Error::resource_not_found(format!(
            "Import job {job_id} does not exist."
        ))),
    }
}

fn precondition(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::PreconditionNotMetException, message)
}
