//! AdminInitiateAuth: ADMIN_USER_PASSWORD_AUTH (and its legacy name ADMIN_NO_SRP_AUTH),
//! USER_SRP_AUTH, CUSTOM_AUTH and REFRESH_TOKEN_AUTH / REFRESH_TOKEN; ClientMetadata goes
//! to the triggers as Cognito passes it. Deviations: USER_AUTH is refused as not supported
//! yet; AnalyticsMetadata and ContextData are accepted and ignored.

use monban_wire::idp::{AdminInitiateAuthRequest, AdminInitiateAuthResponse};

use crate::auth::flows::{initiate, Api, SignIn};
use crate::error::Error;
use crate::pool_config::{load_client, load_pool};
use crate::{Cx, Iam};

pub async fn admin_initiate_auth(
    cx: &Cx,
    _iam: &Iam,
    req: AdminInitiateAuthRequest,
) -> Result<AdminInitiateAuthResponse, Error> {
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
    let parts = initiate(&sign_in, req.auth_flow, req.auth_parameters.as_ref())
        .await?
        .into_parts();
    Ok(AdminInitiateAuthResponse {
        authentication_result: parts.authentication_result,
        available_challenges: None,
        challenge_name: parts.challenge_name,
        challenge_parameters: parts.challenge_parameters,
        session: parts.session,
    })
}
