//! Groups of a user pool and their members: create, read, update, delete and list groups;
//! add and remove members; list a user's groups and a group's users.

mod admin_add_user_to_group;
mod admin_list_groups_for_user;
mod admin_remove_user_from_group;
mod common;
mod create_group;
mod delete_group;
mod get_group;
mod list_groups;
mod list_users_in_group;
mod update_group;

pub use admin_add_user_to_group::admin_add_user_to_group;
pub use admin_list_groups_for_user::admin_list_groups_for_user;
pub use admin_remove_user_from_group::admin_remove_user_from_group;
pub use create_group::create_group;
pub use delete_group::delete_group;
pub use get_group::get_group;
pub use list_groups::list_groups;
pub use list_users_in_group::list_users_in_group;
pub use update_group::update_group;
