use monban_wire::idp::{EmailMfaConfigType, UserPoolType, WebAuthnConfigurationType};
use serde::{Deserialize, Serialize};

/// A user pool. `config` holds every setting exactly as `DescribeUserPool` returns it;
/// the id, name, ARN, dates and user count are filled in on the way out.
#[derive(Debug, Clone, PartialEq)]
pub struct UserPool {
    pub id: String,
    pub name: String,
    pub created_ms: i64,
    pub modified_ms: i64,
    /// Optimistic concurrency: the version read; the store refuses an update from a stale one.
    pub version: i64,
    pub config: UserPoolType,
    /// Settings that `UserPoolType` has no member for.
    pub data: UserPoolData,
}

/// Pool settings that `DescribeUserPool` does not return (so they cannot live in `config`),
/// kept as a JSON document. New fields must default so that older rows still read.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UserPoolData {
    /// SMS is an enabled MFA factor (its message and SNS settings are in `config`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub sms_mfa_enabled: bool,
    /// `SetUserPoolMfaConfig`'s `SoftwareTokenMfaConfiguration.Enabled`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub software_token_mfa_enabled: bool,
    /// `SetUserPoolMfaConfig`'s `EmailMfaConfiguration`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_mfa: Option<EmailMfaConfigType>,
    /// `SetUserPoolMfaConfig`'s `WebAuthnConfiguration`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web_authn: Option<WebAuthnConfigurationType>,
}
