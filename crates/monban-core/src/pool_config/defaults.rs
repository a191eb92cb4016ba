//! Cognito's defaults for a pool's settings, and the stored configuration of a pool from a
//! CreateUserPool or UpdateUserPool request.
//!
//! Both operations set every updatable setting: what a request omits takes its default
//! (UpdateUserPool is documented to reset omitted settings). Settings fixed at creation
//! (schema, username and alias attributes, case sensitivity) are kept by an update.

use monban_wire::idp::{
    AdminCreateUserConfigType, AuthFactorType, CreateUserPoolRequest, DefaultEmailOptionType,
    DeletionProtectionType, EmailSendingAccountType, PasswordPolicyType, SignInPolicyType,
    UpdateUserPoolRequest, UserPoolMfaType, UserPoolTierType, UserPoolType,
    VerificationMessageTemplateType,
};

use super::schema::schema_from_create;
use crate::error::Error;

const DEFAULT_MIN_LENGTH: i32 = 8;
const DEFAULT_TEMPORARY_PASSWORD_DAYS: i32 = 7;

/// The policy of a pool created without one: at least 8 characters of all four classes,
/// temporary passwords valid for 7 days.
pub fn default_password_policy() -> PasswordPolicyType {
    PasswordPolicyType {
        minimum_length: Some(DEFAULT_MIN_LENGTH),
        require_uppercase: Some(true),
        require_lowercase: Some(true),
        require_numbers: Some(true),
        require_symbols: Some(true),
        temporary_password_validity_days: Some(DEFAULT_TEMPORARY_PASSWORD_DAYS),
        password_history_size: None,
    }
}

/// A given policy with its omitted members filled as Cognito fills them: a `Require*`
/// left out is false, `TemporaryPasswordValidityDays` 0 or absent is 7.
pub(crate) fn fill_password_policy(given: &PasswordPolicyType) -> PasswordPolicyType {
    PasswordPolicyType {
        minimum_length: Some(given.minimum_length.unwrap_or(DEFAULT_MIN_LENGTH)),
        require_uppercase: Some(given.require_uppercase.unwrap_or(false)),
        require_lowercase: Some(given.require_lowercase.unwrap_or(false)),
        require_numbers: Some(given.require_numbers.unwrap_or(false)),
        require_symbols: Some(given.require_symbols.unwrap_or(false)),
        temporary_password_validity_days: Some(
            given
                .temporary_password_validity_days
                .filter(|d| *d > 0)
                .unwrap_or(DEFAULT_TEMPORARY_PASSWORD_DAYS),
        ),
        password_history_size: given.password_history_size,
    }
}

/// Self-service sign-up allowed; temporary passwords valid for 7 days.
pub fn default_admin_create_user_config() -> AdminCreateUserConfigType {
    AdminCreateUserConfigType {
        allow_admin_create_user_only: Some(false),
        unused_account_validity_days: Some(DEFAULT_TEMPORARY_PASSWORD_DAYS),
        invite_message_template: None,
    }
}

/// The updatable settings, as both CreateUserPool and UpdateUserPool carry them.
#[derive(Default)]
struct Updatable {
    config: UserPoolType,
}

impl From<&CreateUserPoolRequest> for Updatable {
    fn from(r: &CreateUserPoolRequest) -> Self {
        Self {
            config: UserPoolType {
                account_recovery_setting: r.account_recovery_setting.clone(),
                acr_configuration: r.acr_configuration.clone(),
                admin_create_user_config: r.admin_create_user_config.clone(),
                auto_verified_attributes: r.auto_verified_attributes.clone(),
                dcr_configuration: r.dcr_configuration.clone(),
                deletion_protection: r.deletion_protection,
                device_configuration: r.device_configuration.clone(),
                email_configuration: r.email_configuration.clone(),
                email_verification_message: r.email_verification_message.clone(),
                email_verification_subject: r.email_verification_subject.clone(),
                issuer_configuration: r.issuer_configuration.clone(),
                key_configuration: r.key_configuration.clone(),
                lambda_config: r.lambda_config.clone(),
                mfa_configuration: r.mfa_configuration,
                policies: r.policies.clone(),
                sms_authentication_message: r.sms_authentication_message.clone(),
                sms_configuration: r.sms_configuration.clone(),
                sms_verification_message: r.sms_verification_message.clone(),
                user_attribute_update_settings: r.user_attribute_update_settings.clone(),
                user_pool_add_ons: r.user_pool_add_ons.clone(),
                user_pool_tags: r.user_pool_tags.clone(),
                user_pool_tier: r.user_pool_tier,
                verification_message_template: r.verification_message_template.clone(),
                ..UserPoolType::default()
            },
        }
    }
}

