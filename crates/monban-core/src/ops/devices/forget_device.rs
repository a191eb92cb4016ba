//! ForgetDevice: the signed-in user forgets one of its devices; the key no longer signs in
//! (DEVICE_SRP_AUTH answers `ResourceNotFoundException`).

use monban_wire::idp::ForgetDeviceRequest;
use monban_wire::Empty;

use super::common::{forget, token_user};
use crate::error::Error;
use crate::{Caller, Cx};

pub async fn forget_device(
    cx: &Cx,
    _caller: Caller,
    req: ForgetDeviceRequest,
) -> Result<Empty, Error> {
    let access = token_user(cx, req.access_token.as_deref()).await?;
    forget(cx, &access.user, &req.device_key).await?;
    Ok(Empty {})
}
