//! GetUserAttributeVerificationCode: sends the signed-in user a code for its email — to
//! the new address when a change waits for verification, else to the current one —
//! replacing any earlier code. Deviation: monban sends no SMS, so a phone number gets
//! `CodeDeliveryFailureException`; `ClientMetadata` is unused until triggers exist, and the
//! per-user hourly quota is not enforced.

use monban_wire::idp::{
    GetUserAttributeVerificationCodeRequest, GetUserAttributeVerificationCodeResponse,
};

use super::verification::{pending_value, send_verification, verifiable, Target};
use crate::error::Error;
use crate::tokens::authenticate_access_token;
use crate::triggers::{MessageSource, MessageTrigger};
use crate::{Caller, Cx};

pub async fn get_user_attribute_verification_code(
    cx: &Cx,
    _caller: Caller,
    req: GetUserAttributeVerificationCodeRequest,
) -> Result<GetUserAttributeVerificationCodeResponse, Error> {
    let access = authenticate_access_token(cx, &req.access_token).await?;
    let (pool, user) = (&access.pool, &access.user);
    let attribute = req.attribute_name.as_str();
    verifiable(attribute)?;
    let target = match pending_value(cx, user, attribute).await? {
        Some(value) => Target {
            value,
            pending: true,
        },
        None => Target {
            value: user
                .attributes
                .get(attribute)
                .filter(|v| !v.is_empty())
                .cloned()
                .ok_or_else(|| {
                    Error::invalid_parameter(format!("The user has no {attribute} to verify."))
                })?,
            pending: false,
        },
    };
    let trigger = MessageTrigger::new(
        MessageSource::VerifyUserAttribute,
        Some(&access.client_id),
        req.client_metadata.as_ref(),
    );
    let details = send_verification(cx, pool, user, attribute, &target, trigger).await?;
    Ok(GetUserAttributeVerificationCodeResponse {
        code_delivery_details: Some(details),
    })
}
