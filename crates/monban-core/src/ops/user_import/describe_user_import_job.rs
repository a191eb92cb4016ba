//! DescribeUserImportJob. Deviation: no `PreSignedUrl` (only CreateUserImportJob's answer
//! holds the URL's token, which monban does not keep).

use monban_wire::idp::{DescribeUserImportJobRequest, DescribeUserImportJobResponse};

use super::load_job;
use crate::error::Error;
use crate::pool_config::load_pool;
use crate::{Cx, Iam};

pub async fn describe_user_import_job(
    cx: &Cx,
    _iam: &Iam,
    req: DescribeUserImportJobRequest,
) -> Result<DescribeUserImportJobResponse, Error> {
    let pool = load_pool(cx, &req.user_pool_id).await?;
    let job = load_job(cx, &pool, &req.job_id).await?;
    Ok(DescribeUserImportJobResponse {
        user_import_job: Some(job.to_wire(None)),
    })
}
