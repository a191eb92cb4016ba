//! What each operation is, for the audit trail: the authentication event it is, whether it
//! changes something, and whether its response names the user.

use monban_core::audit::AuthEventKind;
use serde_json::Value;

const MFA_CHANGES: &[&str] = &[
    "AssociateSoftwareToken",
    "VerifySoftwareToken",
    "SetUserMFAPreference",
    "AdminSetUserMFAPreference",
    "SetUserSettings",
    "AdminSetUserSettings",
    "AdminDeleteSoftwareToken",
];

/// Operations that only read.
fn reads(op: &str) -> bool {
    ["Describe", "Get", "List", "AdminGet", "AdminList", "Lookup"]
        .iter()
        .any(|prefix| op.starts_with(prefix))
}

/// The authentication event `op` is (`request` tells a refresh from a sign-in).
pub fn auth_event(op: &str, request: &Value, iam: bool) -> Option<AuthEventKind> {
    use AuthEventKind::*;
    Some(match op {
        "InitiateAuth" | "AdminInitiateAuth" => {
            match request.get("AuthFlow").and_then(Value::as_str) {
                Some("REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN") => TokenRefresh,
                _ => SignIn,
            }
        }
        "RespondToAuthChallenge" | "AdminRespondToAuthChallenge" => SignIn,
        "GetTokensFromRefreshToken" => TokenRefresh,
        "RevokeToken" => Revocation,
        "GlobalSignOut" | "AdminUserGlobalSignOut" => SignOut,
        "ChangePassword" => PasswordChange,
        "ForgotPassword" => ForgotPassword,
        // The admin's own password operations stay admin changes (below): Cognito does
        // not list them among the user's auth events.
        "ConfirmForgotPassword" => PasswordReset,
        "SignUp" => SignUp,
        "ConfirmSignUp" | "AdminConfirmSignUp" => ConfirmSignUp,
        "ResendConfirmationCode" => ResendCode,
        _ if MFA_CHANGES.contains(&op) => MfaChange,
        _ if iam && !reads(op) => AdminChange,
        _ => return None,
    })
}

/// Whether `op` changes state, so that the names of what it touched are recorded.
pub fn changes(op: &str) -> bool {
    !reads(op)
        && !matches!(
            op,
            "InitiateAuth"
                | "AdminInitiateAuth"
                | "RespondToAuthChallenge"
                | "AdminRespondToAuthChallenge"
                | "GetTokensFromRefreshToken"
        )
}

/// Whether the response names the user (tokens, `UserSub`, a created user): worth
/// reading back for the record.
pub fn response_names_user(op: &str) -> bool {
    matches!(
        op,
        "InitiateAuth"
            | "AdminInitiateAuth"
            | "RespondToAuthChallenge"
            | "AdminRespondToAuthChallenge"
            | "GetTokensFromRefreshToken"
            | "SignUp"
            | "AdminCreateUser"
    )
}

/// Request members that say *which* thing a call is about, not what changed.
const IDENTIFYING: &[&str] = &[
    "UserPoolId",
    "ClientId",
    "Username",
    "AccessToken",
    "SecretHash",
    "Session",
    "ClientMetadata",
    "AnalyticsMetadata",
    "UserContextData",
];

/// The names of what a change touched: attribute names when the request carries
/// attributes, else the request's member names. Never a value.
pub fn changed_names(request: &Value) -> Vec<String> {
    let names_in = |member: &str| -> Option<Vec<String>> {
        let list = request.get(member)?.as_array()?;
        Some(
            list.iter()
                .filter_map(|item| match item {
                    Value::String(name) => Some(name.clone()),
                    other => other.get("Name")?.as_str().map(str::to_owned),
                })
                .collect(),
        )
    };
    if let Some(names) = names_in("UserAttributes").or_else(|| names_in("UserAttributeNames")) {
        return names;
    }
    let Some(members) = request.as_object() else {
        return Vec::new();
    };
    members
        .keys()
        .filter(|k| !IDENTIFYING.contains(&k.as_str()))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn operations_are_classified() {
        let none = json!({});
        assert_eq!(
            auth_event("InitiateAuth", &json!({"AuthFlow": "USER_SRP_AUTH"}), false),
            Some(AuthEventKind::SignIn)
        );
        assert_eq!(
            auth_event(
                "InitiateAuth",
                &json!({"AuthFlow": "REFRESH_TOKEN_AUTH"}),
                false
            ),
            Some(AuthEventKind::TokenRefresh)
        );
        assert_eq!(
            auth_event("UpdateGroup", &none, true),
            Some(AuthEventKind::AdminChange)
        );
        assert_eq!(auth_event("AdminGetUser", &none, true), None);
        assert_eq!(auth_event("GetUser", &none, false), None);
        assert!(!changes("ListUsers"));
        assert!(changes("UpdateUserPoolClient"));
    }

    #[test]
    fn changed_names_never_carry_values() {
        let req = json!({
            "UserPoolId": "p",
            "Username": "alice",
            "UserAttributes": [{"Name": "email", "Value": "a@example.com"}]
        });
        assert_eq!(changed_names(&req), vec!["email"]);
        let req = json!({"UserPoolId": "p", "Username": "a", "Password": "Secret-123", "Permanent": true});
        assert_eq!(changed_names(&req), vec!["Password", "Permanent"]);
        let req = json!({"AccessToken": "t", "UserAttributeNames": ["nickname"]});
        assert_eq!(changed_names(&req), vec!["nickname"]);
    }
}
