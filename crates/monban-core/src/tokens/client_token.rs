//! The access token of the `client_credentials` grant (machine to machine): no user, so
//! `sub` is the client id, no ID or refresh token, no `username` or family (tokens.md §3).

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::issuer::issuer;
use super::jwt;
use super::keys::{signing_key, TokenUse};
use super::validity::token_validity;
use crate::entities::{AppClient, UserPool};
use crate::error::Error;
use crate::ids::new_uuid;
use crate::triggers::pre_token_generation_m2m;
use crate::Cx;

/// A signed access token for `client` carrying `scopes` (space-separated), and its
/// lifetime in seconds. A V3 pre token generation function sees it first, with
/// `client_metadata` (`aws_client_metadata` at the token endpoint).
pub async fn issue_client_token(
    cx: &Cx,
    pool: &UserPool,
    client: &AppClient,
    scopes: &str,
    client_metadata: Option<&BTreeMap<String, String>>,
) -> Result<(String, i64), Error> {
    let validity = token_validity(&client.config);
    let key = signing_key(cx, &pool.id, TokenUse::Access).await?;
    let iat_s = cx.now_ms().div_euclid(1000);
    let mut claims = json!({
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
    if let Value::Object(access) = &mut claims {
        pre_token_generation_m2m(cx, pool, &client.client_id, client_metadata, access).await?;
    }
    Ok((jwt::sign(&key, &claims)?, validity.access_seconds))
}
