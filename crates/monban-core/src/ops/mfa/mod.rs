//! MFA settings of users and TOTP authenticators: the user's own (access token) and the
//! administrator's (IAM) operations. The sign-in challenges are in `auth::flows`.

mod admin_delete_software_token;
mod admin_set_user_mfa_preference;
mod admin_set_user_settings;
mod associate_software_token;
mod set_user_mfa_preference;
mod set_user_settings;
mod verify_software_token;

pub use admin_delete_software_token::admin_delete_software_token;
pub use admin_set_user_mfa_preference::admin_set_user_mfa_preference;
pub use admin_set_user_settings::admin_set_user_settings;
pub use associate_software_token::associate_software_token;
pub use set_user_mfa_preference::set_user_mfa_preference;
pub use set_user_settings::set_user_settings;
pub use verify_software_token::verify_software_token;
