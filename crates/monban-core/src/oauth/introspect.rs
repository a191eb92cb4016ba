//! Token introspection (RFC 7662) for resource servers that want revocation-aware checks:
//! a monban extension (Cognito has no introspection endpoint). The answer for a token
//! that is unknown, expired, revoked, of another pool or malformed is the same
//! `{"active": false}`, so the endpoint reveals nothing about why.

use serde_json::{json, Map, Value};

use super::error::OAuthError;
use crate::entities::AppClient;
use crate::tokens::inspect_token;
use crate::Cx;

/// The introspection response for `token`, asked by the authenticated `client` (any
/// client of the token's pool may ask).
pub async fn introspect(cx: &Cx, client: &AppClient, token: &str) -> Result<Value, OAuthError> {
    let inactive = || json!({ "active": false });
    let Some(live) = inspect_token(cx, token).await? else {
        return Ok(inactive());
    };
    if live.pool_id != client.pool_id {
        return Ok(inactive());
    }
    let mut out = Map::new();
    out.insert("active".into(), true.into());
    let scopes = live.scopes();
    if !scopes.is_empty() {
        out.insert("scope".into(), scopes.join(" ").into());
    }
    out.insert("client_id".into(), live.client_id.clone().into());
    if let Some(user) = &live.user {
        out.insert("username".into(), user.username.clone().into());
    }
    if live.token_use == "access" {
        out.insert("token_type".into(), "Bearer".into());
    }
    for claim in ["exp", "iat", "sub", "aud", "iss", "jti", "token_use"] {
        if let Some(value) = live.claims.get(claim) {
            out.insert(claim.into(), value.clone());
        }
    }
    let groups = live.groups();
    if !groups.is_empty() {
        out.insert("cognito:groups".into(), groups.into());
    }
    Ok(Value::Object(out))
}
