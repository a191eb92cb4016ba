//! The access token of the `client_credentials` grant (machine to machine): no user, so
//! `sub` is the client id, no ID or refresh token, no `username` or family (tokens.md §3).

use serde_json::json;

use super::issuer::issuer;
use super::jwt;
use super::keys::{signing_key, TokenUse};
use super::validity::token_validity;
use crate::entities::{AppClient, UserPool};
use crate::error::Error;
use crate::ids::new_uuid;
use crate::Cx;

/// A signed access token for `client` carrying `scopes` (space-separated), and its
/// lifetime in seconds.
pub async fn issue_client_token(
    cx: &Cx,
    pool: &UserPool,
    client: &AppClient,
    scopes: &str,
) -> Result<(String, i64), Error> {
    let validity = token_validity(&client.config);
    let key = signing_key(cx, &pool.id, TokenUse::Access).await?;
    let iat_s = cx.now_ms().div_euclid(1000);
    let claims = json!({
        "sub": client.client_id,
        "token_use": "access",
        "scope": scopes,
        "auth_time": iat_s,
        "iss": issuer(&cx.settings, &pool.id),
        "exp": iat_s + validity.access_seconds,
        "iat": iat_s,
        "version": 2,
        "jti": new_uuid(cx.rng.as_ref()),
        "client_id": client.client_id,
    });
    Ok((jwt::sign(&key, &claims)?, validity.access_seconds))
}
