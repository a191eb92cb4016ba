//! A pool's effective settings, with Cognito's defaults where the pool has none stored.

use monban_wire::idp::{
    AliasAttributeType, PasswordPolicyType, UserPoolMfaType, UsernameAttributeType,
    VerifiedAttributeType,
};

use super::defaults::{default_password_policy, fill_password_policy};
use crate::entities::UserPool;

/// The password policy in force, every member filled (`MinimumLength`, the four
/// `Require*`, `TemporaryPasswordValidityDays`; `PasswordHistorySize` only when set).
pub fn password_policy(pool: &UserPool) -> PasswordPolicyType {
    match pool
        .config
        .policies
        .as_ref()
        .and_then(|p| p.password_policy.as_ref())
    {
        Some(policy) => fill_password_policy(policy),
        None => default_password_policy(),
    }
}

/// Whether usernames (and the email and preferred_username aliases) are case-sensitive.
/// Cognito's API default, when `UsernameConfiguration` was omitted, is true.
pub fn case_sensitive(pool: &UserPool) -> bool {
    pool.config
        .username_configuration
        .as_ref()
        .is_none_or(|c| c.case_sensitive)
}

/// `email` and/or `phone_number` when users sign up with those *as* their username.
pub fn username_attributes(pool: &UserPool) -> Vec<UsernameAttributeType> {
    pool.config.username_attributes.clone().unwrap_or_default()
}

/// Attributes users may also sign in with (`email`, `phone_number`, `preferred_username`).
pub fn alias_attributes(pool: &UserPool) -> Vec<AliasAttributeType> {
    pool.config.alias_attributes.clone().unwrap_or_default()
}

/// The attributes a code is sent to on sign-up.
pub fn auto_verified_attributes(pool: &UserPool) -> Vec<VerifiedAttributeType> {
    pool.config
        .auto_verified_attributes
        .clone()
        .unwrap_or_default()
}

/// `OFF`, `ON` or `OPTIONAL`.
pub fn mfa_configuration(pool: &UserPool) -> UserPoolMfaType {
    pool.config
        .mfa_configuration
        .unwrap_or(UserPoolMfaType::Off)
}
