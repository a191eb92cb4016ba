//! AdminUpdateDeviceStatus: an administrator marks a user's device `remembered` or
//! `not_remembered`. Without a status nothing changes.

use monban_wire::idp::{AdminUpdateDeviceStatusRequest, AdminUpdateDeviceStatusResponse};

use super::common::{admin_user, update_status};
use crate::error::Error;
use crate::{Cx, Iam};

pub async fn admin_update_device_status(
    cx: &Cx,
    _iam: &Iam,
    req: AdminUpdateDeviceStatusRequest,
) -> Result<AdminUpdateDeviceStatusResponse, Error> {
    let (_, user) = admin_user(cx, &req.user_pool_id, &req.username).await?;
    update_status(cx, &user, &req.device_key, req.device_remembered_status).await?;
    Ok(AdminUpdateDeviceStatusResponse {})
}
