//! MergeDeveloperIdentities: the source developer user joins the destination user's
//! identity; the source's identity (if it had one) is merged into it, all its logins with
//! it. Two users of the same public provider cannot end up on one identity
//! (`ResourceConflictException`), nor more than 20 logins.

use monban_wire::identity::{MergeDeveloperIdentitiesInput, MergeDeveloperIdentitiesResponse};

use super::get_open_id_token_for_developer_identity::unsupported_developer_provider;
use crate::entities::IdentityLogin;
use crate::error::Error;
use crate::identity_pools::{link_to_identity, load_identity_pool, Authority};
use crate::{Cx, Iam};

pub async fn merge_developer_identities(
    cx: &Cx,
    _iam: &Iam,
    req: MergeDeveloperIdentitiesInput,
) -> Result<MergeDeveloperIdentitiesResponse, Error> {
    let pool = load_identity_pool(cx, &req.identity_pool_id).await?;
    if pool.config.developer_provider_name.as_deref() != Some(req.developer_provider_name.as_str())
    {
        return Err(unsupported_developer_provider());
    }
    let destination = cx
        .store
        .find_identity_by_login(
            &pool.id,
            &req.developer_provider_name,
            &req.destination_user_identifier,
        )
        .await?
        .ok_or_else(|| {
            Error::resource_not_found(format!(
                "DeveloperUserIdentifier '{}' not found.",
                req.destination_user_identifier
            ))
        })?;
    let source = IdentityLogin::new(&req.developer_provider_name, &req.source_user_identifier);
    let merged = link_to_identity(cx, &pool, &destination, &[source], Authority::Trusted).await?;
    Ok(MergeDeveloperIdentitiesResponse {
        identity_id: Some(merged.identity_id),
    })
}
