//! AdminRespondToAuthChallenge: PASSWORD_VERIFIER (with or without Session),
//! NEW_PASSWORD_REQUIRED, CUSTOM_CHALLENGE and the MFA challenges (SMS_MFA, EMAIL_OTP,
//! SOFTWARE_TOKEN_MFA, SELECT_MFA_TYPE, MFA_SETUP), DEVICE_SRP_AUTH and
//! DEVICE_PASSWORD_VERIFIER; ClientMetadata goes to the triggers.
//! Deviations: USER_AUTH challenges are refused as not supported yet;
//! AnalyticsMetadata and ContextData are accepted and ignored.

use monban_wire::idp::{AdminRespondToAuthChallengeRequest, AdminRespondToAuthChallengeResponse};

use crate::auth::flows::{respond, Api, SignIn};
use crate::error::Error;
use crate::pool_config::{load_client, load_pool};
use crate::{Cx, Iam};

pub async fn admin_respond_to_auth_challenge(
    cx: &Cx,
    _iam: &Iam,
    req: AdminRespondToAuthChallengeRequest,
) -> Result<AdminRespondToAuthChallengeResponse, Error> {
    let pool = load_pool(cx, &req.user_pool_id).await?;
    let client = load_client(cx, &pool.id, &req.client_id).await?;
    let sign_in = SignIn {
        cx,
        pool: &pool,
        client: &client,
        api: Api::Admin,
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
    Ok(AdminRespondToAuthChallengeResponse {
        authentication_result: parts.authentication_result,
        available_challenges: None,
        challenge_name: parts.challenge_name,
        challenge_parameters: parts.challenge_parameters,
        session: parts.session,
    })
}
