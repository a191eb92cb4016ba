//! Self-service operations: what a signed-in user does with its own access token (body
//! member `AccessToken`, checked by [`crate::tokens::authenticate_access_token`]): read and
//! change its attributes within the app client's read and write permissions, verify an
//! email (keeping the original value until then where the pool says so), change its
//! password, delete itself.

mod access;
mod change_password;
mod delete_user;
mod delete_user_attributes;
mod get_user;
mod get_user_attribute_verification_code;
mod update_user_attributes;
pub(crate) mod verification;
mod verify_user_attribute;

pub use change_password::change_password;
pub use delete_user::delete_user;
pub use delete_user_attributes::delete_user_attributes;
pub use get_user::get_user;
pub use get_user_attribute_verification_code::get_user_attribute_verification_code;
pub use update_user_attributes::update_user_attributes;
pub use verify_user_attribute::verify_user_attribute;
