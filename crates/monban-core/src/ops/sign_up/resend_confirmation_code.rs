//! ResendConfirmationCode: a new sign-up code (the old one stops working) to the pool's
//! auto-verified attribute of an UNCONFIRMED user. A pool without auto-verified
//! attributes is `InvalidParameterException: Auto verification not turned on.`; a
//! confirmed user `InvalidParameterException: User is already confirmed.`. With
//! PreventUserExistenceErrors an unknown user, a confirmed one, or one with nowhere to
//! send a code gets a simulated `CodeDeliveryDetails`. The code message runs the
//! CustomMessage_ResendCode / CustomEmailSender_ResendCode trigger. Deviation: a code only
//! an SMS could carry is `CodeDeliveryFailureException` (monban sends no SMS).

use monban_wire::idp::{
    ResendConfirmationCodeRequest, ResendConfirmationCodeResponse, UserStatusType,
};

use super::common::{authorise, destination_data, hides_existence, sign_up_destination};
use crate::codes::{send_code, simulated_delivery, Purpose};
use crate::error::Error;
use crate::pool_config::auto_verified_attributes;
use crate::triggers::{MessageSource, MessageTrigger};
use crate::users::lookup_user;
use crate::{Caller, Cx};

pub async fn resend_confirmation_code(
    cx: &Cx,
    _caller: Caller,
    req: ResendConfirmationCodeRequest,
) -> Result<ResendConfirmationCodeResponse, Error> {
    let (pool, client) = authorise(
        cx,
        &req.client_id,
        &req.username,
        req.secret_hash.as_deref(),
    )
    .await?;
    if auto_verified_attributes(&pool).is_empty() {
        return Err(Error::invalid_parameter("Auto verification not turned on."));
    }
    let hide = hides_existence(&client);
    let simulated = || async {
        Ok(ResendConfirmationCodeResponse {
            code_delivery_details: Some(
                simulated_delivery(cx, &pool, &req.username, Purpose::SignUp).await?,
            ),
        })
    };
    let Some(user) = lookup_user(cx, &pool, &req.username).await? else {
        if hide {
            return simulated().await;
        }
        return Err(Error::user_not_found());
    };
    if user.status != UserStatusType::Unconfirmed {
        if hide {
            return simulated().await;
        }
        return Err(Error::invalid_parameter("User is already confirmed."));
    }
    let Some(to) = sign_up_destination(&pool, &user) else {
        if hide {
            return simulated().await;
        }
        return Err(Error::invalid_parameter(
            "The user has none of the pool's AutoVerifiedAttributes: there is nowhere to send \
             a confirmation code.",
        ));
    };
    let data = destination_data(to);
    let trigger = MessageTrigger::new(
        MessageSource::ResendCode,
        Some(&client.client_id),
        req.client_metadata.as_ref(),
    );
    let details = send_code(cx, &pool, &user, Purpose::SignUp, to, Some(&data), trigger).await?;
    Ok(ResendConfirmationCodeResponse {
        code_delivery_details: Some(details),
    })
}
