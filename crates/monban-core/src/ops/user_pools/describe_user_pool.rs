//! DescribeUserPool: the stored settings with id, name, ARN, dates and user count, and
//! the pool's domains.

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
    let mut user_pool = user_pool_type(cx, &pool).await?;
    for domain in cx.store.list_pool_domains(&pool.id).await? {
        if domain.is_custom() {
            user_pool.custom_domain = Some(domain.domain);
        } else {
            user_pool.domain = Some(domain.domain);
        }
    }
    Ok(DescribeUserPoolResponse {
        user_pool: Some(user_pool),
    })
}
