//! Running an import job: each row becomes a RESET_REQUIRED user with no password, or a
//! row error (`SKIPPED` for a user that exists already, `FAILED` otherwise); the counts
//! and the errors are stored with the job.
//!
//! States: InProgress (claimed by StartUserImportJob) → Succeeded, or Failed for a file
//! whose header is not the pool's; Stopping (StopUserImportJob) → Stopped between rows.

use monban_wire::idp::{UserImportJobStatusType as Status, UserStatusType};

use super::csv_file::{self, Row};
use super::{ImportJob, ImportRowError};
use crate::entities::UserPool;
use crate::error::{Error, ErrorKind};
use crate::pool_config::auto_verified_attributes;
use crate::store::StoreError;
use crate::users::{
    check_required, insert_new_user, new_user, validate_writes, AttributeWrite, KeyWrite, NewUser,
};
use crate::Cx;

/// How many rows pass between two looks for a StopUserImportJob.
const STOP_CHECK_ROWS: usize = 100;

pub const SUCCEEDED_MESSAGE: &str = "Import Job Completed Successfully.";
pub const STOPPED_MESSAGE: &str = "The import job was stopped.";

/// Imports `csv` for `job`, which the caller has just moved to InProgress; returns the
/// job as finished.
pub async fn run_job(
    cx: &Cx,
    pool: &UserPool,
    mut job: ImportJob,
    csv: &str,
) -> Result<ImportJob, Error> {
    let rows = match csv_file::parse(pool, csv) {
        Ok(rows) => rows,
        Err(message) => return finish(cx, job, Status::Failed, message).await,
    };
    let mut errors = Vec::new();
    let mut stopped = false;
    for (index, row) in rows.into_iter().enumerate() {
        if index > 0 && index % STOP_CHECK_ROWS == 0 && stop_asked(cx, &job).await? {
            stopped = true;
            break;
        }
        let outcome = match row {
            Ok(row) => import_row(cx, pool, &row)
                .await
                .map_err(|e| (row.line, Some(row.username.clone()), e)),
            Err(bad) => Err((
                bad.line,
                bad.username,
                Error::invalid_parameter(bad.message),
            )),
        };
        match outcome {
            Ok(()) => job.imported_users += 1,
            Err((line, username, e)) => {
                let skipped = matches!(
                    e.kind,
                    ErrorKind::UsernameExistsException | ErrorKind::AliasExistsException
                );
                if skipped {
                    job.skipped_users += 1;
                } else {
                    job.failed_users += 1;
                }
                if e.kind == ErrorKind::InternalErrorException {
                    tracing::warn!(job_id = %job.job_id, line, error = ?e, "import row failed");
                }
                errors.push(ImportRowError {
                    line,
                    username,
                    outcome: if skipped { "SKIPPED" } else { "FAILED" }.to_owned(),
                    message: e.message,
                });
            }
        }
    }
    cx.store.insert_import_errors(&job.job_id, &errors).await?;
    if stopped {
        finish(cx, job, Status::Stopped, STOPPED_MESSAGE.to_owned()).await
    } else {
        finish(cx, job, Status::Succeeded, SUCCEEDED_MESSAGE.to_owned()).await
    }
}

async fn stop_asked(cx: &Cx, job: &ImportJob) -> Result<bool, Error> {
    Ok(cx
        .store
        .get_import_job(&job.job_id)
        .await?
        .is_none_or(|stored| stored.status == Status::Stopping))
}

/// Stores the final state. A StopUserImportJob that came meanwhile (the job is Stopping)
/// makes it Stopped.
async fn finish(
    cx: &Cx,
    mut job: ImportJob,
    status: Status,
    message: String,
) -> Result<ImportJob, Error> {
    job.status = status;
    job.completion_message = Some(message);
    job.completed_ms = Some(cx.now_ms());
    match cx.store.update_import_job(&job, Status::InProgress).await {
        Ok(()) => Ok(job),
        Err(StoreError::VersionMismatch) => {
            job.status = Status::Stopped;
            job.completion_message = Some(STOPPED_MESSAGE.to_owned());
            cx.store.update_import_job(&job, Status::Stopping).await?;
            Ok(job)
        }
        Err(e) => Err(e.into()),
    }
}

/// One user: the attributes checked against the schema as AdminCreateUser's are, the
/// pool's required attributes present, and, when the pool verifies email or phone numbers,
/// one of them verified (the user must be able to receive a reset code).
async fn import_row(cx: &Cx, pool: &UserPool, row: &Row) -> Result<(), Error> {
    let changes = validate_writes(pool, &row.attributes, AttributeWrite::Create)?;
    let NewUser { mut user, .. } = new_user(
        cx,
        pool,
        &row.username,
        &changes,
        UserStatusType::ResetRequired,
    )?;
    check_required(pool, &user.attributes)?;
    let auto_verified = auto_verified_attributes(pool);
    if !auto_verified.is_empty()
        && !auto_verified.iter().any(|a| {
            let flag = format!("{}_verified", a.as_str());
            user.attributes.get(&flag).is_some_and(|v| v == "true")
        })
    {
        return Err(Error::invalid_parameter(
            "The user has none of the user pool's auto-verified attributes verified \
             (email_verified or phone_number_verified must be true).",
        ));
    }
    if row.mfa_enabled {
        if !user.attributes.contains_key("phone_number") {
            return Err(Error::invalid_parameter(
                "cognito:mfa_enabled is true but the user has no phone_number.",
            ));
        }
        user.data.enabled_mfas = vec!["SMS_MFA".to_owned()];
    }
    insert_new_user(cx, pool, &user, KeyWrite::AdminCreateUser, false).await
}
