//! SignUp: a new UNCONFIRMED user with a password checked against the pool's policy and
//! attributes checked against the schema (required ones included) and the client's write
//! permissions; a confirmation code goes to the pool's auto-verified attribute. Without
//! one the user stays unconfirmed and no code is sent, as in Cognito. The PreSignUp
//! trigger (with ValidationData and ClientMetadata) may refuse the user or auto-confirm /
//! auto-verify it; an auto-confirmed user gets no code and PostConfirmation_ConfirmSignUp
//! runs; the code message runs CustomMessage_SignUp / CustomEmailSender_SignUp (a code for
//! a phone number goes to CustomSMSSender_SignUp). Deviations: a code that only an SMS
//! could carry is refused without a CustomSMSSender (`CodeDeliveryFailureException`,
//! before the user is created); passwordless sign-up (no Password) is accepted only in
//! pools whose sign-in policy allows a factor other than PASSWORD.

use monban_wire::idp::{AuthFactorType, SignUpRequest, SignUpResponse, UserStatusType};

use super::common::{authorise, destination_data, sign_up_destination};
use crate::codes::{send_code, sms_not_supported, Destination, Purpose};
use crate::entities::UserPool;
use crate::error::Error;
use crate::pool_config::check_writable;
use crate::triggers::{
    post_confirmation, pre_sign_up, CallContext, ConfirmationSource, MessageSource, MessageTrigger,
    SignUpSource, Trigger,
};
use crate::users::{
    check_required, insert_new_user, new_user, validate_writes, AttributeWrite, Credentials,
    KeyWrite, NewUser,
};
use crate::{Caller, Cx};

pub async fn sign_up(
    cx: &Cx,
    _caller: Caller,
    req: SignUpRequest,
) -> Result<SignUpResponse, Error> {
    let (pool, client) = authorise(
        cx,
        &req.client_id,
        &req.username,
        req.secret_hash.as_deref(),
    )
    .await?;
    let admin_only = pool
        .config
        .admin_create_user_config
        .as_ref()
        .and_then(|c| c.allow_admin_create_user_only)
        .unwrap_or(false);
    if admin_only {
        return Err(Error::not_authorized(
            "SignUp is not permitted for this user pool",
        ));
    }
    if req.password.is_none() && !passwordless_allowed(&pool) {
        return Err(Error::invalid_parameter(
            "1 validation error detected: Value null at 'password' failed to satisfy \
             constraint: Member must not be null",
        ));
    }
    let attributes = req.user_attributes.unwrap_or_default();
    let changes = validate_writes(&pool, &attributes, AttributeWrite::Create)?;
    check_writable(&pool, &client, attributes.iter().map(|a| a.name.as_str()))?;
    let NewUser { mut user, .. } = new_user(
        cx,
        &pool,
        &req.username,
        &changes,
        UserStatusType::Unconfirmed,
    )?;
    check_required(&pool, &user.attributes)?;
    let credentials = match &req.password {
        Some(password) => Some(Credentials::derive(cx, &pool, &user.username, password).await?),
        None => None,
    };
    let call = CallContext::new(Some(&client.client_id), req.client_metadata.as_ref());
    let validation_data = req.validation_data.as_deref();
    let outcome = pre_sign_up(
        cx,
        &pool,
        SignUpSource::SignUp,
        &user,
        validation_data,
        call,
    )
    .await?;
    let verified_alias = outcome.apply(&pool, &mut user)?;
    let confirmed = outcome.auto_confirm_user;
    let destination = sign_up_destination(&pool, &user)
        .filter(|_| !confirmed)
        .map(|d| (d.attribute.to_owned(), d.value.to_owned()));
    let sms_sender = Trigger::CustomSmsSender.is_configured(&pool);
    if destination
        .as_ref()
        .is_some_and(|(attribute, _)| *attribute != "email" && !sms_sender)
    {
        return Err(sms_not_supported());
    }
    let status = if confirmed {
        UserStatusType::Confirmed
    } else {
        UserStatusType::Unconfirmed
    };
    user.status = status;
    if let Some(credentials) = &credentials {
        credentials.apply(&mut user, status, cx.now_ms())?;
    }
    // The store's unique keys decide between concurrent sign-ups of one name.
    insert_new_user(cx, &pool, &user, KeyWrite::SignUp, verified_alias).await?;
    if confirmed {
        post_confirmation(cx, &pool, ConfirmationSource::ConfirmSignUp, &user, call).await?;
    }
    let code_delivery_details = match &destination {
        Some((attribute, value)) => {
            let to = Destination { attribute, value };
            let data = destination_data(to);
            let trigger = MessageTrigger {
                source: MessageSource::SignUp,
                call,
            };
            Some(send_code(cx, &pool, &user, Purpose::SignUp, to, Some(&data), trigger).await?)
        }
        None => None,
    };
    Ok(SignUpResponse {
        code_delivery_details,
        session: None,
        user_confirmed: confirmed,
        user_sub: user.sub,
    })
}

/// A pool whose users may sign in without a password (email or SMS one-time codes,
/// passkeys) lets them sign up without one.
fn passwordless_allowed(pool: &UserPool) -> bool {
    pool.config
        .policies
        .as_ref()
        .and_then(|p| p.sign_in_policy.as_ref())
        .and_then(|s| s.allowed_first_auth_factors.as_ref())
        .is_some_and(|factors| factors.iter().any(|f| *f != AuthFactorType::Password))
}
