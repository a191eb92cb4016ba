//! AdminDeleteUserAttributes: removes attributes (not required or immutable ones; removing
//! `email` or `phone_number` also removes its verification flag and alias).

use monban_wire::idp::{AdminDeleteUserAttributesRequest, AdminDeleteUserAttributesResponse};

use crate::error::Error;
use crate::pool_config::load_pool;
use crate::users::{
    apply_attribute_changes, modify_user, validate_deletes, AttributeChanges, KeyWrite, Target,
};
use crate::{Cx, Iam};

pub async fn admin_delete_user_attributes(
    cx: &Cx,
    _iam: &Iam,
    req: AdminDeleteUserAttributesRequest,
) -> Result<AdminDeleteUserAttributesResponse, Error> {
    let pool = load_pool(cx, &req.user_pool_id).await?;
    let changes: AttributeChanges = validate_deletes(&pool, &req.user_attribute_names)?
        .into_iter()
        .map(|name| (name, None))
        .collect();
    modify_user(
        cx,
        &pool,
        Target::Name(&req.username),
        KeyWrite::Update,
        |user| {
            apply_attribute_changes(&mut user.attributes, &changes);
            Ok(())
        },
    )
    .await?;
    Ok(AdminDeleteUserAttributesResponse {})
}
