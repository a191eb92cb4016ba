//! DescribeUserPoolDomain: an unknown domain is an empty `DomainDescription` (`{}`), as
//! Cognito answers, not an error.

use monban_wire::idp::{
    DescribeUserPoolDomainRequest, DescribeUserPoolDomainResponse, DomainDescriptionType,
    DomainStatusType,
};

use crate::error::Error;
use crate::{Cx, Iam};

pub async fn describe_user_pool_domain(
    cx: &Cx,
    _iam: &Iam,
    req: DescribeUserPoolDomainRequest,
) -> Result<DescribeUserPoolDomainResponse, Error> {
    let description = match cx.store.get_domain(&req.domain).await? {
        Some(d) => DomainDescriptionType {
            aws_account_id: Some(cx.settings.account_id.clone()),
            custom_domain_config: d.custom_domain_config,
            domain: Some(d.domain),
            managed_login_version: d.managed_login_version,
            status: Some(DomainStatusType::Active),
            user_pool_id: Some(d.pool_id),
            version: Some(d.modified_ms.to_string()),
            ..Default::default()
        },
        None => DomainDescriptionType::default(),
    };
    Ok(DescribeUserPoolDomainResponse {
        domain_description: Some(description),
    })
}