impl From<&UpdateUserPoolRequest> for Updatable {
    fn from(r: &UpdateUserPoolRequest) -> Self {
        Self {
            config: UserPoolType {
                account_recovery_setting: r.account_recovery_setting.clone(),
                acr_configuration: r.acr_configuration.clone(),
                admin_create_user_config: r.admin_create_user_config.clone(),
                auto_verified_attributes: r.auto_verified_attributes.clone(),
                dcr_configuration: r.dcr_configuration.clone(),
                deletion_protection: r.deletion_protection,
                device_configuration: r.device_configuration.clone(),
                email_configuration: r.email_configuration.clone(),
                email_verification_message: r.email_verification_message.clone(),
                email_verification_subject: r.email_verification_subject.clone(),
                issuer_configuration: r.issuer_configuration.clone(),
                key_configuration: r.key_configuration.clone(),
                lambda_config: r.lambda_config.clone(),
                mfa_configuration: r.mfa_configuration,
                policies: r.policies.clone(),
                sms_authentication_message: r.sms_authentication_message.clone(),
                sms_configuration: r.sms_configuration.clone(),
                sms_verification_message: r.sms_verification_message.clone(),
                user_attribute_update_settings: r.user_attribute_update_settings.clone(),
                user_pool_add_ons: r.user_pool_add_ons.clone(),
                user_pool_tags: r.user_pool_tags.clone(),
                user_pool_tier: r.user_pool_tier,
                verification_message_template: r.verification_message_template.clone(),
                ..UserPoolType::default()
            },
        }
    }
}

/// The stored configuration of a new pool: the request's settings with Cognito's defaults
/// filled, and the full schema. Id, name, ARN, dates and user count are not stored.
pub fn pool_config_from_create(req: &CreateUserPoolRequest) -> Result<UserPoolType, Error> {
    let mut config = Updatable::from(req).config;
    config.schema_attributes = Some(schema_from_create(req.schema.as_deref())?);
    config.username_attributes = req.username_attributes.clone().filter(|v| !v.is_empty());
    config.alias_attributes = req.alias_attributes.clone().filter(|v| !v.is_empty());
    config.username_configuration = req.username_configuration.clone();
    fill_defaults(&mut config)?;
    Ok(config)
}

/// The stored configuration after UpdateUserPool: the request's settings with defaults
/// for what it omits, and what cannot be updated kept from `current`.
///
/// Kept when omitted rather than reset: the feature plan (a plan change is its own
/// decision, never a side effect), tags (resource metadata), and the key, issuer and
/// dynamic-client-registration configurations (documented as kept or fixed).
pub fn pool_config_from_update(
    current: &UserPoolType,
    req: &UpdateUserPoolRequest,
) -> Result<UserPoolType, Error> {
    let mut config = Updatable::from(req).config;
    config.schema_attributes = current.schema_attributes.clone();
    config.username_attributes = current.username_attributes.clone();
    config.alias_attributes = current.alias_attributes.clone();
    config.username_configuration = current.username_configuration.clone();
    config.domain = current.domain.clone();
    config.custom_domain = current.custom_domain.clone();
    if config.user_pool_tier.is_none() {
        config.user_pool_tier = current.user_pool_tier;
    }
    if config.user_pool_tags.is_none() {
        config.user_pool_tags = current.user_pool_tags.clone();
    }
    if config.key_configuration.is_none() {
        config.key_configuration = current.key_configuration.clone();
    }
    if config.issuer_configuration.is_none() {
        config.issuer_configuration = current.issuer_configuration.clone();
    }
    if config.dcr_configuration.is_none() {
        config.dcr_configuration = current.dcr_configuration.clone();
    }
    fill_defaults(&mut config)?;
    Ok(config)
}

