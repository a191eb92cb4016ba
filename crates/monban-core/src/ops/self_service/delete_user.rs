//! DeleteUser: the signed-in user deletes itself: every token family it has is revoked
//! (refresh tokens stop working, access tokens are refused), then the user goes with its
//! login keys and group memberships; its username and aliases are free again.

use monban_wire::idp::DeleteUserRequest;
use monban_wire::Empty;

use crate::error::Error;
use crate::store::StoreError;
use crate::tokens::{authenticate_access_token, revoke_user_sessions};
use crate::{Caller, Cx};

pub async fn delete_user(cx: &Cx, _caller: Caller, req: DeleteUserRequest) -> Result<Empty, Error> {
    let access = authenticate_access_token(cx, &req.access_token).await?;
    let (pool_id, sub) = (&access.pool.id, &access.user.sub);
    revoke_user_sessions(cx, pool_id, sub).await?;
    match cx.store.delete_user(pool_id, sub).await {
        Ok(()) => Ok(Empty {}),
        Err(StoreError::NotFound) => Err(Error::user_not_found()),
        Err(e) => Err(e.into()),
    }
}
