//! What the group operations share: finding a group and its wire form.

use monban_wire::idp::GroupType;

use crate::cx::wire_time;
use crate::entities::{Group, UserPool};
use crate::error::Error;
use crate::Cx;

/// `ResourceNotFoundException: Group not found.`
pub(super) fn group_not_found() -> Error {
    Error::resource_not_found("Group not found.")
}

/// The group, by its exact (case-sensitive) name.
pub(super) async fn load_group(cx: &Cx, pool: &UserPool, name: &str) -> Result<Group, Error> {
    cx.store
        .get_group(&pool.id, name)
        .await?
        .ok_or_else(group_not_found)
}

pub(super) fn group_type(group: &Group) -> GroupType {
    GroupType {
        group_name: Some(group.name.clone()),
        user_pool_id: Some(group.pool_id.clone()),
        description: group.description.clone(),
        role_arn: group.role_arn.clone(),
        precedence: group.precedence,
        creation_date: Some(wire_time(group.created_ms)),
        last_modified_date: Some(wire_time(group.modified_ms)),
    }
}

/// Cognito's default and largest page for group lists.
pub(super) const MAX_PAGE: usize = 60;
