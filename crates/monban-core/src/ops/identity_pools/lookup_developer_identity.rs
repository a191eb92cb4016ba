//! LookupDeveloperIdentity: the identity of a developer user identifier, or the developer
//! user identifiers of an identity (paged by `MaxResults`, 60 by default); given both,
//! whether they belong together (`ResourceConflictException` if not).

use monban_wire::identity::{LookupDeveloperIdentityInput, LookupDeveloperIdentityResponse};

use crate::error::{Error, ErrorKind};
use crate::identity_pools::{load_identity_of_pool, load_identity_pool};
use crate::paging::{decode_token, page_size, split_page};
use crate::{Cx, Iam};

const DEFAULT_PAGE: usize = 60;

pub async fn lookup_developer_identity(
    cx: &Cx,
    _iam: &Iam,
    req: LookupDeveloperIdentityInput,
) -> Result<LookupDeveloperIdentityResponse, Error> {
    let pool = load_identity_pool(cx, &req.identity_pool_id).await?;
    let developer = pool
        .config
        .developer_provider_name
        .clone()
        .unwrap_or_default();
    let identity = match (&req.developer_user_identifier, &req.identity_id) {
        (None, None) => {
            return Err(Error::invalid_parameter(
                "Either IdentityId or DeveloperUserIdentifier must be provided.",
            ))
        }
        (Some(user), identity_id) => {
            let owner = cx
                .store
                .find_identity_by_login(&pool.id, &developer, user)
                .await?
                .ok_or_else(|| {
                    Error::resource_not_found(format!(
                        "DeveloperUserIdentifier '{user}' not found."
                    ))
                })?;
            if identity_id
                .as_ref()
                .is_some_and(|id| *id != owner.identity_id)
            {
                return Err(Error::new(
                    ErrorKind::ResourceConflictException,
                    "The DeveloperUserIdentifier is not linked to that IdentityId.",
                ));
            }
            owner
        }
        (None, Some(identity_id)) => load_identity_of_pool(cx, &pool.id, identity_id).await?,
    };
    let users: Vec<String> = identity
        .logins
        .into_iter()
        .filter(|l| l.provider == developer)
        .map(|l| l.subject)
        .collect();
    let after = decode_token(req.next_token.as_deref())?;
    let users: Vec<String> = users
        .into_iter()
        .filter(|u| after.as_ref().is_none_or(|after| u > after))
        .collect();
    let (users, next_token) = split_page(
        users,
        page_size(req.max_results, DEFAULT_PAGE),
        String::as_str,
    );
    Ok(LookupDeveloperIdentityResponse {
        identity_id: Some(identity.identity_id),
        developer_user_identifier_list: Some(users),
        next_token,
    })
}
