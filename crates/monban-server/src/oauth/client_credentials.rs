//! `grant_type=client_credentials`: optional `scope` (custom scopes only) and
//! `aws_client_metadata`.

use std::collections::BTreeMap;

use monban_core::entities::{AppClient, UserPool};
use monban_core::oauth::{client_credentials_token, parse_scope_param, OAuthError, TokenResponse};
use monban_core::Cx;

use super::form::Params;

pub async fn grant(
    cx: &Cx,
    pool: &UserPool,
    client: &AppClient,
    params: &Params,
) -> Result<TokenResponse, OAuthError> {
    let scopes = parse_scope_param(params.get("scope"))?;
    // `aws_client_metadata`: a JSON object of strings, for a V3 pre token generation
    // function.
    let metadata: Option<BTreeMap<String, String>> = params
        .get("aws_client_metadata")
        .map(serde_json::from_str)
        .transpose()
        .map_err(|_| {
            OAuthError::invalid_request("aws_client_metadata must be a JSON object of strings")
        })?;
    client_credentials_token(cx, pool, client, scopes.as_deref(), metadata.as_ref()).await
}
