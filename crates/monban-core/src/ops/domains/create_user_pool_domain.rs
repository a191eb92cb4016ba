//! CreateUserPoolDomain: a prefix domain, or a custom domain when `CustomDomainConfig`
//! is given. monban serves the hosted UI itself, so there is no CloudFront distribution:
//! the domain is active at once and `CloudFrontDomain` is absent (deviation).

use monban_wire::idp::{CreateUserPoolDomainRequest, CreateUserPoolDomainResponse};

use crate::error::Error;
use crate::oauth::UserPoolDomain;
use crate::pool_config::load_pool;
use crate::store::StoreError;
use crate::{Cx, Iam};

pub async fn create_user_pool_domain(
    cx: &Cx,
    _iam: &Iam,
    req: CreateUserPoolDomainRequest,
) -> Result<CreateUserPoolDomainResponse, Error> {
    let pool = load_pool(cx, &req.user_pool_id).await?;
    let now = cx.now_ms();
    let managed_login_version = Some(req.managed_login_version.unwrap_or(1));
    if !matches!(managed_login_version, Some(1 | 2)) {
        return Err(Error::invalid_parameter(
            "ManagedLoginVersion must be 1 or 2.",
        ));
    }
    let domain = UserPoolDomain {
        domain: req.domain,
        pool_id: pool.id.clone(),
        custom_domain_config: req.custom_domain_config,
        managed_login_version,
        created_ms: now,
        modified_ms: now,
    };
    match cx.store.insert_domain(&domain).await {
        Ok(()) => Ok(CreateUserPoolDomainResponse {
            cloud_front_domain: None,
            managed_login_version,
            routing: None,
        }),
        Err(StoreError::Conflict { key }) if key.starts_with("domain:") => Err(
            Error::invalid_parameter("Domain already associated with another user pool."),
        ),
        Err(StoreError::Conflict { .. }) => Err(Error::invalid_parameter(
            "User pool already has a domain configured.",
        )),
        Err(StoreError::NotFound) => Err(Error::pool_not_found(&pool.id)),
        Err(e) => Err(e.into()),
    }
}
