//! Remembered devices: ConfirmDevice after a sign-in handed out a device, and reading,
//! (un)remembering and forgetting a user's devices — with the user's access token, or as
//! an administrator (the `Admin*` variants).

mod admin_forget_device;
mod admin_get_device;
mod admin_list_devices;
mod admin_update_device_status;
mod common;
mod confirm_device;
mod forget_device;
mod get_device;
mod list_devices;
mod update_device_status;

pub use admin_forget_device::admin_forget_device;
pub use admin_get_device::admin_get_device;
pub use admin_list_devices::admin_list_devices;
pub use admin_update_device_status::admin_update_device_status;
pub use confirm_device::confirm_device;
pub use forget_device::forget_device;
pub use get_device::get_device;
pub use list_devices::list_devices;
pub use update_device_status::update_device_status;
