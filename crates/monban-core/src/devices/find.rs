//! A user's device, by the key a client names.

use crate::entities::Device;
use crate::error::Error;
use crate::Cx;

/// `ResourceNotFoundException: Device does not exist.` amazon-cognito-identity-js looks
/// for "device" in this message to drop a forgotten DEVICE_KEY and sign in again without
/// it (srp.md §5).
pub fn device_not_found() -> Error {
    Error::resource_not_found("Device does not exist.")
}

/// The user's device `device_key`, if ConfirmDevice has confirmed it; a device only handed
/// out at sign-in does not exist yet for the device operations and DEVICE_SRP_AUTH.
pub async fn confirmed_device(
    cx: &Cx,
    pool_id: &str,
    sub: &str,
    device_key: &str,
) -> Result<Device, Error> {
    match cx.store.get_device(pool_id, sub, device_key).await? {
        Some(device) if device.is_confirmed() => Ok(device),
        _ => Err(device_not_found()),
    }
}
