//! GetDevice: one of the signed-in user's confirmed devices.

use monban_wire::idp::{GetDeviceRequest, GetDeviceResponse};

use super::common::{get, token_user};
use crate::error::Error;
use crate::{Caller, Cx};

pub async fn get_device(
    cx: &Cx,
    _caller: Caller,
    req: GetDeviceRequest,
) -> Result<GetDeviceResponse, Error> {
    let access = token_user(cx, req.access_token.as_deref()).await?;
    Ok(GetDeviceResponse {
        device: get(cx, &access.user, &req.device_key).await?,
    })
}
