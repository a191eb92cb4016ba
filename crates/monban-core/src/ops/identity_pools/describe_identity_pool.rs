//! DescribeIdentityPool: the pool's settings and tags.

use monban_wire::identity::{DescribeIdentityPoolInput, IdentityPool as IdentityPoolConfig};

use crate::error::Error;
use crate::identity_pools::{describe, load_identity_pool};
use crate::{Cx, Iam};

pub async fn describe_identity_pool(
    cx: &Cx,
    _iam: &Iam,
    req: DescribeIdentityPoolInput,
) -> Result<IdentityPoolConfig, Error> {
    let pool = load_identity_pool(cx, &req.identity_pool_id).await?;
    Ok(describe(&pool))
}
