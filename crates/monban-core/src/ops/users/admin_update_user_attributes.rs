//! AdminUpdateUserAttributes: sets attributes (a blank value deletes one), checked against
//! the pool's schema; the admin may set `email_verified` / `phone_number_verified`. A new
//! email (phone number) in a pool that auto-verifies it becomes unverified unless the
//! request verifies it; a new auto-verified email is then sent a verification code
//! (`CustomMessage_UpdateUserAttribute`), as UpdateUserAttributes does. Deviation:
//! `AttributesRequireVerificationBeforeUpdate` is not honoured (the new value applies at
//! once).

use std::sync::atomic::{AtomicBool, Ordering};

use monban_wire::idp::{
    AdminUpdateUserAttributesRequest, AdminUpdateUserAttributesResponse, VerifiedAttributeType,
};

use crate::error::Error;
use crate::ops::self_service::verification::{send_verification, Target as VerificationTarget};
use crate::pool_config::{auto_verified_attributes, load_pool};
use crate::triggers::{MessageSource, MessageTrigger};
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
    // Set by the last run of the change (it runs again on a write conflict).
    let email_unverified = AtomicBool::new(false);
    let user = modify_user(
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
                let unverified =
                    changed && auto_verified.contains(&kind) && !changes.contains_key(flag);
                if unverified {
                    user.attributes.insert(flag.to_owned(), "false".to_owned());
                }
                if value == "email" {
                    email_unverified.store(unverified, Ordering::Relaxed);
                }
            }
            check_verified_flags(&user.attributes)
        },
    )
    .await?;
    // The email's code, when the change left it unverified in a pool that verifies it.
    let new_email = user
        .attributes
        .get("email")
        .filter(|_| email_unverified.load(Ordering::Relaxed))
        .cloned();
    if let Some(value) = new_email {
        let trigger = MessageTrigger::new(
            MessageSource::UpdateUserAttribute,
            None,
            req.client_metadata.as_ref(),
        );
        let target = VerificationTarget {
            value,
            pending: false,
        };
        send_verification(cx, &pool, &user, "email", &target, trigger).await?;
    }
    Ok(AdminUpdateUserAttributesResponse {})
}
