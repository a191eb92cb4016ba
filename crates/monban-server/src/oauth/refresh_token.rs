//! `grant_type=refresh_token`.

use monban_core::entities::{AppClient, UserPool};
use monban_core::oauth::{refresh_grant, OAuthError, TokenResponse};
use monban_core::Cx;

use super::form::Params;

pub async fn grant(
    cx: &Cx,
    pool: &UserPool,
    client: &AppClient,
    params: &Params,
) -> Result<TokenResponse, OAuthError> {
    refresh_grant(cx, pool, client, params.require("refresh_token")?).await
}
