use std::collections::BTreeMap;

use monban_wire::idp::DeviceRememberedStatusType;

use super::SrpCredential;

/// A device a user signed in from, in a pool that tracks devices. A sign-in creates it
/// (unconfirmed) when it hands out the key in `NewDeviceMetadata`; ConfirmDevice stores the
/// device's SRP verifier, after which the device can prove itself at sign-in
/// (DEVICE_SRP_AUTH) and, once remembered, stand in for MFA.
#[derive(Clone, PartialEq, Eq)]
pub struct Device {
    pub pool_id: String,
    /// The user it belongs to.
    pub sub: String,
    /// `{region}_{uuid}`, unique in the pool.
    pub device_key: String,
    /// `-` + 8 alphanumerics; one per user, shared by its devices.
    pub device_group_key: String,
    /// Set by ConfirmDevice: the salt (hex, as the client made it) and verifier (hex of
    /// PAD(v)) of the device's secret. `None` while unconfirmed.
    pub verifier: Option<SrpCredential>,
    /// `DeviceName` from ConfirmDevice.
    pub name: Option<String>,
    /// Further `DeviceAttributes` reported as they are (name → value).
    pub attributes: BTreeMap<String, String>,
    pub status: DeviceRememberedStatusType,
    pub created_ms: i64,
    pub modified_ms: i64,
    /// The last sign-in the device took part in (the one that created it, at first).
    pub last_authenticated_ms: i64,
}

impl Device {
    pub fn is_confirmed(&self) -> bool {
        self.verifier.is_some()
    }
}

impl std::fmt::Debug for Device {
    // No verifier: it is password-equivalent for offline guessing.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Device")
            .field("pool_id", &self.pool_id)
            .field("sub", &self.sub)
            .field("device_key", &self.device_key)
            .field("device_group_key", &self.device_group_key)
            .field("confirmed", &self.is_confirmed())
            .field("name", &self.name)
            .field("status", &self.status)
            .field("created_ms", &self.created_ms)
            .field("modified_ms", &self.modified_ms)
            .field("last_authenticated_ms", &self.last_authenticated_ms)
            .finish()
    }
}
