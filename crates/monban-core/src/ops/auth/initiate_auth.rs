//! InitiateAuth: USER_SRP_AUTH, USER_PASSWORD_AUTH, CUSTOM_AUTH and REFRESH_TOKEN_AUTH /
//! REFRESH_TOKEN for an app client; ClientMetadata goes to the triggers as Cognito passes
//! it. Deviations: USER_AUTH is refused as not supported yet; AnalyticsMetadata and
//! UserContextData are accepted and ignored.

use monban_wire::idp::{InitiateAuthRequest, InitiateAuthResponse};

use crate::auth::client::load_public_client;
use crate::auth::flows::{initiate, Api, SignIn};
use crate::error::Error;
use crate::{Caller, Cx};

pub async fn initiate_auth(
    cx: &Cx,
    _caller: Caller,
    req: InitiateAuthRequest,
) -> Result<InitiateAuthResponse, Error> {
    let (pool, client) = load_public_client(cx, &req.client_id).await?;
    let sign_in = SignIn {
        cx,
        pool: &pool,
        client: &client,
        api: Api::Public,
        client_metadata: req.client_metadata.as_ref(),
        token_source: Default::default(),
    };
    let parts = initiate(&sign_in, req.auth_flow, req.auth_parameters.as_ref())
        .await?
        .into_parts();
    Ok(InitiateAuthResponse {
        authentication_result: parts.authentication_result,
        available_challenges: None,
        challenge_name: parts.challenge_name,
        challenge_parameters: parts.challenge_parameters,
        session: parts.session,
    })
}
