//! What the device operations share, self-service and admin alike: the user they act on,
//! and reading, listing, (un)remembering and forgetting one of its confirmed devices.

use monban_wire::idp::{DeviceRememberedStatusType, DeviceType};

use crate::devices::{confirmed_device, device_not_found, device_type};
use crate::entities::{User, UserPool};
use crate::error::Error;
use crate::paging::{decode_token, page_size, split_page};
use crate::pool_config::load_pool;
use crate::store::StoreError;
use crate::tokens::{authenticate_access_token, AccessContext};
use crate::users::find_user;
use crate::Cx;

/// Cognito's page limit for ListDevices and AdminListDevices (and the default).
const MAX_PAGE: usize = 60;

/// The signed-in user of an access token. GetDevice and ForgetDevice model the token as
/// optional; without one the request is refused as with a bad one.
pub(super) async fn token_user(cx: &Cx, token: Option<&str>) -> Result<AccessContext, Error> {
    authenticate_access_token(cx, token.unwrap_or_default()).await
}

/// The pool and user of an admin request.
pub(super) async fn admin_user(
    cx: &Cx,
    pool_id: &str,
    username: &str,
) -> Result<(UserPool, User), Error> {
    let pool = load_pool(cx, pool_id).await?;
    let user = find_user(cx, &pool, username).await?;
    Ok((pool, user))
}

pub(super) async fn get(cx: &Cx, user: &User, device_key: &str) -> Result<DeviceType, Error> {
    let device = confirmed_device(cx, &user.pool_id, &user.sub, device_key).await?;
    Ok(device_type(&device))
}

/// A page of the user's devices, ordered by key, and the token of the next page.
pub(super) async fn list(
    cx: &Cx,
    user: &User,
    limit: Option<i32>,
    pagination_token: Option<&str>,
) -> Result<(Vec<DeviceType>, Option<String>), Error> {
    let limit = page_size(limit, MAX_PAGE).min(MAX_PAGE);
    let after = decode_token(pagination_token)?;
    let devices = cx
        .store
        .list_devices(&user.pool_id, &user.sub, after.as_deref(), limit + 1)
        .await?;
    let (devices, token) = split_page(devices, limit, |d| &d.device_key);
    Ok((devices.iter().map(device_type).collect(), token))
}

/// Sets the device's remembered status; without a status, only checks the device exists.
pub(super) async fn update_status(
    cx: &Cx,
    user: &User,
    device_key: &str,
    status: Option<DeviceRememberedStatusType>,
) -> Result<(), Error> {
    let device = confirmed_device(cx, &user.pool_id, &user.sub, device_key).await?;
    let Some(status) = status else {
        return Ok(());
    };
    cx.store
        .set_device_status(
            &user.pool_id,
            &user.sub,
            &device.device_key,
            status,
            cx.now_ms(),
        )
        .await
        .map_err(not_found_is_device)
}

/// Forgets the device: it can no longer sign in as itself, and its key is unknown.
pub(super) async fn forget(cx: &Cx, user: &User, device_key: &str) -> Result<(), Error> {
    let device = confirmed_device(cx, &user.pool_id, &user.sub, device_key).await?;
    cx.store
        .delete_device(&user.pool_id, &user.sub, &device.device_key)
        .await
        .map_err(not_found_is_device)
}

/// A device gone between the read and the write (forgotten concurrently).
pub(super) fn not_found_is_device(e: StoreError) -> Error {
    match e {
        StoreError::NotFound => device_not_found(),
        e => e.into(),
    }
}
