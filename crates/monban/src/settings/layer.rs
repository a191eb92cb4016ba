//! One source of settings (flags, environment, file): every setting optional, so that
//! sources can be stacked with [`Layer::over`] in precedence order.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::{CredentialSourceName, IssuerStyleName, LogFormat, SmtpSecurityName};

/// An admin (IAM) key pair as configured.
#[derive(Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AdminKeySetting {
    pub access_key_id: String,
    pub secret_access_key: String,
}

impl std::fmt::Debug for AdminKeySetting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AdminKeySetting")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"<redacted>")
            .finish()
    }
}

impl AdminKeySetting {
    /// `ACCESS_KEY_ID:SECRET_ACCESS_KEY`, the form of `--admin-key` and `MONBAN_ADMIN_KEYS`.
    pub fn parse_pair(text: &str) -> Result<Self, String> {
        match text.trim().split_once(':') {
            Some((id, secret)) if !id.is_empty() && !secret.is_empty() => Ok(Self {
                access_key_id: id.to_owned(),
                secret_access_key: secret.to_owned(),
            }),
            // The value holds a secret: never echo it back.
            _ => Err("expected ACCESS_KEY_ID:SECRET_ACCESS_KEY".to_owned()),
        }
    }
}

#[derive(Debug, Default, Clone, PartialEq)]
pub struct Layer {
    pub listen: Option<String>,
    pub public_url: Option<String>,
    pub region: Option<String>,
    pub database_url: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub dev: Option<bool>,
    pub ephemeral: Option<bool>,
    pub random_seed: Option<u64>,
    /// Replaces, not extends, the keys of lower layers: precedence is per setting.
    pub admin_keys: Option<Vec<AdminKeySetting>>,
    pub smtp_host: Option<String>,
    pub smtp_port: Option<u16>,
    pub smtp_security: Option<SmtpSecurityName>,
    pub smtp_username: Option<String>,
    pub smtp_password: Option<String>,
    pub mail_from: Option<String>,
    pub log_format: Option<LogFormat>,
    pub log_level: Option<String>,
    pub argon2_memory_kib: Option<u32>,
    pub argon2_iterations: Option<u32>,
    pub argon2_parallelism: Option<u32>,
    pub issuer_style: Option<IssuerStyleName>,
    pub sign_up_code_validity_secs: Option<u64>,
    pub verification_code_validity_secs: Option<u64>,
    pub reset_code_validity_secs: Option<u64>,
    pub code_max_attempts: Option<u32>,
    pub lockout_free_failures: Option<u32>,
    pub lockout_max_secs: Option<u64>,
    pub throttle_rate: Option<u32>,
    pub throttle_burst: Option<u32>,
    pub hosted_ui_session_secs: Option<u64>,
    pub credential_source: Option<CredentialSourceName>,
    pub sts_endpoint: Option<String>,
    pub sts_region: Option<String>,
    pub credentials_duration_secs: Option<u64>,
    /// Lambda triggers as webhooks: per-call timeout, retries, ARN → URL map and template.
    pub trigger_timeout_ms: Option<u64>,
    pub trigger_retries: Option<u32>,
    pub trigger_arn_urls: Option<BTreeMap<String, String>>,
    pub trigger_arn_url_template: Option<String>,
    /// Where SMS (MFA codes) are POSTed; without it they stay in the SMS outbox.
    pub sms_webhook_url: Option<String>,
    /// Identity pools' OpenID Connect providers (settings file only).
    pub oidc_providers: Option<Vec<super::file::OidcProviderFile>>,
    /// Mail delivery: limits, retries, DKIM.
    pub mail: super::mail::MailLayer,
    /// Audit trail: trusted proxies and retention.
    pub audit: super::audit::AuditLayer,
    /// Prefix-domain base and strict-OIDC clients.
    pub oauth: super::oauth::OAuthLayer,
}

