//! An identity pool's settings as CreateIdentityPool and UpdateIdentityPool take them and
//! DescribeIdentityPool returns them, and SetIdentityPoolRoles' roles and mappings: their
//! checks.

use std::collections::BTreeMap;

use monban_wire::identity::{IdentityPool as IdentityPoolConfig, RoleMapping, RoleMappingType};

use super::providers::{oidc_provider_name, user_pool_of_provider_name, COGNITO_IDENTITY_PROVIDER};
use super::roles::{AUTHENTICATED, UNAUTHENTICATED};
use crate::cx::Settings;
use crate::entities::IdentityPool;
use crate::error::{Error, ErrorKind};

/// User pools an identity pool may name (Cognito's quota).
const MAX_USER_POOL_PROVIDERS: usize = 50;
/// Tags an identity pool may have.
pub const MAX_TAGS: usize = 50;
/// Rules a `Rules` role mapping may have (the developer guide's limit).
const MAX_RULES: usize = 25;

/// Checks the providers and tags of a pool's settings.
pub fn validate_config(settings: &Settings, config: &IdentityPoolConfig) -> Result<(), Error> {
    let providers = config
        .cognito_identity_providers
        .as_deref()
        .unwrap_or_default();
    if providers.len() > MAX_USER_POOL_PROVIDERS {
        return Err(Error::new(
            ErrorKind::LimitExceededException,
            format!(
                "An identity pool can have at most {MAX_USER_POOL_PROVIDERS} user pool providers."
            ),
        ));
    }
    for provider in providers {
        let Some(name) = provider.provider_name.as_deref() else {
            return Err(Error::invalid_parameter(
                "CognitoIdentityProvider ProviderName is required.",
            ));
        };
        if user_pool_of_provider_name(settings, name).is_none() {
            return Err(Error::invalid_parameter(format!(
                "Invalid Cognito Identity Provider ProviderName: {name}. Expected the user pool's \
                 issuer without the scheme, such as {}.",
                super::providers::user_pool_provider_name(settings, "us-east-1_Example1")
            )));
        }
        if provider.client_id.is_none() {
            return Err(Error::invalid_parameter(format!(
                "CognitoIdentityProvider ClientId is required for {name}."
            )));
        }
    }
    for arn in config.open_id_connect_provider_ar_ns.iter().flatten() {
        if oidc_provider_name(arn).is_none() {
            return Err(Error::invalid_parameter(format!(
                "Invalid OpenIdConnectProviderARN: {arn}"
            )));
        }
    }
    for arn in config.saml_provider_ar_ns.iter().flatten() {
        if !(arn.starts_with("arn:") && arn.contains(":saml-provider/")) {
            return Err(Error::invalid_parameter(format!(
                "Invalid SamlProviderARN: {arn}"
            )));
        }
    }
    if config.developer_provider_name.as_deref() == Some(COGNITO_IDENTITY_PROVIDER) {
        return Err(Error::invalid_parameter(format!(
            "DeveloperProviderName cannot be {COGNITO_IDENTITY_PROVIDER}."
        )));
    }
    check_tag_count(config.identity_pool_tags.as_ref().map_or(0, BTreeMap::len))
}

pub fn check_tag_count(count: usize) -> Result<(), Error> {
    if count > MAX_TAGS {
        return Err(Error::invalid_parameter(format!(
            "An identity pool can have at most {MAX_TAGS} tags."
        )));
    }
    Ok(())
}

/// What DescribeIdentityPool returns: the stored settings, with the tags always present.
pub fn describe(pool: &IdentityPool) -> IdentityPoolConfig {
    let mut config = pool.config.clone();
    config.identity_pool_id = pool.id.clone();
    config.identity_pool_name = pool.name.clone();
    config.identity_pool_tags.get_or_insert_with(BTreeMap::new);
    config
}

/// UpdateIdentityPool: what is not given goes back to its default, except the developer
/// provider name (which cannot change once set) and the tags (TagResource's business).
pub fn apply_update(pool: &mut IdentityPool, mut update: IdentityPoolConfig) -> Result<(), Error> {
    match (
        &pool.config.developer_provider_name,
        &update.developer_provider_name,
    ) {
        (Some(current), Some(new)) if current != new => {
            return Err(Error::invalid_parameter(
                "DeveloperProviderName cannot be changed once set.",
            ))
        }
        (Some(current), None) => update.developer_provider_name = Some(current.clone()),
        _ => {}
    }
    if update.identity_pool_tags.is_none() {
        update.identity_pool_tags = pool.config.identity_pool_tags.clone();
    }
    update.identity_pool_id = pool.id.clone();
    pool.name = update.identity_pool_name.clone();
    pool.config = update;
    Ok(())
}

/// SetIdentityPoolRoles' `Roles` and `RoleMappings`.
pub fn validate_roles(
    roles: &BTreeMap<String, String>,
    mappings: &BTreeMap<String, RoleMapping>,
) -> Result<(), Error> {
    for (kind, arn) in roles {
        if kind != AUTHENTICATED && kind != UNAUTHENTICATED {
            return Err(Error::invalid_parameter(format!(
                "Invalid role type {kind}: expected authenticated or unauthenticated."
            )));
        }
        check_role_arn(arn)?;
    }
    for (provider, mapping) in mappings {
        if mapping.ambiguous_role_resolution.is_none() {
            return Err(Error::invalid_parameter(format!(
                "AmbiguousRoleResolution is required for the {} role mapping of {provider}.",
                mapping.r#type.as_str()
            )));
        }
        if mapping.r#type == RoleMappingType::Rules {
            let rules = mapping
                .rules_configuration
                .as_ref()
                .map(|c| c.rules.as_slice())
                .unwrap_or_default();
            if rules.is_empty() {
                return Err(Error::invalid_parameter(format!(
                    "RulesConfiguration is required for the Rules role mapping of {provider}."
                )));
            }
            if rules.len() > MAX_RULES {
                return Err(Error::invalid_parameter(format!(
                    "A role mapping can have at most {MAX_RULES} rules."
                )));
            }
            for rule in rules {
                check_role_arn(&rule.role_arn)?;
            }
        }
    }
    Ok(())
}

fn check_role_arn(arn: &str) -> Result<(), Error> {
    let ok =
        arn.starts_with("arn:") && arn.split(':').nth(2) == Some("iam") && arn.contains(":role/");
    if !ok {
        return Err(Error::invalid_parameter(format!("Invalid role ARN: {arn}")));
    }
    Ok(())
}
