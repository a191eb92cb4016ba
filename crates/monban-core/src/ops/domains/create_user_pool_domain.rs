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
    check_domain_name(&req.domain, req.custom_domain_config.is_some())?;
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

/// A prefix is one DNS label (the model's `DomainType` pattern, checked by the wire
/// layer); a custom domain is a fully-qualified host name of such labels, lower case
/// ("For custom domains, this is the fully-qualified domain name, such as
/// auth.example.com", CreateUserPoolDomain in the API reference). The wire layer lets
/// dotted values through for this check.
fn check_domain_name(domain: &str, custom: bool) -> Result<(), Error> {
    let label_ok = |label: &str| {
        (1..=63).contains(&label.len())
            && label
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    };
    let labels: Vec<&str> = domain.split('.').collect();
    let ok = if custom {
        labels.len() >= 2 && labels.iter().all(|l| label_ok(l))
    } else {
        labels.len() == 1
    };
    if ok {
        Ok(())
    } else if custom {
        Err(Error::invalid_parameter(format!(
            "Domain {domain} is not a valid fully-qualified domain name."
        )))
    } else {
        Err(Error::invalid_parameter(
            "A prefix domain cannot contain dots: use CustomDomainConfig for a custom domain.",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::check_domain_name;

    #[test]
    fn prefixes_are_labels_and_custom_domains_are_host_names() {
        assert!(check_domain_name("my-app", false).is_ok());
        assert!(check_domain_name("auth.example.com", false).is_err());
        assert!(check_domain_name("auth.example.com", true).is_ok());
        assert!(check_domain_name("auth..example.com", true).is_err());
        assert!(check_domain_name("-auth.example.com", true).is_err());
        assert!(check_domain_name("Auth.example.com", true).is_err());
        assert!(check_domain_name("localhost", true).is_err());
    }
}
