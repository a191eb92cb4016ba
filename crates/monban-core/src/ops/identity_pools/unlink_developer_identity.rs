//! UnlinkDeveloperIdentity: a developer user identifier leaves its identity (and makes a new
//! identity when seen again); an identity left without logins is disabled.

use monban_wire::identity::UnlinkDeveloperIdentityInput;
use monban_wire::Empty;

use super::get_open_id_token_for_developer_identity::unsupported_developer_provider;
use crate::entities::IdentityLogin;
use crate::error::{Error, ErrorKind};
use crate::identity_pools::{identity_not_found, load_identity_of_pool, load_identity_pool};
use crate::store::StoreError;
use crate::{Cx, Iam};

pub async fn unlink_developer_identity(
    cx: &Cx,
    _iam: &Iam,
    req: UnlinkDeveloperIdentityInput,
) -> Result<Empty, Error> {
    let pool = load_identity_pool(cx, &req.identity_pool_id).await?;
    if pool.config.developer_provider_name.as_deref() != Some(req.developer_provider_name.as_str())
    {
        return Err(unsupported_developer_provider());
    }
    let identity = load_identity_of_pool(cx, &pool.id, &req.identity_id).await?;
    let login = IdentityLogin::new(&req.developer_provider_name, &req.developer_user_identifier);
    if !identity.logins.contains(&login) {
        return Err(Error::new(
            ErrorKind::ResourceConflictException,
            "The DeveloperUserIdentifier is not linked to this identity.",
        ));
    }
    match cx
        .store
        .unlink_identity_logins(&identity.identity_id, &[login], cx.now_ms())
        .await
    {
        Ok(_) => Ok(Empty {}),
        Err(StoreError::NotFound) => Err(identity_not_found(&identity.identity_id)),
        Err(e) => Err(e.into()),
    }
}
