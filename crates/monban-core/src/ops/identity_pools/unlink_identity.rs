//! UnlinkIdentity: removes the logins of the providers named in `LoginsToRemove` from an
//! identity, which must be proven with its `Logins`. Removing the last login disables the
//! identity. Developer provider users are unlinked with UnlinkDeveloperIdentity instead.

use monban_wire::identity::UnlinkIdentityInput;
use monban_wire::Empty;

use crate::entities::IdentityLogin;
use crate::error::Error;
use crate::identity_pools::{authenticate_identity, identity_not_found};
use crate::store::StoreError;
use crate::{Caller, Cx};

pub async fn unlink_identity(
    cx: &Cx,
    _caller: Caller,
    req: UnlinkIdentityInput,
) -> Result<Empty, Error> {
    let authenticated =
        authenticate_identity(cx, &req.identity_id, &req.logins, |_, _| Ok(())).await?;
    let developer = authenticated.pool.config.developer_provider_name.as_deref();
    if let Some(developer) = developer.filter(|d| req.logins_to_remove.iter().any(|r| r == d)) {
        return Err(Error::invalid_parameter(format!(
            "Users of the developer provider {developer} are unlinked with UnlinkDeveloperIdentity."
        )));
    }
    let identity = &authenticated.identity;
    let removed: Vec<IdentityLogin> = identity
        .logins
        .iter()
        .filter(|l| req.logins_to_remove.contains(&l.provider))
        .cloned()
        .collect();
    if removed.is_empty() {
        return Ok(Empty {});
    }
    match cx
        .store
        .unlink_identity_logins(&identity.identity_id, &removed, cx.now_ms())
        .await
    {
        Ok(_) => Ok(Empty {}),
        Err(StoreError::NotFound) => Err(identity_not_found(&identity.identity_id)),
        Err(e) => Err(e.into()),
    }
}
