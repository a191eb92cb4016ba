//! The pool's hosted-UI domains: one prefix domain and one custom domain at most.

mod create_user_pool_domain;
mod delete_user_pool_domain;
mod describe_user_pool_domain;
mod update_user_pool_domain;

pub use create_user_pool_domain::create_user_pool_domain;
pub use delete_user_pool_domain::delete_user_pool_domain;
pub use describe_user_pool_domain::describe_user_pool_domain;
pub use update_user_pool_domain::update_user_pool_domain;

use crate::error::Error;
use crate::oauth::UserPoolDomain;
use crate::Cx;

/// The pool's domain `domain`, or `InvalidParameterException` as Cognito words it.
async fn pool_domain(cx: &Cx, pool_id: &str, domain: &str) -> Result<UserPoolDomain, Error> {
    match cx.store.get_domain(domain).await? {
        Some(d) if d.pool_id == pool_id => Ok(d),
        _ => Err(Error::invalid_parameter(format!(
            "Domain {domain} does not exist in user pool {pool_id}."
        ))),
    }
}
