//! DeleteUserPoolDomain.

use monban_wire::idp::{DeleteUserPoolDomainRequest, DeleteUserPoolDomainResponse};

use super::pool_domain;
use crate::error::Error;
use crate::pool_config::load_pool;
use crate::{Cx, Iam};

pub async fn delete_user_pool_domain(
    cx: &Cx,
    _iam: &Iam,
    req: DeleteUserPoolDomainRequest,
) -> Result<DeleteUserPoolDomainResponse, Error> {
    let pool = load_pool(cx, &req.user_pool_id).await?;
    let domain = pool_domain(cx, &pool.id, &req.domain).await?;
    cx.store.delete_domain(&pool.id, &domain.domain).await?;
    Ok(DeleteUserPoolDomainResponse {})
}