/// Fills every updatable setting Cognito shows a default for.
fn fill_defaults(config: &mut UserPoolType) -> Result<(), Error> {
    let mut policies = config.policies.take().unwrap_or_default();
    let password = policies
        .password_policy
        .as_ref()
        .map_or_else(default_password_policy, fill_password_policy);
    // Not `default_admin_create_user_config()`: its 7 days would contradict a policy's.
    let mut admin = config.admin_create_user_config.take().unwrap_or_default();
    let temporary_days = reconcile_temporary_days(
        policies
            .password_policy
            .as_ref()
            .and_then(|p| p.temporary_password_validity_days)
            .filter(|d| *d > 0),
        admin.unused_account_validity_days.filter(|d| *d > 0),
    )?;
    admin.allow_admin_create_user_only = Some(admin.allow_admin_create_user_only.unwrap_or(false));
    admin.unused_account_validity_days = Some(temporary_days);
    policies.password_policy = Some(PasswordPolicyType {
        temporary_password_validity_days: Some(temporary_days),
        ..password
    });
    if policies.sign_in_policy.is_none() {
        policies.sign_in_policy = Some(SignInPolicyType {
            allowed_first_auth_factors: Some(vec![AuthFactorType::Password]),
        });
    }
    config.policies = Some(policies);
    config.admin_create_user_config = Some(admin);

    let mut template = config
        .verification_message_template
        .take()
        .unwrap_or_default();
    template.default_email_option = Some(
        template
            .default_email_option
            .unwrap_or(DefaultEmailOptionType::ConfirmWithCode),
    );
    mirror_legacy_messages(config, &mut template);
    config.verification_message_template = Some(template);

    let mut email = config.email_configuration.take().unwrap_or_default();
    email.email_sending_account = Some(
        email
            .email_sending_account
            .unwrap_or(EmailSendingAccountType::CognitoDefault),
    );
    config.email_configuration = Some(email);

    config.mfa_configuration = Some(config.mfa_configuration.unwrap_or(UserPoolMfaType::Off));
    config.deletion_protection = Some(
        config
            .deletion_protection
            .unwrap_or(DeletionProtectionType::Inactive),
    );
    config.user_pool_tier = Some(
        config
            .user_pool_tier
            .unwrap_or(UserPoolTierType::Essentials),
    );
    config.lambda_config = Some(config.lambda_config.take().unwrap_or_default());
    config.user_pool_tags = Some(config.user_pool_tags.take().unwrap_or_default());
    Ok(())
}

/// `TemporaryPasswordValidityDays` supersedes the legacy `UnusedAccountValidityDays`; one
/// given alone sets both, and both given must agree.
fn reconcile_temporary_days(temporary: Option<i32>, unused: Option<i32>) -> Result<i32, Error> {
    match (temporary, unused) {
        (Some(t), Some(u)) if t != u => Err(Error::invalid_parameter(
            "Please use TemporaryPasswordValidityDays in PasswordPolicy instead of UnusedAccountValidityDays",
        )),
        (Some(days), _) | (None, Some(days)) => Ok(days),
        (None, None) => Ok(DEFAULT_TEMPORARY_PASSWORD_DAYS),
    }
}

/// The legacy top-level `EmailVerificationMessage`/`EmailVerificationSubject`/
/// `SmsVerificationMessage` and the template's members are one setting each: whichever
/// was given shows in both places.
fn mirror_legacy_messages(config: &mut UserPoolType, t: &mut VerificationMessageTemplateType) {
    fn mirror(a: &mut Option<String>, b: &mut Option<String>) {
        if a.is_none() {
            a.clone_from(b);
        } else if b.is_none() {
            b.clone_from(a);
        }
    }
    mirror(&mut config.email_verification_message, &mut t.email_message);
    mirror(&mut config.email_verification_subject, &mut t.email_subject);
    mirror(&mut config.sms_verification_message, &mut t.sms_message);
}
