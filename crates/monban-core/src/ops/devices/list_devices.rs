//! ListDevices: the signed-in user's confirmed devices, ordered by key, pages of at most 60.

use monban_wire::idp::{ListDevicesRequest, ListDevicesResponse};

use super::common::{list, token_user};
use crate::error::Error;
use crate::{Caller, Cx};

pub async fn list_devices(
    cx: &Cx,
    _caller: Caller,
    req: ListDevicesRequest,
) -> Result<ListDevicesResponse, Error> {
    let access = token_user(cx, Some(&req.access_token)).await?;
    let (devices, pagination_token) =
        list(cx, &access.user, req.limit, req.pagination_token.as_deref()).await?;
    Ok(ListDevicesResponse {
        devices: Some(devices),
        pagination_token,
    })
}
