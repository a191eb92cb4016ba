//! `grant_type=authorization_code`: `code`, `redirect_uri`, and `code_verifier` when the
//! authorization request used PKCE.

use monban_core::entities::{AppClient, UserPool};
use monban_core::oauth::{redeem_authorization_code, OAuthError, TokenResponse};
use monban_core::Cx;

use super::form::Params;

pub async fn grant(
    cx: &Cx,
    pool: &UserPool,
    client: &AppClient,
    params: &Params,
) -> Result<TokenResponse, OAuthError> {
    let code = params.require("code")?;
    redeem_authorization_code(
        cx,
        pool,
        client,
        code,
        params.get("redirect_uri"),
        params.get("code_verifier"),
    )
    .await
}
