//! GlobalSignOut: the caller (by access token) signs out everywhere: every refresh token
//! of the user stops working and every access token is refused from now on.

use monban_wire::idp::{GlobalSignOutRequest, GlobalSignOutResponse};

use crate::error::Error;
use crate::tokens::{authenticate_access_token, revoke_user_sessions};
use crate::{Caller, Cx};

pub async fn global_sign_out(
    cx: &Cx,
    _caller: Caller,
    req: GlobalSignOutRequest,
) -> Result<GlobalSignOutResponse, Error> {
    let access = authenticate_access_token(cx, &req.access_token).await?;
    revoke_user_sessions(cx, &access.pool.id, &access.user.sub).await?;
    Ok(GlobalSignOutResponse {})
}
