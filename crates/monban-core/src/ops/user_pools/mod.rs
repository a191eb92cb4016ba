//! User pool operations: create, describe, update, delete and list pools, add custom
//! attributes, and the pool's MFA configuration.

mod add_custom_attributes;
mod create_user_pool;
mod delete_user_pool;
mod describe_user_pool;
mod get_user_pool_mfa_config;
mod list_user_pools;
mod set_user_pool_mfa_config;
mod update_user_pool;

pub use add_custom_attributes::add_custom_attributes;
pub use create_user_pool::create_user_pool;
pub use delete_user_pool::delete_user_pool;
pub use describe_user_pool::describe_user_pool;
pub use get_user_pool_mfa_config::get_user_pool_mfa_config;
pub use list_user_pools::list_user_pools;
pub use set_user_pool_mfa_config::set_user_pool_mfa_config;
pub use update_user_pool::update_user_pool;
