//! AdminDeleteSoftwareToken: forgets a user's TOTP authenticator (verified or pending) and
//! turns TOTP MFA off for the user, who can then associate a new one.

use monban_wire::idp::{AdminDeleteSoftwareTokenRequest, AdminDeleteSoftwareTokenResponse};

use crate::error::Error;
use crate::mfa::delete_software_token;
use crate::pool_config::load_pool;
use crate::{Cx, Iam};

pub async fn admin_delete_software_token(
    cx: &Cx,
    _iam: &Iam,
    req: AdminDeleteSoftwareTokenRequest,
) -> Result<AdminDeleteSoftwareTokenResponse, Error> {
    let pool = load_pool(cx, &req.user_pool_id).await?;
    delete_software_token(cx, &pool, &req.username).await?;
    Ok(AdminDeleteSoftwareTokenResponse {})
}
