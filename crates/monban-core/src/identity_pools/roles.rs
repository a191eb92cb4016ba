//! Which role an identity's credentials are for, as Cognito decides it: the pool's default
//! roles, or the `RoleMappings` of the provider the user logged in with (`Token`: the
//! `cognito:preferred_role` / `cognito:roles` claims; `Rules`: the first rule whose claim
//! matches), with `AmbiguousRoleResolution` when a mapping finds no role.

use monban_wire::identity::{
    AmbiguousRoleResolutionType, MappingRule, MappingRuleMatchType, RoleMapping, RoleMappingType,
};
use serde_json::{Map, Value};

use super::logins::VerifiedLogin;
use crate::entities::IdentityPool;
use crate::error::{Error, ErrorKind};

pub const AUTHENTICATED: &str = "authenticated";
pub const UNAUTHENTICATED: &str = "unauthenticated";

/// Who asks for credentials.
#[derive(Debug, Clone, Copy)]
pub enum Principal<'a> {
    Guest,
    /// Logged in with these logins (in request order).
    LoggedIn(&'a [VerifiedLogin]),
    /// Holds monban's OpenID token from GetOpenIdTokenForDeveloperIdentity.
    OpenIdToken {
        authenticated: bool,
    },
}

pub fn invalid_configuration() -> Error {
    Error::new(
        ErrorKind::InvalidIdentityPoolConfigurationException,
        "Invalid identity pool configuration. Check assigned IAM roles for this pool.",
    )
}

fn denied() -> Error {
    Error::not_authorized("The ambiguous role mapping rules denied this request.")
}

fn role_not_granted(role: &str) -> Error {
    Error::not_authorized(format!(
        "The role {role} in CustomRoleArn is not one the login grants."
    ))
}

/// The role of `principal` in `pool`; `custom_role_arn` picks one among those a mapping
/// allows.
pub fn resolve_role(
    pool: &IdentityPool,
    principal: Principal<'_>,
    custom_role_arn: Option<&str>,
) -> Result<String, Error> {
    let default_role = |kind: &str| {
        pool.data
            .roles
            .get(kind)
            .cloned()
            .ok_or_else(invalid_configuration)
    };
    let logins = match principal {
        Principal::Guest
        | Principal::OpenIdToken {
            authenticated: false,
        } => return default_role(UNAUTHENTICATED),
        Principal::OpenIdToken {
            authenticated: true,
        } => return default_role(AUTHENTICATED),
        Principal::LoggedIn(logins) => logins,
    };
    let mapped = logins.iter().find_map(|login| {
        pool.data
            .role_mappings
            .get(&login.role_mapping_key)
            .map(|mapping| (mapping, login))
    });
    let Some((mapping, login)) = mapped else {
        return default_role(AUTHENTICATED);
    };
    match mapped_role(mapping, &login.claims, custom_role_arn)? {
        Some(role) => Ok(role),
        None => match mapping.ambiguous_role_resolution {
            Some(AmbiguousRoleResolutionType::AuthenticatedRole) => default_role(AUTHENTICATED),
            Some(AmbiguousRoleResolutionType::Deny) | None => Err(denied()),
        },
    }
}

/// The role a mapping gives for these claims; `None` when it is ambiguous.
fn mapped_role(
    mapping: &RoleMapping,
    claims: &Map<String, Value>,
    custom_role_arn: Option<&str>,
) -> Result<Option<String>, Error> {
    match mapping.r#type {
        RoleMappingType::Token => {
            let roles = claim_values(claims.get("cognito:roles"));
            if let Some(custom) = custom_role_arn {
                return if roles.iter().any(|r| r == custom) {
                    Ok(Some(custom.to_owned()))
                } else {
                    Err(role_not_granted(custom))
                };
            }
            Ok(claims
                .get("cognito:preferred_role")
                .and_then(Value::as_str)
                .map(str::to_owned))
        }
        RoleMappingType::Rules => {
            let rules = mapping
                .rules_configuration
                .as_ref()
                .map(|c| c.rules.as_slice())
                .unwrap_or_default();
            let mut matching = rules.iter().filter(|rule| rule_matches(rule, claims));
            match custom_role_arn {
                Some(custom) => {
                    if matching.any(|rule| rule.role_arn == custom) {
                        Ok(Some(custom.to_owned()))
                    } else {
                        Err(role_not_granted(custom))
                    }
                }
                None => Ok(matching.next().map(|rule| rule.role_arn.clone())),
            }
        }
    }
}

