//! Identity pool operations (`cognito-identity`): pools, their roles and tags (IAM),
//! identities and developer-authenticated identities (IAM), and the public credential
//! vending operations (GetId, GetOpenIdToken, GetCredentialsForIdentity, UnlinkIdentity).
//! Shared logic is in `crate::identity_pools`.

mod create_identity_pool;
mod delete_identities;
mod delete_identity_pool;
mod describe_identity;
mod describe_identity_pool;
mod get_credentials_for_identity;
mod get_id;
mod get_identity_pool_roles;
mod get_open_id_token;
mod get_open_id_token_for_developer_identity;
mod get_principal_tag_attribute_map;
mod list_identities;
mod list_identity_pools;
mod list_tags_for_resource;
mod lookup_developer_identity;
mod merge_developer_identities;
mod set_identity_pool_roles;
mod set_principal_tag_attribute_map;
mod tag_resource;
mod unlink_developer_identity;
mod unlink_identity;
mod untag_resource;
mod update_identity_pool;

pub use create_identity_pool::create_identity_pool;
pub use delete_identities::delete_identities;
pub use delete_identity_pool::delete_identity_pool;
pub use describe_identity::describe_identity;
pub use describe_identity_pool::describe_identity_pool;
pub use get_credentials_for_identity::get_credentials_for_identity;
pub use get_id::get_id;
pub use get_identity_pool_roles::get_identity_pool_roles;
pub use get_open_id_token::get_open_id_token;
pub use get_open_id_token_for_developer_identity::get_open_id_token_for_developer_identity;
pub use get_principal_tag_attribute_map::get_principal_tag_attribute_map;
pub use list_identities::list_identities;
pub use list_identity_pools::list_identity_pools;
pub use list_tags_for_resource::list_tags_for_resource;
pub use lookup_developer_identity::lookup_developer_identity;
pub use merge_developer_identities::merge_developer_identities;
pub use set_identity_pool_roles::set_identity_pool_roles;
pub use set_principal_tag_attribute_map::set_principal_tag_attribute_map;
pub use tag_resource::tag_resource;
pub use unlink_developer_identity::unlink_developer_identity;
pub use unlink_identity::unlink_identity;
pub use untag_resource::untag_resource;
pub use update_identity_pool::update_identity_pool;
