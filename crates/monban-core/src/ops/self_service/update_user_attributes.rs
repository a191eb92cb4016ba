//! UpdateUserAttributes: the signed-in user changes its attributes (a blank value deletes
//! one) within its app client's write permissions (`NotAuthorizedException` otherwise),
//! checked against the pool's schema. A changed email or phone number becomes unverified
//! at once, and an auto-verified email gets a code (`CodeDeliveryDetailsList`) — unless
//! the pool keeps the original value until the new one is verified
//! (`AttributesRequireVerificationBeforeUpdate`): then an attribute that has a value keeps
//! it (for sign-in, password reset and messages) and the new one waits with its code until
//! VerifyUserAttribute. Deviations: monban sends no SMS, so a new phone number is never
//! sent a code and never waits (it applies at once, unverified); `ClientMetadata` is
//! accepted and unused until triggers exist.

use monban_wire::idp::{UpdateUserAttributesRequest, UpdateUserAttributesResponse};

use super::access::token_client;
use super::verification::{
    drop_verification, keeps_original, pending_value, send_verification, Target, VERIFIABLE,
};
use crate::error::Error;
use crate::pool_config::{auto_verified_attributes, check_writable};
use crate::tokens::authenticate_access_token;
use crate::triggers::{MessageSource, MessageTrigger};
use crate::users::{
    apply_attribute_changes, check_verified_flags, key, key_taken, modify_user, validate_writes,
    AttributeWrite, KeyKind, KeyWrite, NameRules, Target as UserTarget,
};
use crate::{Caller, Cx};

pub async fn update_user_attributes(
    cx: &Cx,
    _caller: Caller,
    req: UpdateUserAttributesRequest,
) -> Result<UpdateUserAttributesResponse, Error> {
    let access = authenticate_access_token(cx, &req.access_token).await?;
    let client = token_client(cx, &access).await?;
    let (pool, user) = (&access.pool, &access.user);
    let mut changes = validate_writes(pool, &req.user_attributes, AttributeWrite::Update)?;
    check_writable(pool, &client, changes.keys().map(String::as_str))?;

    let auto_verified = auto_verified_attributes(pool);
    let has = |attribute: &str| {
        user.attributes
            .get(attribute)
            .is_some_and(|v| !v.is_empty())
    };
    // New values that wait for verification, values to send a code to once stored, and
    // attributes whose outstanding code (and pending value) no longer means anything.
    let (mut pending, mut to_verify, mut void) = (Vec::new(), Vec::new(), Vec::new());
    for (attribute, flag, kind) in VERIFIABLE {
        let Some(change) = changes.get(attribute).cloned() else {
            continue;
        };
        let verified_by_request = changes.get(flag) == Some(&Some("true".to_owned()));
        match change {
            None => void.push(attribute),
            Some(value) if user.attributes.get(attribute) == Some(&value) => {
                // Back to the value in force: a change waiting for verification is off.
                changes.remove(attribute);
                if pending_value(cx, user, attribute).await?.is_some() {
                    void.push(attribute);
                }
            }
            Some(_) if verified_by_request => void.push(attribute),
            // With no value in force there is nothing to keep: the new one applies.
            Some(value) if keeps_original(pool, attribute) && has(attribute) => {
                changes.remove(attribute);
                pending.push((attribute, value));
            }
            Some(value) => {
                if attribute == "email" && auto_verified.contains(&kind) {
                    to_verify.push((attribute, value));
                } else {
                    void.push(attribute);
                }
            }
        }
    }
    check_pending_not_taken(cx, pool, &user.sub, &pending).await?;

    let stored = if changes.is_empty() {
        user.clone()
    } else {
        modify_user(
            cx,
            pool,
            UserTarget::Sub(&user.sub),
            KeyWrite::Update,
            |stored| {
                let before = stored.attributes.clone();
                apply_attribute_changes(&mut stored.attributes, &changes);
                for (attribute, flag, _) in VERIFIABLE {
                    let changed = stored.attributes.contains_key(attribute)
                        && stored.attributes.get(attribute) != before.get(attribute);
                    if changed && !changes.contains_key(flag) {
                        stored
                            .attributes
                            .insert(flag.to_owned(), "false".to_owned());
                    }
                }
                check_verified_flags(&stored.attributes)
            },
        )
        .await?
    };

    for attribute in void {
        drop_verification(cx, &stored, attribute).await?;
    }
    let mut deliveries = Vec::new();
    let targets = pending
        .into_iter()
        .map(|(a, value)| {
            (
                a,
                Target {
                    value,
                    pending: true,
                },
            )
        })
        .chain(to_verify.into_iter().map(|(a, value)| {
            (
                a,
                Target {
                    value,
                    pending: false,
                },
            )
        }));
    let trigger = MessageTrigger::new(
        MessageSource::UpdateUserAttribute,
        Some(&access.client_id),
        req.client_metadata.as_ref(),
    );
    for (attribute, target) in targets {
        deliveries.push(send_verification(cx, pool, &stored, attribute, &target, trigger).await?);
    }
    Ok(UpdateUserAttributesResponse {
        code_delivery_details_list: (!deliveries.is_empty()).then_some(deliveries),
    })
}

/// In pools where the email is the username, no two users have the same one, verified or
/// not: a pending value another user has is refused now rather than at verification. (An
/// email alias, by contrast, moves to whoever verifies it last.)
async fn check_pending_not_taken(
    cx: &Cx,
    pool: &crate::entities::UserPool,
    sub: &str,
    pending: &[(&str, String)],
) -> Result<(), Error> {
    let rules = NameRules::of(pool);
    for (attribute, value) in pending {
        let kind = match *attribute {
            "email" if rules.username_email => KeyKind::Email,
            "phone_number" if rules.username_phone => KeyKind::PhoneNumber,
            _ => continue,
        };
        let taken = key(&rules, kind, value);
        if let Some(holder) = cx.store.get_user_by_key(&pool.id, &taken).await? {
            if holder.sub != sub {
                return Err(key_taken(&rules, &taken, KeyWrite::Update));
            }
        }
    }
    Ok(())
}
