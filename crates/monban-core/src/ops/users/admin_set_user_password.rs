//! AdminSetUserPassword: a permanent password (status CONFIRMED) or a temporary one
//! (FORCE_CHANGE_PASSWORD), checked against the pool's password policy. Deviation:
//! `PasswordHistorySize` is not enforced yet.

use monban_wire::idp::{AdminSetUserPasswordRequest, AdminSetUserPasswordResponse, UserStatusType};

use crate::error::Error;
use crate::password::check_policy;
use crate::pool_config::{load_pool, password_policy};
use crate::users::{find_user, modify_user, Credentials, KeyWrite, Target};
use crate::{Cx, Iam};

pub async fn admin_set_user_password(
    cx: &Cx,
    _iam: &Iam,
    req: AdminSetUserPasswordRequest,
) -> Result<AdminSetUserPasswordResponse, Error> {
    let pool = load_pool(cx, &req.user_pool_id).await?;
    check_policy(Some(&password_policy(&pool)), &req.password)?;
    let user = find_user(cx, &pool, &req.username).await?;
    let credentials = Credentials::derive(cx, &pool, &user.username, &req.password).await?;
    let status = if req.permanent.unwrap_or(false) {
        UserStatusType::Confirmed
    } else {
        UserStatusType::ForceChangePassword
    };
    let now = cx.now_ms();
    modify_user(
        cx,
        &pool,
        Target::Sub(&user.sub),
        KeyWrite::Update,
        |user| credentials.apply(user, status, now),
    )
    .await?;
    Ok(AdminSetUserPasswordResponse {})
}
