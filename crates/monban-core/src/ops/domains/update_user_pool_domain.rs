//! UpdateUserPoolDomain: changes the certificate of a custom domain or the managed login
//! version of either kind.

use monban_wire::idp::{UpdateUserPoolDomainRequest, UpdateUserPoolDomainResponse};

use super::pool_domain;
use crate::error::Error;
use crate::pool_config::load_pool;
use crate::{Cx, Iam};

pub async fn update_user_pool_domain(
    cx: &Cx,
    _iam: &Iam,
    req: UpdateUserPoolDomainRequest,
) -> Result<UpdateUserPoolDomainResponse, Error> {
    let pool = load_pool(cx, &req.user_pool_id).await?;
    let mut domain = pool_domain(cx, &pool.id, &req.domain).await?;
    if let Some(config) = req.custom_domain_config {
        if !domain.is_custom() {
            return Err(Error::invalid_parameter(
                "CustomDomainConfig can only be set on a custom domain.",
            ));
        }
        domain.custom_domain_config = Some(config);
    }
    if let Some(version) = req.managed_login_version {
        if !matches!(version, 1 | 2) {
            return Err(Error::invalid_parameter(
                "ManagedLoginVersion must be 1 or 2.",
            ));
        }
        domain.managed_login_version = Some(version);
    }
    domain.modified_ms = cx.now_ms();
    cx.store.update_domain(&domain).await?;
    Ok(UpdateUserPoolDomainResponse {
        cloud_front_domain: None,
        managed_login_version: domain.managed_login_version,
        routing: None,
    })
}
