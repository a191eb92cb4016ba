//! Whether an ID or access token is live right now, for those who check tokens on behalf
//! of others (token introspection, forward auth): signature, expiry, and revocation as
//! the API enforces it. Machine-to-machine tokens (client credentials: no user, no
//! family) live while their client exists and may still use that grant.

use monban_wire::idp::OAuthFlowType;
use serde_json::{Map, Value};

use super::issuer::pool_of_issuer;
use super::jwt;
use super::keys::{verification_key, TokenUse};
use crate::entities::User;
use crate::error::Error;
use crate::store::StoreError;
use crate::Cx;

/// A live token: its pool, its claims, the client it was issued to, and its user (`None`
/// for a client-credentials token).
#[derive(Debug, Clone)]
pub struct LiveToken {
    pub pool_id: String,
    /// `id` or `access`.
    pub token_use: &'static str,
    pub client_id: String,
    pub user: Option<User>,
    pub claims: Map<String, Value>,
}

impl LiveToken {
    /// The granted scopes (an access token's `scope`; none for an ID token).
    pub fn scopes(&self) -> Vec<&str> {
        self.claims
            .get("scope")
            .and_then(Value::as_str)
            .map(|s| s.split(' ').filter(|s| !s.is_empty()).collect())
            .unwrap_or_default()
    }

    /// The user's groups (`cognito:groups`).
    pub fn groups(&self) -> Vec<&str> {
        self.claims
            .get("cognito:groups")
            .and_then(Value::as_array)
            .map(|groups| groups.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    }
}

/// The token if it is one of this server's, correctly signed, unexpired and not revoked
/// (family revoked, user deleted or disabled, client deleted); `None` otherwise. `Err`
/// only for the server's own failures.
pub async fn inspect_token(cx: &Cx, token: &str) -> Result<Option<LiveToken>, Error> {
    let Some(jws) = jwt::parse(token) else {
        return Ok(None);
    };
    let Ok(claims) = serde_json::from_slice::<Map<String, Value>>(&jws.payload) else {
        return Ok(None);
    };
    let text = |name: &str| claims.get(name).and_then(Value::as_str);
    let Some(pool_id) = text("iss").and_then(|iss| pool_of_issuer(&cx.settings, iss)) else {
        return Ok(None);
    };
    let (token_use, key_use, client_id) = match text("token_use") {
        Some("access") => ("access", TokenUse::Access, text("client_id")),
        Some("id") => ("id", TokenUse::Id, text("aud")),
        _ => return Ok(None),
    };
    let (Some(client_id), Some(sub)) = (client_id, text("sub")) else {
        return Ok(None);
    };
    let key = verification_key(cx, pool_id, &jws.kid, key_use).await?;
    if !key.is_some_and(|key| jws.verified_by(&key)) {
        return Ok(None);
    }
    let exp = claims.get("exp").and_then(Value::as_i64).unwrap_or(0);
    if exp.saturating_mul(1000) <= cx.now_ms() {
        return Ok(None);
    }
    let user = match text("origin_jti") {
        Some(family) => {
            let (revoked, user) = tokio::join!(
                cx.store.token_family_revoked_at(pool_id, family),
                cx.store.get_user_by_sub(pool_id, sub),
            );
            match revoked {
                Ok(None) => {}
                // Revoked, or an unknown family (its user was deleted, say).
                Ok(Some(_)) | Err(StoreError::NotFound) => return Ok(None),
                Err(e) => return Err(e.into()),
            }
            match user? {
                Some(user) if user.enabled => Some(user),
                _ => return Ok(None),
            }
        }
        // Only client-credentials tokens have no family: `sub` is the client.
        None if token_use == "access" && sub == client_id => None,
        None => return Ok(None),
    };
    let client = cx.store.get_app_client(client_id).await?;
    let client_live = client.is_some_and(|c| {
        c.pool_id == pool_id
            && (user.is_some()
                || c.config
                    .allowed_o_auth_flows
                    .as_deref()
                    .unwrap_or_default()
                    .contains(&OAuthFlowType::ClientCredentials))
    });
    if !client_live {
        return Ok(None);
    }
    Ok(Some(LiveToken {
        pool_id: pool_id.to_owned(),
        token_use,
        client_id: client_id.to_owned(),
        user,
        claims,
    }))
}
