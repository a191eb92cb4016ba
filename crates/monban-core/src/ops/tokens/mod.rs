//! Token operations: refresh (GetTokensFromRefreshToken), revocation of one session
//! (RevokeToken) or all of a user's (GlobalSignOut, AdminUserGlobalSignOut). The token
//! rules live in [`crate::tokens`].

mod admin_user_global_sign_out;
pub(crate) mod client_secret;
mod get_tokens_from_refresh_token;
mod global_sign_out;
mod revoke_token;

pub use admin_user_global_sign_out::admin_user_global_sign_out;
pub use get_tokens_from_refresh_token::get_tokens_from_refresh_token;
pub use global_sign_out::global_sign_out;
pub use revoke_token::revoke_token;