impl Layer {
    /// `self` where it has a value, `lower` elsewhere.
    pub fn over(self, lower: Layer) -> Layer {
        Layer {
            listen: self.listen.or(lower.listen),
            public_url: self.public_url.or(lower.public_url),
            region: self.region.or(lower.region),
            database_url: self.database_url.or(lower.database_url),
            data_dir: self.data_dir.or(lower.data_dir),
            dev: self.dev.or(lower.dev),
            ephemeral: self.ephemeral.or(lower.ephemeral),
            random_seed: self.random_seed.or(lower.random_seed),
            admin_keys: self.admin_keys.or(lower.admin_keys),
            smtp_host: self.smtp_host.or(lower.smtp_host),
            smtp_port: self.smtp_port.or(lower.smtp_port),
            smtp_security: self.smtp_security.or(lower.smtp_security),
            smtp_username: self.smtp_username.or(lower.smtp_username),
            smtp_password: self.smtp_password.or(lower.smtp_password),
            mail_from: self.mail_from.or(lower.mail_from),
            log_format: self.log_format.or(lower.log_format),
            log_level: self.log_level.or(lower.log_level),
            argon2_memory_kib: self.argon2_memory_kib.or(lower.argon2_memory_kib),
            argon2_iterations: self.argon2_iterations.or(lower.argon2_iterations),
            argon2_parallelism: self.argon2_parallelism.or(lower.argon2_parallelism),
            issuer_style: self.issuer_style.or(lower.issuer_style),
            sign_up_code_validity_secs: self
                .sign_up_code_validity_secs
                .or(lower.sign_up_code_validity_secs),
            verification_code_validity_secs: self
                .verification_code_validity_secs
                .or(lower.verification_code_validity_secs),
            reset_code_validity_secs: self
                .reset_code_validity_secs
                .or(lower.reset_code_validity_secs),
            code_max_attempts: self.code_max_attempts.or(lower.code_max_attempts),
            lockout_free_failures: self.lockout_free_failures.or(lower.lockout_free_failures),
            lockout_max_secs: self.lockout_max_secs.or(lower.lockout_max_secs),
            throttle_rate: self.throttle_rate.or(lower.throttle_rate),
            throttle_burst: self.throttle_burst.or(lower.throttle_burst),
            hosted_ui_session_secs: self.hosted_ui_session_secs.or(lower.hosted_ui_session_secs),
            credential_source: self.credential_source.or(lower.credential_source),
            sts_endpoint: self.sts_endpoint.or(lower.sts_endpoint),
            sts_region: self.sts_region.or(lower.sts_region),
            credentials_duration_secs: self
                .credentials_duration_secs
                .or(lower.credentials_duration_secs),
            trigger_timeout_ms: self.trigger_timeout_ms.or(lower.trigger_timeout_ms),
            trigger_retries: self.trigger_retries.or(lower.trigger_retries),
            trigger_arn_urls: self.trigger_arn_urls.or(lower.trigger_arn_urls),
            trigger_arn_url_template: self
                .trigger_arn_url_template
                .or(lower.trigger_arn_url_template),
            sms_webhook_url: self.sms_webhook_url.or(lower.sms_webhook_url),
            oidc_providers: self.oidc_providers.or(lower.oidc_providers),
            mail: self.mail.over(lower.mail),
            audit: self.audit.over(lower.audit),
            oauth: self.oauth.over(lower.oauth),
        }
    }

