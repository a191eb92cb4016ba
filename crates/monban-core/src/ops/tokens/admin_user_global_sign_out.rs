//! AdminUserGlobalSignOut: signs a user out everywhere (as GlobalSignOut does), by name.

use monban_wire::idp::{AdminUserGlobalSignOutRequest, AdminUserGlobalSignOutResponse};

use crate::error::Error;
use crate::pool_config::load_pool;
use crate::tokens::revoke_user_sessions;
use crate::users::find_user;
use crate::{Cx, Iam};

pub async fn admin_user_global_sign_out(
    cx: &Cx,
    _iam: &Iam,
    req: AdminUserGlobalSignOutRequest,
) -> Result<AdminUserGlobalSignOutResponse, Error> {
    let pool = load_pool(cx, &req.user_pool_id).await?;
    let user = find_user(cx, &pool, &req.username).await?;
    revoke_user_sessions(cx, &pool.id, &user.sub).await?;
    Ok(AdminUserGlobalSignOutResponse {})
}
