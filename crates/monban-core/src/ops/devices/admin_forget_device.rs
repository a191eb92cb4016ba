//! AdminForgetDevice: an administrator forgets one of a user's devices.

use monban_wire::idp::AdminForgetDeviceRequest;
use monban_wire::Empty;

use super::common::{admin_user, forget};
use crate::error::Error;
use crate::{Cx, Iam};

pub async fn admin_forget_device(
    cx: &Cx,
    _iam: &Iam,
    req: AdminForgetDeviceRequest,
) -> Result<Empty, Error> {
    let (_, user) = admin_user(cx, &req.user_pool_id, &req.username).await?;
    forget(cx, &user, &req.device_key).await?;
    Ok(Empty {})
}