    /// Reads the `MONBAN_*` variables from `vars` (the process environment, or a test's
    /// list). Empty values count as unset. `RUST_LOG` is the log filter when
    /// `MONBAN_LOG_LEVEL` is not set.
    pub fn from_env<I>(vars: I) -> anyhow::Result<Layer>
    where
        I: IntoIterator<Item = (String, String)>,
    {
        let mut layer = Layer::default();
        let mut rust_log = None;
        for (name, value) in vars {
            if value.is_empty() {
                continue;
            }
            if layer.mail.set_env(&name, &value)? {
                continue;
            }
            if layer.audit.set_env(&name, &value)? {
                continue;
            }
            if layer.oauth.set_env(&name, &value)? {
                continue;
            }
            match name.as_str() {
                "MONBAN_LISTEN" => layer.listen = Some(value),
                "MONBAN_PUBLIC_URL" => layer.public_url = Some(value),
                "MONBAN_REGION" => layer.region = Some(value),
                "MONBAN_DATABASE_URL" => layer.database_url = Some(value),
                "MONBAN_DATA_DIR" => layer.data_dir = Some(PathBuf::from(value)),
                "MONBAN_DEV" => layer.dev = Some(parse_bool(&name, &value)?),
                "MONBAN_EPHEMERAL" => layer.ephemeral = Some(parse_bool(&name, &value)?),
                "MONBAN_RANDOM_SEED" => layer.random_seed = Some(parse_number(&name, &value)?),
                "MONBAN_ADMIN_KEYS" => {
                    let keys = value
                        .split(',')
                        .filter(|pair| !pair.trim().is_empty())
                        .map(AdminKeySetting::parse_pair)
                        .collect::<Result<Vec<_>, _>>()
                        .map_err(|e| anyhow::anyhow!("MONBAN_ADMIN_KEYS: {e}"))?;
                    layer.admin_keys = Some(keys);
                }
                "MONBAN_SMTP_HOST" => layer.smtp_host = Some(value),
                "MONBAN_SMTP_PORT" => layer.smtp_port = Some(parse_number(&name, &value)?),
                "MONBAN_SMTP_SECURITY" => {
                    layer.smtp_security = Some(
                        value
                            .parse()
                            .map_err(|e| anyhow::anyhow!("MONBAN_SMTP_SECURITY: {e}"))?,
                    );
                }
                "MONBAN_SMTP_USERNAME" => layer.smtp_username = Some(value),
                "MONBAN_SMTP_PASSWORD" => layer.smtp_password = Some(value),
                "MONBAN_SMTP_FROM" => layer.mail_from = Some(value),
                "MONBAN_LOG_FORMAT" => {
                    layer.log_format = Some(
                        value
                            .parse()
                            .map_err(|e| anyhow::anyhow!("MONBAN_LOG_FORMAT: {e}"))?,
                    );
                }
                "MONBAN_LOG_LEVEL" => layer.log_level = Some(value),
                "MONBAN_ISSUER_STYLE" => {
                    layer.issuer_style = Some(
                        value
                            .parse()
                            .map_err(|e| anyhow::anyhow!("MONBAN_ISSUER_STYLE: {e}"))?,
                    );
                }
                "RUST_LOG" => rust_log = Some(value),
                "MONBAN_SIGN_UP_CODE_VALIDITY_SECS" => {
                    layer.sign_up_code_validity_secs = Some(parse_number(&name, &value)?);
                }
                "MONBAN_VERIFICATION_CODE_VALIDITY_SECS" => {
                    layer.verification_code_validity_secs = Some(parse_number(&name, &value)?);
                }
                "MONBAN_RESET_CODE_VALIDITY_SECS" => {
                    layer.reset_code_validity_secs = Some(parse_number(&name, &value)?);
                }
                "MONBAN_CODE_MAX_ATTEMPTS" => {
                    layer.code_max_attempts = Some(parse_number(&name, &value)?);
                }
                "MONBAN_THROTTLE_RATE" => {
                    layer.throttle_rate = Some(parse_number(&name, &value)?);
                }
                "MONBAN_THROTTLE_BURST" => {
                    layer.throttle_burst = Some(parse_number(&name, &value)?);
                }
                "MONBAN_HOSTED_UI_SESSION_SECS" => {
                    layer.hosted_ui_session_secs = Some(parse_number(&name, &value)?);
                }
                "MONBAN_LOCKOUT_FREE_FAILURES" => {
                    layer.lockout_free_failures = Some(parse_number(&name, &value)?);
                }
                "MONBAN_LOCKOUT_MAX_SECS" => {
                    layer.lockout_max_secs = Some(parse_number(&name, &value)?);
                }
                "MONBAN_CREDENTIAL_SOURCE" => {
                    layer.credential_source = Some(
                        value
                            .parse()
                            .map_err(|e| anyhow::anyhow!("MONBAN_CREDENTIAL_SOURCE: {e}"))?,
                    );
                }
                "MONBAN_STS_ENDPOINT" => layer.sts_endpoint = Some(value),
                "MONBAN_STS_REGION" => layer.sts_region = Some(value),
                "MONBAN_CREDENTIALS_DURATION_SECS" => {
                    layer.credentials_duration_secs = Some(parse_number(&name, &value)?);
                }
                "MONBAN_TRIGGER_TIMEOUT_MS" => {
                    layer.trigger_timeout_ms = Some(parse_number(&name, &value)?);
                }
                "MONBAN_TRIGGER_RETRIES" => {
                    layer.trigger_retries = Some(parse_number(&name, &value)?);
                }
                "MONBAN_TRIGGER_ARN_URLS" => {
                    layer.trigger_arn_urls = Some(parse_arn_urls(&value)?);
                }
                "MONBAN_TRIGGER_ARN_URL_TEMPLATE" => layer.trigger_arn_url_template = Some(value),
                "MONBAN_SMS_WEBHOOK_URL" => layer.sms_webhook_url = Some(value),
                "MONBAN_ARGON2_MEMORY_KIB" => {
                    layer.argon2_memory_kib = Some(parse_number(&name, &value)?);
                }
                "MONBAN_ARGON2_ITERATIONS" => {
                    layer.argon2_iterations = Some(parse_number(&name, &value)?);
                }
                "MONBAN_ARGON2_PARALLELISM" => {
                    layer.argon2_parallelism = Some(parse_number(&name, &value)?);
                }
                _ => {}
            }
        }
        layer.log_level = layer.log_level.or(rust_log);
        Ok(layer)
    }
}

/// `ARN=URL` pairs separated by commas (an ARN has no `=`, a URL no unescaped `,`).
fn parse_arn_urls(value: &str) -> anyhow::Result<BTreeMap<String, String>> {
    value
        .split(',')
        .filter(|pair| !pair.trim().is_empty())
        .map(|pair| match pair.trim().split_once('=') {
            Some((arn, url)) if !arn.is_empty() && !url.is_empty() => {
                Ok((arn.to_owned(), url.to_owned()))
            }
            _ => Err(anyhow::anyhow!(
                "MONBAN_TRIGGER_ARN_URLS: expected ARN=URL[,ARN=URL...], got {pair:?}"
            )),
        })
        .collect()
}

