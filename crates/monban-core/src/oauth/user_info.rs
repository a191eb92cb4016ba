//! `/oauth2/userInfo`: the user's attributes that the access token's scopes select
//! (oauth.md §5). Only tokens from the OAuth endpoints carry `openid`, so API-issued
//! tokens are refused.

use serde_json::{Map, Value};

use super::error::{OAuthError, OAuthErrorCode};
use super::scopes::OPENID;
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
    let mut out = Map::new();
    out.insert("sub".into(), ctx.user.sub.clone().into());
    out.insert("username".into(), ctx.user.username.clone().into());
    for (name, value) in &ctx.user.attributes {
        if name == "sub" || !readable.as_ref().is_none_or(|r| r.contains(name)) {
            continue;
        }
        let wanted = match name.as_str() {
            "email" | "email_verified" => scopes.contains(&"email"),
            "phone_number" | "phone_number_verified" => scopes.contains(&"phone"),
            _ => scopes.contains(&"profile"),
        };
        if wanted {
            // Strings here, `*_verified` included (unlike the ID token's booleans).
            out.insert(name.clone(), value.clone().into());
        }
    }
    Ok((ctx.pool.id, Value::Object(out)))
}
