//! GetId: the identity of the logins given (made on first sight; logins given together are
//! linked into one identity), or a new guest identity when there are none and the pool
//! allows them. Public: the logins are the proof. `AccountId` is not checked.

use monban_wire::identity::{GetIdInput, GetIdResponse};

use crate::entities::IdentityLogin;
use crate::error::Error;
use crate::identity_pools::{
    identity_for_logins, load_identity_pool, new_identity, unauthenticated_not_supported,
    verify_logins, Proof,
};
use crate::{Caller, Cx};

pub async fn get_id(cx: &Cx, _caller: Caller, req: GetIdInput) -> Result<GetIdResponse, Error> {
    let pool = load_identity_pool(cx, &req.identity_pool_id).await?;
    let logins = req.logins.unwrap_or_default();
    let identity = match verify_logins(cx, &pool, &logins, false).await? {
        Proof::Logins(verified) => {
            let logins: Vec<IdentityLogin> = verified.into_iter().map(|v| v.login).collect();
            identity_for_logins(cx, &pool, &logins).await?
        }
        // An OpenID token is refused by verify_logins here; count it as no login.
        Proof::Nothing | Proof::OpenIdToken { .. } => {
            if !pool.config.allow_unauthenticated_identities {
                return Err(unauthenticated_not_supported());
            }
            let guest = new_identity(cx, &pool, &[]);
            cx.store.insert_identity(&guest).await?;
            guest
        }
    };
    Ok(GetIdResponse {
        identity_id: Some(identity.identity_id),
    })
}
