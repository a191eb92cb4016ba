//! Admin operations on users: create (and invite), read, list, update and delete
//! attributes, disable and enable, delete, set and reset passwords, confirm sign-up. The
//! rules they share live in [`crate::users`].

mod admin_confirm_sign_up;
mod admin_create_user;
mod admin_delete_user;
mod admin_delete_user_attributes;
mod admin_disable_user;
mod admin_enable_user;
mod admin_get_user;
mod admin_reset_user_password;
mod admin_set_user_password;
mod admin_update_user_attributes;
mod list_users;

pub use admin_confirm_sign_up::admin_confirm_sign_up;
pub use admin_create_user::admin_create_user;
pub use admin_delete_user::admin_delete_user;
pub use admin_delete_user_attributes::admin_delete_user_attributes;
pub use admin_disable_user::admin_disable_user;
pub use admin_enable_user::admin_enable_user;
pub use admin_get_user::admin_get_user;
pub use admin_reset_user_password::admin_reset_user_password;
pub use admin_set_user_password::admin_set_user_password;
pub use admin_update_user_attributes::admin_update_user_attributes;
pub use list_users::list_users;
