//! DescribeResourceServer.

use monban_wire::idp::{DescribeResourceServerRequest, DescribeResourceServerResponse};

use super::{load_resource_server, resource_server_type};
use crate::error::Error;
use crate::pool_config::load_pool;
use crate::{Cx, Iam};

pub async fn describe_resource_server(
    cx: &Cx,
    _iam: &Iam,
    req: DescribeResourceServerRequest,
) -> Result<DescribeResourceServerResponse, Error> {
    let pool = load_pool(cx, &req.user_pool_id).await?;
    let server = load_resource_server(cx, &pool.id, &req.identifier).await?;
    Ok(DescribeResourceServerResponse {
        resource_server: resource_server_type(&server),
    })
}
