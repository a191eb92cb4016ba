//! Pre token generation (V1: ID token claims and groups; V2/V3: both tokens, JSON claim
//! values, scopes), run by `tokens` on the claims it is about to sign.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::{fire_at, response, CallContext, PreTokenVersion, Trigger, TriggerEvent};
use crate::entities::{User, UserPool};
use crate::error::Error;
use crate::Cx;

/// Claims no function may add, change or suppress (the developer guide's list).
const PROTECTED: &[&str] = &[
    "acr",
    "amr",
    "aud",
    "at_hash",
    "auth_time",
    "azp",
    "cognito:username",
    "exp",
    "iat",
    "identities",
    "iss",
    "jti",
    "nbf",
    "nonce",
    "origin_jti",
    "sub",
    "token_use",
    // Changed through scopesToAdd / scopesToSuppress only.
    "scope",
];

/// What issued the tokens: the `TokenGeneration_*` trigger source.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TokenSource {
    HostedAuth,
    #[default]
    Authentication,
    NewPasswordChallenge,
    AuthenticateDevice,
    RefreshTokens,
}

impl TokenSource {
    pub fn trigger_source(self) -> &'static str {
        match self {
            Self::HostedAuth => "TokenGeneration_HostedAuth",
            Self::Authentication => "TokenGeneration_Authentication",
            Self::NewPasswordChallenge => "TokenGeneration_NewPasswordChallenge",
            Self::AuthenticateDevice => "TokenGeneration_AuthenticateDevice",
            Self::RefreshTokens => "TokenGeneration_RefreshTokens",
        }
    }
}

/// How tokens are being issued, for the trigger: the source and the call's
/// `ClientMetadata` (only RespondToAuthChallenge, GetTokensFromRefreshToken and
/// REFRESH_TOKEN_AUTH pass it on to this trigger).
#[derive(Debug, Clone, Copy, Default)]
pub struct TokenTrigger<'a> {
    pub source: TokenSource,
    pub client_metadata: Option<&'a BTreeMap<String, String>>,
}

/// Runs the pool's pre token generation trigger, if any, and applies its answer to the
/// ID and access token claims.
pub async fn pre_token_generation(
    cx: &Cx,
    pool: &UserPool,
    client_id: &str,
    user: &User,
    trigger: TokenTrigger<'_>,
    id: &mut Map<String, Value>,
    access: &mut Map<String, Value>,
) -> Result<(), Error> {
    let Some(target) = Trigger::PreTokenGeneration.target(pool) else {
        return Ok(());
    };
    let version = PreTokenVersion::of(pool);
    let strings = |claim: &str| -> Value {
        match id.get(claim) {
            Some(Value::Array(items)) => Value::Array(items.clone()),
            _ => Value::Array(Vec::new()),
        }
    };
    let group_configuration = serde_json::json!({
        "groupsToOverride": strings("cognito:groups"),
        "iamRolesToOverride": strings("cognito:roles"),
        "preferredRole": id.get("cognito:preferred_role").cloned().unwrap_or(Value::Null),
    });
    let mut event = TriggerEvent::new(pool, trigger.source.trigger_source())
        .version(version.event_version())
        .user_name(&user.username)
        .user_attributes(user)
        .request("groupConfiguration", group_configuration);
    let details_key = match version {
        PreTokenVersion::V1 => "claimsOverrideDetails",
        PreTokenVersion::V2 | PreTokenVersion::V3 => {
            let scopes: Vec<Value> = scopes(access).into_iter().map(Value::from).collect();
            event = event.request("scopes", Value::Array(scopes));
            "claimsAndScopeOverrideDetails"
        }
    };
    let event = CallContext::new(Some(client_id), trigger.client_metadata)
        .apply(event.initial_response(details_key, Value::Null));
    let answer = fire_at(cx, target, Trigger::PreTokenGeneration, event).await?;
    let Some(details) = response::object(&answer, details_key)? else {
        return Ok(());
    };
    match version {
        PreTokenVersion::V1 => apply_v1(details, id, access),
        PreTokenVersion::V2 | PreTokenVersion::V3 => apply_v2(details, id, access),
    }
}

