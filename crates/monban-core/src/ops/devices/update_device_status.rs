//! UpdateDeviceStatus: the signed-in user marks a device `remembered` (it then skips MFA
//! where the pool allows) or `not_remembered`. Without a status nothing changes.

use monban_wire::idp::{UpdateDeviceStatusRequest, UpdateDeviceStatusResponse};

use super::common::{token_user, update_status};
use crate::error::Error;
use crate::{Caller, Cx};

pub async fn update_device_status(
    cx: &Cx,
    _caller: Caller,
    req: UpdateDeviceStatusRequest,
) -> Result<UpdateDeviceStatusResponse, Error> {
    let access = token_user(cx, Some(&req.access_token)).await?;
    update_status(
        cx,
        &access.user,
        &req.device_key,
        req.device_remembered_status,
    )
    .await?;
    Ok(UpdateDeviceStatusResponse {})
}