fn parse_bool(name: &str, value: &str) -> anyhow::Result<bool> {
    match value.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => anyhow::bail!("{name}: expected true or false, got {value:?}"),
    }
}

fn parse_number<T: std::str::FromStr>(name: &str, value: &str) -> anyhow::Result<T>
where
    T::Err: std::fmt::Display,
{
    value
        .trim()
        .parse()
        .map_err(|e| anyhow::anyhow!("{name}: {value:?} is not a valid number ({e})"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    fn env(pairs: &[(&str, &str)]) -> anyhow::Result<Layer> {
        Layer::from_env(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
        )
    }

    #[test]
    fn higher_layer_wins_per_setting() {
        let high = Layer {
            region: Some("eu-west-1".into()),
            ..Layer::default()
        };
        let low = Layer {
            region: Some("us-west-2".into()),
            listen: Some("0.0.0.0:1".into()),
            ..Layer::default()
        };
        let merged = high.over(low);
        assert_eq!(merged.region.as_deref(), Some("eu-west-1"));
        assert_eq!(merged.listen.as_deref(), Some("0.0.0.0:1"));
    }

    #[test]
    fn reads_monban_variables_and_ignores_others() {
        let layer = env(&[
            ("MONBAN_REGION", "ap-south-1"),
            ("MONBAN_SMTP_PORT", "2525"),
            ("MONBAN_SMTP_SECURITY", "starttls"),
            ("MONBAN_DEV", "true"),
            ("MONBAN_ARGON2_ITERATIONS", "4"),
            ("MONBAN_SOMETHING_ELSE", "x"),
            ("HOME", "/root"),
        ])
        .unwrap();
        assert_eq!(layer.region.as_deref(), Some("ap-south-1"));
        assert_eq!(layer.smtp_port, Some(2525));
        assert_eq!(layer.smtp_security, Some(SmtpSecurityName::StartTls));
        assert_eq!(layer.dev, Some(true));
        assert_eq!(layer.argon2_iterations, Some(4));
        assert_eq!(layer.listen, None);
    }

    #[test]
    fn empty_values_count_as_unset() {
        let layer = env(&[("MONBAN_DATABASE_URL", "")]).unwrap();
        assert_eq!(layer.database_url, None);
    }

    #[test]
    fn admin_keys_from_env_are_comma_separated_pairs() {
        let layer = env(&[("MONBAN_ADMIN_KEYS", "AKIA1:s1, AKIA2:s2/x+y")]).unwrap();
        let keys = layer.admin_keys.unwrap();
        assert_eq!(keys.len(), 2);
        assert_eq!(keys[1].access_key_id, "AKIA2");
        assert_eq!(keys[1].secret_access_key, "s2/x+y");
    }

    #[test]
    fn malformed_admin_key_does_not_echo_the_secret() {
        let err = env(&[("MONBAN_ADMIN_KEYS", "only-a-secret-value")]).unwrap_err();
        assert!(!err.to_string().contains("only-a-secret-value"), "{err}");
    }

    #[test]
    fn bad_numbers_and_booleans_are_errors() {
        assert!(env(&[("MONBAN_SMTP_PORT", "70000")]).is_err());
        assert!(env(&[("MONBAN_ARGON2_MEMORY_KIB", "lots")]).is_err());
        assert!(env(&[("MONBAN_DEV", "maybe")]).is_err());
    }

    #[test]
    fn issuer_style_from_env() {
        let layer = env(&[("MONBAN_ISSUER_STYLE", "AWS")]).unwrap();
        assert_eq!(layer.issuer_style, Some(super::super::IssuerStyleName::Aws));
        assert!(env(&[("MONBAN_ISSUER_STYLE", "cognito")]).is_err());
    }

    #[test]
    fn monban_log_level_beats_rust_log() {
        let both = env(&[("RUST_LOG", "debug"), ("MONBAN_LOG_LEVEL", "warn")]).unwrap();
        assert_eq!(both.log_level.as_deref(), Some("warn"));
        let only_rust_log = env(&[("RUST_LOG", "debug")]).unwrap();
        assert_eq!(only_rust_log.log_level.as_deref(), Some("debug"));
    }

    #[test]
    fn debug_output_hides_the_secret() {
        let key = AdminKeySetting::parse_pair("AKIAX:topsecret").unwrap();
        assert!(!format!("{key:?}").contains("topsecret"));
    }
}