/// Whether the claim of `rule` is present and matches. A claim with several values (an
/// array, like `cognito:groups`) matches if one of them does (`NotEqual`: if none equals).
fn rule_matches(rule: &MappingRule, claims: &Map<String, Value>) -> bool {
    let Some(claim) = claims.get(&rule.claim) else {
        return false;
    };
    let values = claim_values(Some(claim));
    let value = rule.value.as_str();
    match rule.match_type {
        MappingRuleMatchType::Equals => values.iter().any(|v| v == value),
        MappingRuleMatchType::Contains => values.iter().any(|v| v.contains(value)),
        MappingRuleMatchType::StartsWith => values.iter().any(|v| v.starts_with(value)),
        MappingRuleMatchType::NotEqual => !values.iter().any(|v| v == value),
    }
}

/// A claim as strings: `true` for a boolean, `7` for a number, each element of an array.
fn claim_values(claim: Option<&Value>) -> Vec<String> {
    fn one(value: &Value) -> Option<String> {
        match value {
            Value::String(s) => Some(s.clone()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }
    match claim {
        Some(Value::Array(values)) => values.iter().filter_map(one).collect(),
        Some(value) => one(value).into_iter().collect(),
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::collections::BTreeMap;

    use monban_wire::identity::RulesConfigurationType;
    use serde_json::json;

    use super::*;
    use crate::entities::IdentityLogin;

    const AUTH: &str = "arn:aws:iam::1:role/auth";
    const UNAUTH: &str = "arn:aws:iam::1:role/unauth";
    const KEY: &str = "127.0.0.1:9876/us-east-1_A:client1";

    fn pool(mapping: Option<RoleMapping>) -> IdentityPool {
        let mut pool = IdentityPool {
            id: "us-east-1:1".to_owned(),
            name: "p".to_owned(),
            created_ms: 0,
            modified_ms: 0,
            version: 1,
            config: Default::default(),
            data: Default::default(),
        };
        pool.data.roles = BTreeMap::from([
            (AUTHENTICATED.to_owned(), AUTH.to_owned()),
            (UNAUTHENTICATED.to_owned(), UNAUTH.to_owned()),
        ]);
        if let Some(mapping) = mapping {
            pool.data.role_mappings.insert(KEY.to_owned(), mapping);
        }
        pool
    }

    fn login(claims: Value) -> Vec<VerifiedLogin> {
        vec![VerifiedLogin {
            login: IdentityLogin::new("127.0.0.1:9876/us-east-1_A", "sub"),
            role_mapping_key: KEY.to_owned(),
            claims: claims.as_object().cloned().unwrap(),
            amr_entry: String::new(),
        }]
    }

    fn rule(claim: &str, match_type: MappingRuleMatchType, value: &str, role: &str) -> MappingRule {
        MappingRule {
            claim: claim.to_owned(),
            match_type,
            value: value.to_owned(),
            role_arn: role.to_owned(),
        }
    }

    fn rules(rules: Vec<MappingRule>, ambiguous: AmbiguousRoleResolutionType) -> RoleMapping {
        RoleMapping {
            r#type: RoleMappingType::Rules,
            ambiguous_role_resolution: Some(ambiguous),
            rules_configuration: Some(RulesConfigurationType { rules }),
        }
    }

    fn token(ambiguous: AmbiguousRoleResolutionType) -> RoleMapping {
        RoleMapping {
            r#type: RoleMappingType::Token,
            ambiguous_role_resolution: Some(ambiguous),
            rules_configuration: None,
        }
    }

    #[test]
    fn default_roles_by_kind_of_principal() {
        let p = pool(None);
        assert_eq!(resolve_role(&p, Principal::Guest, None).unwrap(), UNAUTH);
        let l = login(json!({}));
        assert_eq!(
            resolve_role(&p, Principal::LoggedIn(&l), None).unwrap(),
            AUTH
        );
        assert_eq!(
            resolve_role(
                &p,
                Principal::OpenIdToken {
                    authenticated: true
                },
                None
            )
            .unwrap(),
            AUTH
        );
        let mut bare = pool(None);
        bare.data.roles.clear();
        let e = resolve_role(&bare, Principal::Guest, None).unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidIdentityPoolConfigurationException);
        let e = resolve_role(&bare, Principal::LoggedIn(&l), None).unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidIdentityPoolConfigurationException);
    }

    #[test]
    fn rules_pick_the_first_match_on_any_claim() {
        let p = pool(Some(rules(
            vec![
                rule(
                    "custom:department",
                    MappingRuleMatchType::Equals,
                    "sales",
                    "arn:r/sales",
                ),
                rule(
                    "cognito:groups",
                    MappingRuleMatchType::Contains,
                    "adm",
                    "arn:r/admin",
                ),
                rule(
                    "email",
                    MappingRuleMatchType::StartsWith,
                    "boss@",
                    "arn:r/boss",
                ),
                rule(
                    "email_verified",
                    MappingRuleMatchType::Equals,
                    "true",
                    "arn:r/verified",
                ),
                rule("tier", MappingRuleMatchType::NotEqual, "free", "arn:r/paid"),
            ],
            AmbiguousRoleResolutionType::Deny,
        )));
        let cases = [
            (
                json!({"custom:department": "sales", "cognito:groups": ["admins"]}),
                "arn:r/sales",
            ),
            (
                json!({"custom:department": "ops", "cognito:groups": ["x", "sysadmins"]}),
                "arn:r/admin",
            ),
            (json!({"email": "boss@example.com"}), "arn:r/boss"),
            (json!({"email_verified": true}), "arn:r/verified"),
            (json!({"tier": "gold"}), "arn:r/paid"),
        ];
        for (claims, role) in cases {
            let l = login(claims.clone());
            assert_eq!(
                resolve_role(&p, Principal::LoggedIn(&l), None).unwrap(),
                role,
                "{claims}"
            );
        }
        // An absent claim matches nothing, not even NotEqual.
        let l = login(json!({"tier": "free", "custom:department": "SALES"}));
        let e = resolve_role(&p, Principal::LoggedIn(&l), None).unwrap_err();
        assert_eq!(e.kind, ErrorKind::NotAuthorizedException);
        assert_eq!(
            e.message,
            "The ambiguous role mapping rules denied this request."
        );
        // CustomRoleArn picks among the matching rules, and only those.
        let l = login(json!({"custom:department": "sales", "cognito:groups": ["admins"]}));
        assert_eq!(
            resolve_role(&p, Principal::LoggedIn(&l), Some("arn:r/admin")).unwrap(),
            "arn:r/admin"
        );
        let e = resolve_role(&p, Principal::LoggedIn(&l), Some("arn:r/boss")).unwrap_err();
        assert_eq!(e.kind, ErrorKind::NotAuthorizedException);
    }

    #[test]
    fn ambiguous_rules_fall_back_to_the_authenticated_role() {
        let p = pool(Some(rules(
            vec![rule("x", MappingRuleMatchType::Equals, "y", "arn:r/x")],
            AmbiguousRoleResolutionType::AuthenticatedRole,
        )));
        let l = login(json!({"x": "z"}));
        assert_eq!(
            resolve_role(&p, Principal::LoggedIn(&l), None).unwrap(),
            AUTH
        );
    }

    #[test]
    fn token_mappings_use_the_preferred_role_or_the_custom_one() {
        let p = pool(Some(token(AmbiguousRoleResolutionType::Deny)));
        let l = login(json!({
            "cognito:roles": ["arn:r/a", "arn:r/b"],
            "cognito:preferred_role": "arn:r/a",
        }));
        assert_eq!(
            resolve_role(&p, Principal::LoggedIn(&l), None).unwrap(),
            "arn:r/a"
        );
        assert_eq!(
            resolve_role(&p, Principal::LoggedIn(&l), Some("arn:r/b")).unwrap(),
            "arn:r/b"
        );
        assert!(resolve_role(&p, Principal::LoggedIn(&l), Some("arn:r/c")).is_err());
        // Two roles and no preferred one: ambiguous.
        let tied = login(json!({"cognito:roles": ["arn:r/a", "arn:r/b"]}));
        let e = resolve_role(&p, Principal::LoggedIn(&tied), None).unwrap_err();
        assert_eq!(e.kind, ErrorKind::NotAuthorizedException);
        let lenient = pool(Some(token(AmbiguousRoleResolutionType::AuthenticatedRole)));
        assert_eq!(
            resolve_role(&lenient, Principal::LoggedIn(&tied), None).unwrap(),
            AUTH
        );
        // A mapping for another provider key does not apply.
        let mut elsewhere = pool(None);
        elsewhere.data.role_mappings.insert(
            "other:client".to_owned(),
            token(AmbiguousRoleResolutionType::Deny),
        );
        assert_eq!(
            resolve_role(&elsewhere, Principal::LoggedIn(&tied), None).unwrap(),
            AUTH
        );
    }
}
