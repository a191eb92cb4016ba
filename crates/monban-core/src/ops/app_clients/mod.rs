//! App client operations: create, describe, update, delete and list a pool's clients.

mod create_user_pool_client;
mod delete_user_pool_client;
mod describe_user_pool_client;
mod list_user_pool_clients;
mod update_user_pool_client;

pub use create_user_pool_client::create_user_pool_client;
pub use delete_user_pool_client::delete_user_pool_client;
pub use describe_user_pool_client::describe_user_pool_client;
pub use list_user_pool_clients::list_user_pool_clients;
pub use update_user_pool_client::update_user_pool_client;
