//! GetTokensFromRefreshToken: new ID and access tokens from a refresh token (Amplify v6
//! refreshes with it), and a new refresh token when the client rotates them.
//! `ClientMetadata` goes to the pre token generation trigger.

use monban_wire::idp::{
    AuthFlowType, GetTokensFromRefreshTokenRequest, GetTokensFromRefreshTokenResponse,
};
use monban_wire::ErrorKind;

use super::client_secret::check_client_secret;
use crate::auth::client::load_public_client;
use crate::auth::flows::flow_enabled;
use crate::error::Error;
use crate::tokens::{refresh_with_metadata, RefreshMode};
use crate::{Caller, Cx};

pub async fn get_tokens_from_refresh_token(
    cx: &Cx,
    _caller: Caller,
    req: GetTokensFromRefreshTokenRequest,
) -> Result<GetTokensFromRefreshTokenResponse, Error> {
    let (pool, client) = load_public_client(cx, &req.client_id).await?;
    check_client_secret(
        &client,
        req.client_secret.as_deref(),
        ErrorKind::NotAuthorizedException,
    )?;
    // Refreshing needs ALLOW_REFRESH_TOKEN_AUTH, whichever operation does it.
    if !flow_enabled(&client, AuthFlowType::RefreshTokenAuth) {
        return Err(Error::invalid_parameter(
            "REFRESH_TOKEN_AUTH flow not enabled for this client",
        ));
    }
    let result = refresh_with_metadata(
        cx,
        &pool,
        &client,
        &req.refresh_token,
        req.device_key.as_deref(),
        RefreshMode::GetTokensFromRefreshToken,
        req.client_metadata.as_ref(),
    )
    .await?;
    Ok(GetTokensFromRefreshTokenResponse {
        authentication_result: Some(result),
    })
}
