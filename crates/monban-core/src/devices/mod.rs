//! Remembered devices (flows.md §10, srp.md §5): whether a pool tracks devices and what a
//! remembered device stands in for, the device a sign-in hands out in `NewDeviceMetadata`,
//! finding a user's device, and its wire form. The sign-in steps (DEVICE_SRP_AUTH) are in
//! `auth::flows::device`, the operations in `ops::devices`.

mod convert;
mod find;
mod new_device;
mod tracking;

pub use convert::device_type;
pub use find::{confirmed_device, device_not_found};
pub use new_device::{new_device, new_device_metadata};
pub use tracking::{tracking, DeviceTracking};
