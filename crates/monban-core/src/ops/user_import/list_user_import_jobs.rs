//! ListUserImportJobs: the pool's jobs ordered by job id, `MaxResults` 1-60 a page.

use monban_wire::idp::{ListUserImportJobsRequest, ListUserImportJobsResponse};

use crate::error::Error;
use crate::paging::{decode_token, split_page};
use crate::pool_config::load_pool;
use crate::{Cx, Iam};

const MAX_RESULTS: i32 = 60;

pub async fn list_user_import_jobs(
    cx: &Cx,
    _iam: &Iam,
    req: ListUserImportJobsRequest,
) -> Result<ListUserImportJobsResponse, Error> {
    if !(1..=MAX_RESULTS).contains(&req.max_results) {
        return Err(Error::invalid_parameter(format!(
            "1 validation error detected: Value '{}' at 'maxResults' failed to satisfy \
             constraint: Member must have value between 1 and {MAX_RESULTS}",
            req.max_results
        )));
    }
    let pool = load_pool(cx, &req.user_pool_id).await?;
    let limit = usize::try_from(req.max_results).unwrap_or(1);
    let after = decode_token(req.pagination_token.as_deref())?;
    let jobs = cx
        .store
        .list_import_jobs(&pool.id, after.as_deref(), limit + 1)
        .await?;
    let (jobs, pagination_token) = split_page(jobs, limit, |j| j.job_id.as_str());
    Ok(ListUserImportJobsResponse {
        pagination_token,
        user_import_jobs: Some(jobs.iter().map(|j| j.to_wire(None)).collect()),
    })
}