/// Pre token generation for a machine-to-machine access token (client credentials): only
/// a V3 function is called (triggers.md), with `TokenGeneration_ClientCredentials`, no
/// user, the granted `scopes` and the request's `aws_client_metadata`; its answer may edit
/// the access token's claims and scopes.
pub async fn pre_token_generation_m2m(
    cx: &Cx,
    pool: &UserPool,
    client_id: &str,
    client_metadata: Option<&BTreeMap<String, String>>,
    access: &mut Map<String, Value>,
) -> Result<(), Error> {
    let Some(target) = Trigger::PreTokenGeneration.target(pool) else {
        return Ok(());
    };
    let version = PreTokenVersion::of(pool);
    if version != PreTokenVersion::V3 {
        return Ok(());
    }
    const DETAILS: &str = "claimsAndScopeOverrideDetails";
    let granted: Vec<Value> = scopes(access).into_iter().map(Value::from).collect();
    let event = TriggerEvent::new(pool, "TokenGeneration_ClientCredentials")
        .version(version.event_version())
        .request("scopes", Value::Array(granted));
    let event = CallContext::new(Some(client_id), client_metadata)
        .apply(event.initial_response(DETAILS, Value::Null));
    let answer = fire_at(cx, target, Trigger::PreTokenGeneration, event).await?;
    let Some(details) = response::object(&answer, DETAILS)? else {
        return Ok(());
    };
    // There is no ID token: what the function says about one goes nowhere.
    apply_v2(details, &mut Map::new(), access)
}

/// `claimsOverrideDetails`: string claims for the ID token, and groups.
pub(super) fn apply_v1(
    details: &Map<String, Value>,
    id: &mut Map<String, Value>,
    access: &mut Map<String, Value>,
) -> Result<(), Error> {
    let add = response::string_map(details, "claimsToAddOrOverride")?.unwrap_or_default();
    let add = add
        .into_iter()
        .map(|(k, v)| (k, Value::String(v)))
        .collect();
    let suppress = response::string_list(details, "claimsToSuppress")?.unwrap_or_default();
    edit_claims(id, add, &suppress);
    if let Some(groups) = response::object(details, "groupOverrideDetails")? {
        override_groups(groups, id, access)?;
    }
    Ok(())
}

/// `claimsAndScopeOverrideDetails`: claims of any JSON type for each token, scopes of the
/// access token, and groups.
pub(super) fn apply_v2(
    details: &Map<String, Value>,
    id: &mut Map<String, Value>,
    access: &mut Map<String, Value>,
) -> Result<(), Error> {
    for (key, claims) in [
        ("idTokenGeneration", &mut *id),
        ("accessTokenGeneration", &mut *access),
    ] {
        let Some(generation) = response::object(details, key)? else {
            continue;
        };
        let add = response::object(generation, "claimsToAddOrOverride")?
            .cloned()
            .unwrap_or_default();
        let suppress = response::string_list(generation, "claimsToSuppress")?.unwrap_or_default();
        edit_claims(claims, add, &suppress);
    }
    if let Some(generation) = response::object(details, "accessTokenGeneration")? {
        let add = response::string_list(generation, "scopesToAdd")?.unwrap_or_default();
        let suppress = response::string_list(generation, "scopesToSuppress")?.unwrap_or_default();
        if !add.is_empty() || !suppress.is_empty() {
            let mut current = scopes(access);
            for scope in add {
                if !scope.is_empty() && !scope.contains(' ') && !current.contains(&scope) {
                    current.push(scope);
                }
            }
            current.retain(|s| !suppress.contains(s));
            access.insert("scope".into(), Value::from(current.join(" ")));
        }
    }
    if let Some(groups) = response::object(details, "groupOverrideDetails")? {
        override_groups(groups, id, access)?;
    }
    Ok(())
}

/// Adds then suppresses (suppression wins), leaving protected claims alone.
fn edit_claims(claims: &mut Map<String, Value>, add: Map<String, Value>, suppress: &[String]) {
    for (name, value) in add {
        if !PROTECTED.contains(&name.as_str()) {
            claims.insert(name, value);
        }
    }
    for name in suppress {
        if !PROTECTED.contains(&name.as_str()) {
            claims.remove(name);
        }
    }
}

/// `groupOverrideDetails` replaces `cognito:groups` (both tokens), `cognito:roles` and
/// `cognito:preferred_role` (ID token); a member left out or empty removes its claim.
fn override_groups(
    groups: &Map<String, Value>,
    id: &mut Map<String, Value>,
    access: &mut Map<String, Value>,
) -> Result<(), Error> {
    let names = response::string_list(groups, "groupsToOverride")?.unwrap_or_default();
    let roles = response::string_list(groups, "iamRolesToOverride")?.unwrap_or_default();
    let preferred = response::string(groups, "preferredRole")?;
    for claims in [&mut *id, &mut *access] {
        set_or_remove(
            claims,
            "cognito:groups",
            (!names.is_empty()).then(|| names.clone().into()),
        );
    }
    set_or_remove(
        id,
        "cognito:roles",
        (!roles.is_empty()).then(|| roles.into()),
    );
    set_or_remove(id, "cognito:preferred_role", preferred.map(Value::from));
    Ok(())
}

fn set_or_remove(claims: &mut Map<String, Value>, name: &str, value: Option<Value>) {
    match value {
        Some(v) => {
            claims.insert(name.to_owned(), v);
        }
        None => {
            claims.remove(name);
        }
    }
}

fn scopes(access: &Map<String, Value>) -> Vec<String> {
    access
        .get("scope")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .split(' ')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}
