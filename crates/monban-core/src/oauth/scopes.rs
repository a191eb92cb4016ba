//! Scopes: the reserved ones every pool has and `{identifier}/{scope}` of the pool's
//! resource servers; what a request may be granted of what the client allows.

use super::error::{OAuthError, OAuthErrorCode};
use crate::entities::AppClient;
use crate::error::Error;
use crate::pool_config::STANDARD_SCOPES;
use crate::Cx;

pub const OPENID: &str = "openid";

pub fn is_reserved_scope(scope: &str) -> bool {
    STANDARD_SCOPES.contains(&scope)
}

/// Every `{identifier}/{scope}` the pool's resource servers define.
pub async fn custom_scopes_of_pool(cx: &Cx, pool_id: &str) -> Result<Vec<String>, Error> {
    const PAGE: usize = 100;
    let mut scopes = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = cx
            .store
            .list_resource_servers(pool_id, after.as_deref(), PAGE)
            .await?;
        let full = page.len() == PAGE;
        after = page.last().map(|s| s.identifier.clone());
        scopes.extend(
            page.iter()
                .flat_map(|s| s.full_scopes().collect::<Vec<_>>()),
        );
        if !full {
            return Ok(scopes);
        }
    }
}

/// The `scope` parameter as a list; `None` when absent or empty. A scope with characters
/// the model's `ScopeType` pattern (`[\x21\x23-\x5B\x5D-\x7E]+`) excludes is
/// `invalid_scope`.
pub fn parse_scope_param(param: Option<&str>) -> Result<Option<Vec<String>>, OAuthError> {
    let Some(param) = param else {
        return Ok(None);
    };
    let scopes: Vec<String> = param
        .split(' ')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    let well_formed = |s: &String| {
        s.len() <= 256
            && s.bytes()
                .all(|b| (0x21..=0x7e).contains(&b) && b != b'"' && b != b'\\')
    };
    if !scopes.iter().all(well_formed) {
        return Err(OAuthError::new(OAuthErrorCode::InvalidScope));
    }
    Ok((!scopes.is_empty()).then_some(scopes))
}

/// The scopes a user sign-in (`/oauth2/authorize`) grants: those requested that the
/// client allows (unknown ones are dropped, as Cognito does), or all the client allows
/// when none is requested; `email`, `phone` and `profile` only with `openid`; custom
/// scopes only while their resource server defines them.
pub fn requested_scopes(
    client: &AppClient,
    requested: Option<&[String]>,
    custom_scopes: &[String],
) -> Vec<String> {
    let allowed = client
        .config
        .allowed_o_auth_scopes
        .as_deref()
        .unwrap_or_default();
    let exists = |s: &String| is_reserved_scope(s) || custom_scopes.contains(s);
    let mut granted: Vec<String> = match requested {
        Some(requested) => requested
            .iter()
            .filter(|s| allowed.contains(s) && exists(s))
            .cloned()
            .collect(),
        None => allowed.iter().filter(|s| exists(s)).cloned().collect(),
    };
    granted.dedup();
    if !granted.iter().any(|s| s == OPENID) {
        granted.retain(|s| !matches!(s.as_str(), "email" | "phone" | "profile"));
    }
    granted
}

/// Whether OAuth-issued claims (the ID token, userInfo) include attribute `name`, given
/// the granted `scopes`. `openid` alone selects every attribute the client can read;
/// with `email`, `phone` or `profile` only those groups: `email`/`email_verified`,
/// `phone_number`/`phone_number_verified`, everything else (custom attributes included)
/// under `profile` (developer guide, "The user attributes endpoint": scopes and their
/// effect on the response).
pub fn scopes_select_attribute<'a>(
    scopes: impl IntoIterator<Item = &'a str> + Clone,
    name: &str,
) -> bool {
    let has = |wanted: &str| scopes.clone().into_iter().any(|s| s == wanted);
    if !has("email") && !has("phone") && !has("profile") {
        return true;
    }
    match name {
        "email" | "email_verified" => has("email"),
        "phone_number" | "phone_number_verified" => has("phone"),
        _ => has("profile"),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use monban_wire::idp::UserPoolClientType;

    use super::*;

    fn client(scopes: &[&str]) -> AppClient {
        AppClient {
            pool_id: "us-east-1_AbC".to_owned(),
            client_id: "c".to_owned(),
            name: "c".to_owned(),
            secret: None,
            created_ms: 0,
            modified_ms: 0,
            version: 1,
            config: UserPoolClientType {
                allowed_o_auth_scopes: Some(scopes.iter().map(|s| (*s).to_owned()).collect()),
                ..Default::default()
            },
        }
    }

    #[test]
    fn unknown_and_unallowed_scopes_are_dropped() {
        let c = client(&["openid", "email", "api/read", "api/gone"]);
        let custom = vec!["api/read".to_owned(), "api/write".to_owned()];
        let req: Vec<String> = ["openid", "email", "api/read", "api/write", "nope"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        assert_eq!(
            requested_scopes(&c, Some(&req), &custom),
            ["openid", "email", "api/read"]
        );
        // None requested: all the client allows that exist.
        assert_eq!(
            requested_scopes(&c, None, &custom),
            ["openid", "email", "api/read"]
        );
    }

    #[test]
    fn email_needs_openid() {
        let c = client(&["openid", "email"]);
        let req = vec!["email".to_owned()];
        assert!(requested_scopes(&c, Some(&req), &[]).is_empty());
    }

    #[test]
    fn attribute_claims_follow_the_scopes() {
        let only_openid = ["openid"];
        assert!(scopes_select_attribute(only_openid, "name"));
        assert!(scopes_select_attribute(only_openid, "email"));
        let email = ["openid", "email"];
        assert!(scopes_select_attribute(email, "email_verified"));
        assert!(!scopes_select_attribute(email, "name"));
        assert!(!scopes_select_attribute(email, "phone_number"));
        let profile = ["openid", "profile"];
        assert!(scopes_select_attribute(profile, "custom:dept"));
        assert!(!scopes_select_attribute(profile, "email"));
    }

    #[test]
    fn malformed_scope_is_invalid_scope() {
        assert_eq!(
            parse_scope_param(Some("a\\b")).unwrap_err().code,
            OAuthErrorCode::InvalidScope
        );
        assert_eq!(parse_scope_param(Some(" ")).unwrap(), None);
        assert_eq!(
            parse_scope_param(Some("openid  x/y")).unwrap().unwrap(),
            ["openid", "x/y"]
        );
    }
}
