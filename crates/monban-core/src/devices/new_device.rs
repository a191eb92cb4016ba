//! The device a sign-in hands out when the pool tracks devices and the client named no
//! confirmed device: stored unconfirmed, returned as `NewDeviceMetadata`.

use std::collections::BTreeMap;

use monban_wire::idp::{DeviceRememberedStatusType, NewDeviceMetadataType};

use crate::entities::{Device, User, UserPool};
use crate::error::Error;
use crate::ids::{new_device_group_key, new_device_key};
use crate::store::StoreError;
use crate::Cx;

/// Unconfirmed devices kept per user: a client that ignores `NewDeviceMetadata` gets a new
/// device at every sign-in, and only the latest few can still be confirmed.
const UNCONFIRMED_KEPT: usize = 10;

/// Stores a new device of `user`. Its key is `{region}_{uuid}` with the pool's region; its
/// group key is the one the user's devices already share, or a new one.
pub async fn new_device(cx: &Cx, pool: &UserPool, user: &User) -> Result<Device, Error> {
    let device_group_key = match cx.store.get_device_group_key(&pool.id, &user.sub).await? {
        Some(key) => key,
        None => new_device_group_key(cx.rng.as_ref()),
    };
    let region = pool
        .id
        .split_once('_')
        .map_or(cx.settings.region.as_str(), |(region, _)| region);
    let now = cx.now_ms();
    let device = Device {
        pool_id: pool.id.clone(),
        sub: user.sub.clone(),
        device_key: new_device_key(cx.rng.as_ref(), region),
        device_group_key,
        verifier: None,
        name: None,
        attributes: BTreeMap::new(),
        status: DeviceRememberedStatusType::NotRemembered,
        created_ms: now,
        modified_ms: now,
        last_authenticated_ms: now,
    };
    match cx.store.insert_device(&device, UNCONFIRMED_KEPT).await {
        Ok(()) => Ok(device),
        // Deleted while signing in.
        Err(StoreError::NotFound) => Err(Error::user_not_found()),
        Err(e) => Err(e.into()),
    }
}

/// `AuthenticationResult.NewDeviceMetadata` for `device`.
pub fn new_device_metadata(device: &Device) -> NewDeviceMetadataType {
    NewDeviceMetadataType {
        device_group_key: Some(device.device_group_key.clone()),
        device_key: Some(device.device_key.clone()),
    }
}
