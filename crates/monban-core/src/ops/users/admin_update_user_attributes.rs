//! AdminUpdateUserAttributes: sets attributes (a blank value deletes one), checked against
//! the pool's schema; the admin may set `email_verified` / `phone_number_verified`. A new
//! email (phone number) in a pool that auto-verifies it becomes unverified unless the
//! request verifies it. Deviations: no verification code is sent yet, and
//! `AttributesRequireVerificationBeforeUpdate` is not honoured (the new value applies at
//! once).

use monban_wire::idp::{
    AdminUpdateUserAttributesRequest, AdminUpdateUserAttributesResponse, VerifiedAttributeType,
};

use crate::error::Error;
use crate::pool_config::{auto_verified_attributes, load_pool};
use crate::users::{
    apply_attribute_changes, check_verified_flags, modify_user, validate_writes, AttributeWrite,
    KeyWrite, Target,
};
use crate::{Cx, Iam};

pub async fn admin_update_user_attributes(
    cx: &Cx,
    _iam: &Iam,
    req: AdminUpdateUserAttributesRequest,
) -> Result<AdminUpdateUserAttributesResponse, Error> {
    let pool = load_pool(cx, &req.user_pool_id).await?;
    let changes = validate_writes(&pool, &req.user_attributes, AttributeWrite::Update)?;
    let auto_verified = auto_verified_attributes(&pool);
    let watched = [
        ("email", "email_verified", VerifiedAttributeType::Email),
        (
            "phone_number",
            "phone_number_verified",
            VerifiedAttributeType::PhoneNumber,
        ),
    ];
    modify_user(
        cx,
        &pool,
        Target::Name(&req.username),
        KeyWrite::Update,
        |user| {
            let before = user.attributes.clone();
            apply_attribute_changes(&mut user.attributes, &changes);
            for (value, flag, kind) in watched {
                let changed = user.attributes.contains_key(value)
                    && user.attributes.get(value) != before.get(value);
                if changed && auto_verified.contains(&kind) && !changes.contains_key(flag) {
                    user.attributes.insert(flag.to_owned(), "false".to_owned());
                }
            }
            check_verified_flags(&user.attributes)
        },
    )
    .await?;
    Ok(AdminUpdateUserAttributesResponse {})
}
