//! AdminListDevices: a user's confirmed devices, ordered by key, pages of at most 60.

use monban_wire::idp::{AdminListDevicesRequest, AdminListDevicesResponse};

use super::common::{admin_user, list};
use crate::error::Error;
use crate::{Cx, Iam};

pub async fn admin_list_devices(
    cx: &Cx,
    _iam: &Iam,
    req: AdminListDevicesRequest,
) -> Result<AdminListDevicesResponse, Error> {
    let (_, user) = admin_user(cx, &req.user_pool_id, &req.username).await?;
    let (devices, pagination_token) =
        list(cx, &user, req.limit, req.pagination_token.as_deref()).await?;
    Ok(AdminListDevicesResponse {
        devices: Some(devices),
        pagination_token,
    })
}
