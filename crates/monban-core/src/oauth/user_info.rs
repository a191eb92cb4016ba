//! `/oauth2/userInfo`: the user's attributes that the access token's scopes select
//! (oauth.md §5). Only tokens from the OAuth endpoints carry `openid`, so API-issued
//! tokens are refused.

use serde_json::{Map, Value};

use super::error::{OAuthError, OAuthErrorCode};
use super::scopes::{scopes_select_attribute, OPENID};
use crate::pool_config::readable_attributes;
use crate::tokens::authenticate_access_token_for;
use crate::Cx;

/// The pool of `access_token` and the claims for it; `invalid_token` for any token
/// Cognito would refuse (bad, expired, revoked, without `openid`, its user disabled or
/// gone).
pub async fn user_info(cx: &Cx, access_token: &str) -> Result<(String, Value), OAuthError> {
    let ctx = authenticate_access_token_for(cx, access_token, OPENID)
        .await
        .map_err(|e| match e.kind {
            monban_wire::ErrorKind::NotAuthorizedException => OAuthError::with(
                OAuthErrorCode::InvalidToken,
                "Access token is expired, disabled, or deleted, or the user has globally signed out.",
            ),
            _ => OAuthError::from(e),
        })?;
    let scopes: Vec<&str> = ctx.claims.scope.split(' ').collect();
    let client = cx.store.get_app_client(&ctx.client_id).await?;
    let readable = client.as_ref().map(readable_attributes);
    let strict = cx.settings.oauth.strict_oidc(&ctx.client_id);
    let mut out = Map::new();
    out.insert("sub".into(), ctx.user.sub.clone().into());
    out.insert("username".into(), ctx.user.username.clone().into());
    for (name, value) in &ctx.user.attributes {
        if name == "sub" || !readable.as_ref().is_none_or(|r| r.contains(name)) {
            continue;
        }
        if scopes_select_attribute(scopes.iter().copied(), name) {
            // Strings here, `*_verified` included (unlike the ID token's booleans),
            // except for clients that asked for strict OpenID Connect.
            let verified_flag = matches!(name.as_str(), "email_verified" | "phone_number_verified");
            let value = if verified_flag && strict {
                Value::Bool(value == "true")
            } else {
                Value::String(value.clone())
            };
            out.insert(name.clone(), value);
        }
    }
    Ok((ctx.pool.id, Value::Object(out)))
}
