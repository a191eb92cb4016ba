//! ConfirmDevice: the signed-in user registers the device a sign-in handed out in
//! `NewDeviceMetadata`, with the SRP verifier of a secret the client chose (srp.md §5).
//! The device is remembered at once, or — with `DeviceOnlyRememberedOnUserPrompt` — left
//! `not_remembered` with `UserConfirmationNecessary` until UpdateDeviceStatus.
//! Deviation: a `DeviceSecretVerifierConfig` is required (the model makes it optional,
//! but without one the device could never prove itself).

use monban_wire::idp::{ConfirmDeviceRequest, ConfirmDeviceResponse, DeviceRememberedStatusType};

use super::common::not_found_is_device;
use crate::auth::srp::Verifier;
use crate::devices::{device_not_found, tracking};
use crate::entities::{Device, SrpCredential};
use crate::error::{Error, ErrorKind};
use crate::store::StoreError;
use crate::tokens::authenticate_access_token;
use crate::{Caller, Cx};

pub async fn confirm_device(
    cx: &Cx,
    _caller: Caller,
    req: ConfirmDeviceRequest,
) -> Result<ConfirmDeviceResponse, Error> {
    let access = authenticate_access_token(cx, &req.access_token).await?;
    let verifier = device_verifier(&req)?;
    let device = cx
        .store
        .get_device(&access.pool.id, &access.user.sub, &req.device_key)
        .await?
        .ok_or_else(device_not_found)?;
    if device.is_confirmed() {
        return Err(already_confirmed());
    }
    // A pool that stopped tracking devices since the sign-in: remembered, as by default.
    let status = tracking(&access.pool)
        .unwrap_or_default()
        .confirmed_status();
    let confirmed = Device {
        verifier: Some(SrpCredential {
            salt: verifier.salt_hex().to_owned(),
            verifier: verifier.verifier_hex(),
        }),
        name: req.device_name,
        status,
        modified_ms: cx.now_ms(),
        ..device
    };
    match cx.store.confirm_device(&confirmed).await {
        Ok(()) => {}
        Err(StoreError::Conflict { .. }) => return Err(already_confirmed()),
        Err(e) => return Err(not_found_is_device(e)),
    }
    Ok(ConfirmDeviceResponse {
        user_confirmation_necessary: Some(status == DeviceRememberedStatusType::NotRemembered),
    })
}

/// The verifier of `DeviceSecretVerifierConfig {PasswordVerifier, Salt}` (both base64).
fn device_verifier(req: &ConfirmDeviceRequest) -> Result<Verifier, Error> {
    let config = req.device_secret_verifier_config.as_ref();
    let (Some(verifier), Some(salt)) = (
        config.and_then(|c| c.password_verifier.as_deref()),
        config.and_then(|c| c.salt.as_deref()),
    ) else {
        return Err(Error::invalid_parameter(
            "DeviceSecretVerifierConfig with a PasswordVerifier and a Salt is required.",
        ));
    };
    Verifier::from_device_config(salt, verifier).map_err(|_| {
        Error::invalid_parameter(
            "DeviceSecretVerifierConfig must hold a base64 Salt and a base64 PasswordVerifier below the SRP modulus.",
        )
    })
}

fn already_confirmed() -> Error {
    Error::new(
        ErrorKind::DeviceKeyExistsException,
        "Device has already been confirmed.",
    )
}
