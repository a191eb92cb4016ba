//! A pool's MFA: the `MfaConfiguration` switch in `config` and the enabled factors in
//! `data`. Cognito's rules: MFA OFF has no factors; ON or OPTIONAL needs at least one.
//! Passkeys (WebAuthn) are configured apart and count as MFA only when their factor
//! configuration says so.

use monban_wire::idp::{
    GetUserPoolMfaConfigResponse, SetUserPoolMfaConfigRequest, SmsMfaConfigType,
    SoftwareTokenMfaConfigType, UserPoolMfaType, UserPoolType, UserVerificationType,
    WebAuthnConfigurationType, WebAuthnFactorConfigurationType,
};

use crate::entities::{UserPool, UserPoolData};
use crate::error::Error;

/// The MFA factors users of a pool can use (all false when MFA is OFF).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MfaFactors {
    pub sms: bool,
    pub software_token: bool,
    pub email: bool,
    /// A passkey with user verification satisfies MFA.
    pub web_authn: bool,
}

fn factors(config: &UserPoolType, data: &UserPoolData) -> MfaFactors {
    if config.mfa_configuration.unwrap_or(UserPoolMfaType::Off) == UserPoolMfaType::Off {
        return MfaFactors::default();
    }
    MfaFactors {
        sms: data.sms_mfa_enabled,
        software_token: data.software_token_mfa_enabled,
        email: data.email_mfa.is_some(),
        web_authn: data.web_authn.as_ref().is_some_and(|w| {
            w.factor_configuration
                == Some(WebAuthnFactorConfigurationType::MultiFactorWithUserVerification)
        }),
    }
}

/// The factors enabled in `pool`.
pub fn mfa_factors(pool: &UserPool) -> MfaFactors {
    factors(&pool.config, &pool.data)
}

const NO_FACTOR: &str =
    "Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration.";

/// The factor state after CreateUserPool or UpdateUserPool set `config` (which carries
/// `MfaConfiguration` and the SMS settings): OFF clears the factors, ON/OPTIONAL turns SMS
/// on when an SMS configuration is present and keeps the other factors.
pub fn mfa_after_pool_write(
    config: &UserPoolType,
    current: &UserPoolData,
) -> Result<UserPoolData, Error> {
    let mfa = config.mfa_configuration.unwrap_or(UserPoolMfaType::Off);
    if mfa == UserPoolMfaType::Off {
        return Ok(UserPoolData {
            web_authn: current.web_authn.clone(),
            ..UserPoolData::default()
        });
    }
    let data = UserPoolData {
        sms_mfa_enabled: config.sms_configuration.is_some(),
        ..current.clone()
    };
    if factors(config, &data) == MfaFactors::default() {
        return Err(Error::invalid_parameter(format!(
            "{NO_FACTOR} Provide an SmsConfiguration, or enable TOTP or email MFA with SetUserPoolMfaConfig."
        )));
    }
    Ok(data)
}

/// SetUserPoolMfaConfig: the request states every factor (one it omits is off), keeps the
/// current `MfaConfiguration` when it omits it, and keeps the passkey configuration when
/// it omits that.
pub fn apply_set_mfa_config(
    pool: &mut UserPool,
    req: &SetUserPoolMfaConfigRequest,
) -> Result<(), Error> {
    let mfa = req
        .mfa_configuration
        .or(pool.config.mfa_configuration)
        .unwrap_or(UserPoolMfaType::Off);
    let software_token = req
        .software_token_mfa_configuration
        .as_ref()
        .and_then(|s| s.enabled)
        .unwrap_or(false);
    if mfa == UserPoolMfaType::Off
        && (req.sms_mfa_configuration.is_some()
            || req.email_mfa_configuration.is_some()
            || software_token)
    {
        return Err(Error::invalid_parameter(
            "Invalid MFA configuration given, can't turn off MFA and configure an MFA together.",
        ));
    }
    if let Some(sms) = &req.sms_mfa_configuration {
        if let Some(message) = &sms.sms_authentication_message {
            pool.config.sms_authentication_message = Some(message.clone());
        }
        if let Some(configuration) = &sms.sms_configuration {
            pool.config.sms_configuration = Some(configuration.clone());
        }
        if pool.config.sms_configuration.is_none() {
            return Err(Error::invalid_parameter(
                "SMS MFA needs an SmsConfiguration, in SmsMfaConfiguration or on the user pool.",
            ));
        }
    }
    pool.config.mfa_configuration = Some(mfa);
    pool.data = UserPoolData {
        sms_mfa_enabled: req.sms_mfa_configuration.is_some(),
        software_token_mfa_enabled: software_token,
        email_mfa: req.email_mfa_configuration.clone(),
        web_authn: req
            .web_authn_configuration
            .clone()
            .or_else(|| pool.data.web_authn.clone()),
    };
    if mfa != UserPoolMfaType::Off && mfa_factors(pool) == MfaFactors::default() {
        return Err(Error::invalid_parameter(NO_FACTOR));
    }
    Ok(())
}

/// The pool's MFA configuration as GetUserPoolMfaConfig (and SetUserPoolMfaConfig) return it.
pub fn mfa_config(pool: &UserPool) -> GetUserPoolMfaConfigResponse {
    GetUserPoolMfaConfigResponse {
        mfa_configuration: Some(
            pool.config
                .mfa_configuration
                .unwrap_or(UserPoolMfaType::Off),
        ),
        sms_mfa_configuration: pool.data.sms_mfa_enabled.then(|| SmsMfaConfigType {
            sms_authentication_message: pool.config.sms_authentication_message.clone(),
            sms_configuration: pool.config.sms_configuration.clone(),
        }),
        software_token_mfa_configuration: Some(SoftwareTokenMfaConfigType {
            enabled: Some(pool.data.software_token_mfa_enabled),
        }),
        email_mfa_configuration: pool.data.email_mfa.clone(),
        web_authn_configuration: Some(pool.data.web_authn.clone().unwrap_or(
            // Cognito's documented default: verification preferred, passkeys single-factor.
            WebAuthnConfigurationType {
                relying_party_id: None,
                user_verification: Some(UserVerificationType::Preferred),
                factor_configuration: None,
            },
        )),
    }
}
