//! DescribeUserPool: the stored settings with id, name, ARN, dates and user count.

use monban_wire::idp::{DescribeUserPoolRequest, DescribeUserPoolResponse};

use crate::error::Error;
use crate::pool_config::{load_pool, user_pool_type};
use crate::{Cx, Iam};

pub async fn describe_user_pool(
    cx: &Cx,
    _iam: &Iam,
    req: DescribeUserPoolRequest,
) -> Result<DescribeUserPoolResponse, Error> {
    let pool = load_pool(cx, &req.user_pool_id).await?;
    Ok(DescribeUserPoolResponse {
        user_pool: Some(user_pool_type(cx, &pool).await?),
    })
}
