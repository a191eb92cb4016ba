//! The pre-signed URL of a CSV user import job (CreateUserImportJob's `PreSignedUrl`),
//! served by monban where Cognito hands out an S3 URL:
//! - `PUT /_import/{jobId}?token=…`: stores the file (as S3 would, 200 and no body), while
//!   the job is Created and the URL valid;
//! - `GET` of the same URL: the job's counts and the rows it did not import, as JSON (what
//!   Cognito writes to CloudWatch Logs).
//!
//! The token is the URL's only credential: a wrong or missing one is 403, as S3 answers a
//! bad signature.

use std::sync::Arc;

use axum::body::{to_bytes, Body};
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use monban_core::user_import::{ImportJob, MAX_CSV_BYTES, UPLOAD_PATH};
use monban_wire::idp::UserImportJobStatusType;
use serde::Deserialize;
use serde_json::json;

use crate::app::App;

pub fn path() -> String {
    format!("{UPLOAD_PATH}/{{job_id}}")
}

#[derive(Deserialize)]
pub struct Token {
    token: Option<String>,
}

fn refuse(status: StatusCode, message: &str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain")],
        message.to_owned(),
    )
        .into_response()
}

fn internal(e: impl std::fmt::Debug) -> Response {
    tracing::error!(error = ?e, "user import URL");
    refuse(StatusCode::INTERNAL_SERVER_ERROR, "Internal error")
}

/// The job the URL names, if its token is right.
async fn authorised(app: &App, job_id: &str, token: Option<&str>) -> Result<ImportJob, Response> {
    let denied = || refuse(StatusCode::FORBIDDEN, "Access denied");
    let token = token.ok_or_else(denied)?;
    match app.cx.store.get_import_job(job_id).await {
        Ok(Some(job)) if job.token_matches(token) => Ok(job),
        Ok(_) => Err(denied()),
        Err(e) => Err(internal(e)),
    }
}

pub async fn put(
    State(app): State<Arc<App>>,
    Path(job_id): Path<String>,
    Query(q): Query<Token>,
    body: Body,
) -> Response {
    let job = match authorised(&app, &job_id, q.token.as_deref()).await {
        Ok(job) => job,
        Err(response) => return response,
    };
    if app.cx.now_ms() > job.upload_expires_ms {
        return refuse(StatusCode::FORBIDDEN, "Request has expired");
    }
    if job.status != UserImportJobStatusType::Created {
        return refuse(
            StatusCode::CONFLICT,
            "The import job is no longer waiting for its file",
        );
    }
    let Ok(bytes) = to_bytes(body, MAX_CSV_BYTES).await else {
        return refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            "The file is larger than 100 MB",
        );
    };
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return refuse(StatusCode::BAD_REQUEST, "The file is not UTF-8 text");
    };
    // A byte-order mark from a spreadsheet would glue itself to the first column's name.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match app.cx.store.put_import_file(&job.job_id, text).await {
        Ok(()) => StatusCode::OK.into_response(),
        Err(e) => internal(e),
    }
}

pub async fn get(
    State(app): State<Arc<App>>,
    Path(job_id): Path<String>,
    Query(q): Query<Token>,
) -> Response {
    let job = match authorised(&app, &job_id, q.token.as_deref()).await {
        Ok(job) => job,
        Err(response) => return response,
    };
    let errors = match app.cx.store.list_import_errors(&job.job_id).await {
        Ok(errors) => errors,
        Err(e) => return internal(e),
    };
    let rows: Vec<_> = errors
        .iter()
        .map(|e| {
            json!({
                "Line": e.line,
                "Username": e.username,
                "Outcome": e.outcome,
                "Message": e.message,
            })
        })
        .collect();
    axum::Json(json!({
        "UserImportJob": job.to_wire(None),
        "Errors": rows,
    }))
    .into_response()
}
