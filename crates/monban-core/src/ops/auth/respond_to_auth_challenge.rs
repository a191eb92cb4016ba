//! RespondToAuthChallenge: PASSWORD_VERIFIER (with or without Session),
//! NEW_PASSWORD_REQUIRED, CUSTOM_CHALLENGE and the MFA challenges (SMS_MFA, EMAIL_OTP,
//! SOFTWARE_TOKEN_MFA, SELECT_MFA_TYPE, MFA_SETUP), DEVICE_SRP_AUTH and
//! DEVICE_PASSWORD_VERIFIER; ClientMetadata goes to the triggers.
//! Deviations: USER_AUTH challenges are refused as not supported yet;
//! AnalyticsMetadata and UserContextData are accepted and ignored.

use monban_wire::idp::{RespondToAuthChallengeRequest, RespondToAuthChallengeResponse};

use crate::auth::client::load_public_client;
use crate::auth::flows::{respond, Api, SignIn};
use crate::error::Error;
use crate::{Caller, Cx};

pub async fn respond_to_auth_challenge(
    cx: &Cx,
    _caller: Caller,
    req: RespondToAuthChallengeRequest,
) -> Result<RespondToAuthChallengeResponse, Error> {
    let (pool, client) = load_public_client(cx, &req.client_id).await?;
    let sign_in = SignIn {
        cx,
        pool: &pool,
        client: &client,
        api: Api::Public,
        client_metadata: req.client_metadata.as_ref(),
        token_source: Default::default(),
    };
    let parts = respond(
        &sign_in,
        req.challenge_name,
        req.challenge_responses.as_ref(),
        req.session.as_deref(),
    )
    .await?
    .into_parts();
    Ok(RespondToAuthChallengeResponse {
        authentication_result: parts.authentication_result,
        available_challenges: None,
        challenge_name: parts.challenge_name,
        challenge_parameters: parts.challenge_parameters,
        session: parts.session,
    })
}
