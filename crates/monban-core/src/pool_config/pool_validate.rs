//! The rules Cognito applies to a pool's settings on create and update.

use std::collections::BTreeSet;

use monban_wire::idp::{
    AliasAttributeType, EmailSendingAccountType, RecoveryOptionNameType, UserPoolType,
};

use crate::error::Error;

/// Checks a pool's configuration (defaults already filled). MFA is checked apart, by
/// [`super::mfa`], because it depends on the factors set with SetUserPoolMfaConfig.
pub fn validate_pool_config(config: &UserPoolType) -> Result<(), Error> {
    let usernames = config.username_attributes.as_deref().unwrap_or_default();
    let aliases = config.alias_attributes.as_deref().unwrap_or_default();
    if !usernames.is_empty() && !aliases.is_empty() {
        return Err(Error::invalid_parameter(
            "Only one of AliasAttributes and UsernameAttributes can be set in a User Pool.",
        ));
    }
    if aliases.contains(&AliasAttributeType::PreferredUsername)
        && config
            .schema_attributes
            .iter()
            .flatten()
            .any(|a| a.name.as_deref() == Some("preferred_username") && a.required == Some(true))
    {
        return Err(Error::invalid_parameter(
            "preferred_username cannot be both an alias and a required attribute.",
        ));
    }
    if let Some(email) = &config.email_configuration {
        if email.email_sending_account == Some(EmailSendingAccountType::Developer)
            && email.source_arn.is_none()
        {
            return Err(Error::invalid_parameter(
                "EmailConfiguration with EmailSendingAccount DEVELOPER requires a SourceArn.",
            ));
        }
    }
    if let Some(recovery) = &config.account_recovery_setting {
        let mechanisms = recovery.recovery_mechanisms.as_deref().unwrap_or_default();
        let names: BTreeSet<_> = mechanisms.iter().map(|m| m.name).collect();
        let priorities: BTreeSet<_> = mechanisms.iter().map(|m| m.priority).collect();
        if names.len() != mechanisms.len() || priorities.len() != mechanisms.len() {
            return Err(Error::invalid_parameter(
                "AccountRecoverySetting cannot name a mechanism or a priority twice.",
            ));
        }
        if names.contains(&RecoveryOptionNameType::AdminOnly) && names.len() > 1 {
            return Err(Error::invalid_parameter(
                "admin_only cannot be combined with other recovery mechanisms.",
            ));
        }
    }
    Ok(())
}
