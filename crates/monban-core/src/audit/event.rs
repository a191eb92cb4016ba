//! What one audit record says. The field order is the serialized order, and the serialized
//! text is what the chain hashes: append fields at the end, with `#[serde(default)]`, so
//! that old records still parse.

use serde::{Deserialize, Serialize};

/// One API call or authentication event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    /// Unique id; AdminListUserAuthEvents' `EventId`.
    pub event_id: String,
    /// Milliseconds since the Unix epoch.
    pub time_ms: i64,
    /// The Cognito operation (`InitiateAuth`), or the server surface for events outside the
    /// JSON API (`HostedUI.SignIn`).
    pub operation: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pool_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub: Option<String>,
    /// As the caller gave it (a username, alias or sub) when the user is not known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_ip: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_agent: Option<String>,
    /// The IAM access key of an admin call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_key_id: Option<String>,
    pub outcome: Outcome,
    /// The Cognito exception name of a failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The authentication event this call was, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_event: Option<AuthEventKind>,
    /// The challenge a sign-in step issued (`outcome` is then `InProgress`), or the one it
    /// answered (RespondToAuthChallenge).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub challenge: Option<String>,
    /// What an admin change touched: attribute or setting names, never values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changed: Vec<String>,
    /// A Lambda trigger failed during the call.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub trigger_failure: bool,
    /// The messages the call queued (or had refused), by their ids in the mail log.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mail_ids: Vec<i64>,
}

impl AuditEvent {
    /// An event of `operation` at `time_ms` with nothing else known yet.
    pub fn new(event_id: String, time_ms: i64, operation: impl Into<String>) -> Self {
        Self {
            event_id,
            time_ms,
            operation: operation.into(),
            pool_id: None,
            client_id: None,
            sub: None,
            username: None,
            source_ip: None,
            user_agent: None,
            access_key_id: None,
            outcome: Outcome::Pass,
            error: None,
            auth_event: None,
            challenge: None,
            changed: Vec::new(),
            trigger_failure: false,
            mail_ids: Vec::new(),
        }
    }

    /// The text the chain hashes and the store keeps.
    pub fn to_body(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string(self)
    }

    pub fn from_body(body: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(body)
    }
}

/// How the call ended, in Cognito's `EventResponse` words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    Pass,
    Fail,
    /// A sign-in step that answered with a further challenge.
    InProgress,
}

/// The kinds of authentication event the issue lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AuthEventKind {
    SignIn,
    SignUp,
    ConfirmSignUp,
    ResendCode,
    ForgotPassword,
    PasswordReset,
    PasswordChange,
    TokenRefresh,
    Revocation,
    SignOut,
    MfaChange,
    /// An admin change to a user, group, client or pool.
    AdminChange,
    HostedUiSignIn,
}

impl AuthEventKind {
    /// The `EventType` AdminListUserAuthEvents reports it as, when Cognito reports such
    /// events at all.
    pub fn cognito_event_type(self) -> Option<monban_wire::idp::EventType> {
        use monban_wire::idp::EventType;
        match self {
            Self::SignIn | Self::HostedUiSignIn => Some(EventType::SignIn),
            Self::SignUp => Some(EventType::SignUp),
            Self::ForgotPassword | Self::PasswordReset => Some(EventType::ForgotPassword),
            Self::PasswordChange => Some(EventType::PasswordChange),
            Self::ResendCode => Some(EventType::ResendCode),
            Self::ConfirmSignUp
            | Self::TokenRefresh
            | Self::Revocation
            | Self::SignOut
            | Self::MfaChange
            | Self::AdminChange => None,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_body_round_trips_and_omits_what_is_unknown() {
        let mut event = AuditEvent::new("e1".into(), 1_700_000_000_000, "GetUser");
        event.pool_id = Some("us-east-1_A".into());
        event.changed = vec!["email".into()];
        let body = event.to_body().unwrap();
        assert_eq!(
            body,
            r#"{"event_id":"e1","time_ms":1700000000000,"operation":"GetUser","pool_id":"us-east-1_A","outcome":"Pass","changed":["email"]}"#
        );
        assert_eq!(AuditEvent::from_body(&body).unwrap(), event);
    }
}
