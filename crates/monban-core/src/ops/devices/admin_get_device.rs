//! AdminGetDevice: one of a user's confirmed devices, by username or alias.

use monban_wire::idp::{AdminGetDeviceRequest, AdminGetDeviceResponse};

use super::common::{admin_user, get};
use crate::error::Error;
use crate::{Cx, Iam};

pub async fn admin_get_device(
    cx: &Cx,
    _iam: &Iam,
    req: AdminGetDeviceRequest,
) -> Result<AdminGetDeviceResponse, Error> {
    let (_, user) = admin_user(cx, &req.user_pool_id, &req.username).await?;
    Ok(AdminGetDeviceResponse {
        device: get(cx, &user, &req.device_key).await?,
    })
}
