//! Forward auth for reverse proxies (nginx `auth_request`, Traefik ForwardAuth, Caddy
//! `forward_auth`): is this bearer token good enough for the protected site? A monban
//! extension. The token must be live ([`inspect_token`]: signature, expiry, revocation),
//! of this pool, issued to the required client, and carry the required groups/scopes.
//! Without a token, the hosted UI's session cookie (when the proxy passes it on) stands
//! for its user.

use crate::hosted_ui::signed_in_user;
use crate::tokens::{inspect_token, user_groups, LiveToken};
use crate::{Cx, Error};

/// What the protected site requires, from the endpoint's query string.
#[derive(Debug, Clone, Default)]
pub struct ForwardAuthRules {
    /// The token must have been issued to this app client (`client_id` / `aud`).
    pub client_id: Option<String>,
    /// The user must be in at least one of these groups (none: no group required).
    pub any_group: Vec<String>,
    /// The access token must carry every one of these scopes.
    pub all_scopes: Vec<String>,
}

/// Who the token speaks for: the values of the identity headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForwardIdentity {
    /// The username; the client id for a client-credentials token.
    pub user: String,
    pub sub: String,
    pub email: Option<String>,
    pub groups: Vec<String>,
    /// The token's app client; empty for a hosted-UI session.
    pub client_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ForwardAuthDecision {
    Allow(ForwardIdentity),
    /// No usable token: sign in (401, or a redirect to the login page).
    Unauthenticated,
    /// A good token that the rules refuse (403).
    Forbidden,
}

/// Decides on the bearer `token` or, without one, the hosted UI's `session` cookie, for
/// pool `pool_id`. A session belongs to the pool, not to a client, so `client_id` does not
/// apply to it; it carries no scopes, so `scopes` refuse it.
pub async fn forward_auth(
    cx: &Cx,
    pool_id: &str,
    token: Option<&str>,
    session: Option<&str>,
    rules: &ForwardAuthRules,
) -> Result<ForwardAuthDecision, Error> {
    let Some(token) = token else {
        return match session {
            Some(cookie) => session_decision(cx, pool_id, cookie, rules).await,
            None => Ok(ForwardAuthDecision::Unauthenticated),
        };
    };
    let live = match inspect_token(cx, token).await? {
        Some(live) if live.pool_id == pool_id => live,
        _ => return Ok(ForwardAuthDecision::Unauthenticated),
    };
    if rules
        .client_id
        .as_deref()
        .is_some_and(|c| c != live.client_id)
    {
        return Ok(ForwardAuthDecision::Unauthenticated);
    }
    Ok(decide(&live, rules))
}

async fn session_decision(
    cx: &Cx,
    pool_id: &str,
    cookie: &str,
    rules: &ForwardAuthRules,
) -> Result<ForwardAuthDecision, Error> {
    let Some((user, _)) = signed_in_user(cx, pool_id, cookie).await? else {
        return Ok(ForwardAuthDecision::Unauthenticated);
    };
    let Some(pool) = cx.store.get_user_pool(pool_id).await? else {
        return Ok(ForwardAuthDecision::Unauthenticated);
    };
    let groups: Vec<String> = user_groups(cx, &pool, &user)
        .await?
        .into_iter()
        .map(|g| g.name)
        .collect();
    let group_ok = rules.any_group.is_empty() || rules.any_group.iter().any(|g| groups.contains(g));
    if !group_ok || !rules.all_scopes.is_empty() {
        return Ok(ForwardAuthDecision::Forbidden);
    }
    Ok(ForwardAuthDecision::Allow(ForwardIdentity {
        email: user.attributes.get("email").cloned(),
        user: user.username,
        sub: user.sub,
        groups,
        client_id: String::new(),
    }))
}

fn decide(live: &LiveToken, rules: &ForwardAuthRules) -> ForwardAuthDecision {
    let groups = live.groups();
    let scopes = live.scopes();
    let group_ok =
        rules.any_group.is_empty() || rules.any_group.iter().any(|g| groups.contains(&g.as_str()));
    let scopes_ok = rules
        .all_scopes
        .iter()
        .all(|s| scopes.contains(&s.as_str()));
    if !group_ok || !scopes_ok {
        return ForwardAuthDecision::Forbidden;
    }
    let (user, sub, email) = match &live.user {
        Some(user) => (
            user.username.clone(),
            user.sub.clone(),
            user.attributes.get("email").cloned(),
        ),
        None => (live.client_id.clone(), live.client_id.clone(), None),
    };
    ForwardAuthDecision::Allow(ForwardIdentity {
        user,
        sub,
        email,
        groups: groups.into_iter().map(str::to_owned).collect(),
        client_id: live.client_id.clone(),
    })
}
