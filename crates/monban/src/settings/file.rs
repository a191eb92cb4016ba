//! The TOML settings file. Unknown keys are rejected so that a typo is an error at start,
//! not a setting silently ignored; `version` is required so the format can change later.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::layer::{AdminKeySetting, Layer};
use super::{CredentialSourceName, IssuerStyleName, LogFormat, SmtpSecurityName};

/// The only version of the file format this binary reads.
pub const FILE_VERSION: u32 = 1;

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub version: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listen: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dev: Option<bool>,
    /// Development mode only: an in-memory database.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ephemeral: Option<bool>,
    /// Development mode only: the seed of ids, codes and tokens.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub random_seed: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub admin_keys: Option<Vec<AdminKeySetting>>,
    /// `monban` (default) or `aws`: how the `iss` claim of tokens is spelled. (Before the
    /// tables: TOML puts plain keys first.)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer_style: Option<IssuerStyleName>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub smtp: Option<SmtpFile>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log: Option<LogFile>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub argon2: Option<Argon2File>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub codes: Option<CodesFile>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lockout: Option<LockoutFile>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub throttling: Option<ThrottlingFile>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hosted_ui: Option<HostedUiFile>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credentials: Option<CredentialsFile>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub triggers: Option<TriggersFile>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sms: Option<SmsFile>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity_pools: Option<IdentityPoolsFile>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mail: Option<super::mail::MailLayer>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audit: Option<super::audit::AuditLayer>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oauth: Option<super::oauth::OAuthLayer>,
}

/// Identity pools: what the IAM OpenID Connect provider ARNs that pools name
/// (`OpenIdConnectProviderARNs`) stand for, as IAM would know them:
///
/// ```toml
/// [[identity_pools.oidc_providers]]
/// arn = "arn:aws:iam::000000000000:oidc-provider/login.example.com"
/// issuer = "https://login.example.com"
/// audiences = ["my-client-id"]
/// ```
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct IdentityPoolsFile {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub oidc_providers: Vec<OidcProviderFile>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OidcProviderFile {
    pub arn: String,
    pub issuer: String,
    #[serde(default)]
    pub audiences: Vec<String>,
}

/// SMS (MFA codes): `webhook_url` receives each message as JSON (`poolId`, `phoneNumber`,
/// `message`); without it messages stay in the database's SMS outbox.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SmsFile {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webhook_url: Option<String>,
}

/// Lambda triggers, called as webhooks: `timeout_ms` per call (Cognito: 5000), `retries`
/// after a call that reached nothing (custom senders are never retried), and where a
/// `LambdaConfig` ARN is sent: `arn_urls` (`"arn:aws:lambda:…:function:f" = "https://…"`),
/// else `arn_url_template` with `{arn}` and `{name}` (the function name).
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TriggersFile {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout_ms: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retries: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arn_url_template: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arn_urls: Option<std::collections::BTreeMap<String, String>>,
}

/// Identity-pool credentials (GetCredentialsForIdentity): `source = "monban"` (minted here)
/// or `"upstream"` (an STS-compatible endpoint).
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CredentialsFile {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<CredentialSourceName>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sts_endpoint: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sts_region: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_secs: Option<u64>,
}

/// Failed sign-in lockout: free failures, then lockouts doubling from 1 s up to the cap.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LockoutFile {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub free_failures: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_secs: Option<u64>,
}

/// The hosted UI: how long its sign-in session lets `/oauth2/authorize` skip the login page.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HostedUiFile {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_secs: Option<u64>,
}

/// Per-source token buckets on the public sign-in and sign-up operations.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ThrottlingFile {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate_per_sec: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub burst: Option<u32>,
}

/// Lifetimes (seconds) and attempt limit of confirmation and reset codes.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CodesFile {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sign_up_validity_secs: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verification_validity_secs: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reset_validity_secs: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_attempts: Option<u32>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpFile {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub security: Option<SmtpSecurityName>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// Sender of mail for pools on Cognito's default email.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LogFile {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<LogFormat>,
    /// A `RUST_LOG`-style filter: `info`, or `monban=debug,sqlx=warn`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Argon2File {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory_kib: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iterations: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parallelism: Option<u32>,
}

/// Parses the text of a settings file; `origin` names it in error messages.
pub fn parse(text: &str, origin: &Path) -> anyhow::Result<Layer> {
    let file: FileConfig = toml::from_str(text)
        .map_err(|e| anyhow::anyhow!("{}: {}", origin.display(), e.to_string().trim_end()))?;
    match file.version {
        Some(FILE_VERSION) => {}
        Some(other) => anyhow::bail!(
            "{}: version = {other} is not supported (this monban reads version = {FILE_VERSION})",
            origin.display()
        ),
        None => anyhow::bail!(
            "{}: `version = {FILE_VERSION}` is required at the top of the file",
            origin.display()
        ),
    }
    Ok(file.into_layer())
}

pub fn load(path: &Path) -> anyhow::Result<Layer> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("cannot read settings file {}: {e}", path.display()))?;
    parse(&text, path)
}

impl FileConfig {
    fn into_layer(self) -> Layer {
        let smtp = self.smtp.unwrap_or_default();
        let log = self.log.unwrap_or_default();
        let argon2 = self.argon2.unwrap_or_default();
        let codes = self.codes.unwrap_or_default();
        let lockout = self.lockout.unwrap_or_default();
        let throttling = self.throttling.unwrap_or_default();
        let hosted_ui = self.hosted_ui.unwrap_or_default();
        let credentials = self.credentials.unwrap_or_default();
        let triggers = self.triggers.unwrap_or_default();
        let sms = self.sms.unwrap_or_default();
        Layer {
            listen: self.listen,
            public_url: self.public_url,
            region: self.region,
            database_url: self.database_url,
            data_dir: self.data_dir,
            dev: self.dev,
            ephemeral: self.ephemeral,
            random_seed: self.random_seed,
            admin_keys: self.admin_keys,
            smtp_host: smtp.host,
            smtp_port: smtp.port,
            smtp_security: smtp.security,
            smtp_username: smtp.username,
            smtp_password: smtp.password,
            mail_from: smtp.from,
            log_format: log.format,
            log_level: log.level,
            argon2_memory_kib: argon2.memory_kib,
            argon2_iterations: argon2.iterations,
            argon2_parallelism: argon2.parallelism,
            issuer_style: self.issuer_style,
            sign_up_code_validity_secs: codes.sign_up_validity_secs,
            verification_code_validity_secs: codes.verification_validity_secs,
            reset_code_validity_secs: codes.reset_validity_secs,
            code_max_attempts: codes.max_attempts,
            lockout_free_failures: lockout.free_failures,
            lockout_max_secs: lockout.max_secs,
            throttle_rate: throttling.rate_per_sec,
            throttle_burst: throttling.burst,
            hosted_ui_session_secs: hosted_ui.session_secs,
            credential_source: credentials.source,
            sts_endpoint: credentials.sts_endpoint,
            sts_region: credentials.sts_region,
            credentials_duration_secs: credentials.duration_secs,
            trigger_timeout_ms: triggers.timeout_ms,
            trigger_retries: triggers.retries,
            trigger_arn_urls: triggers.arn_urls,
            trigger_arn_url_template: triggers.arn_url_template,
            sms_webhook_url: sms.webhook_url,
            oidc_providers: self.identity_pools.map(|i| i.oidc_providers),
            mail: self.mail.unwrap_or_default(),
            audit: self.audit.unwrap_or_default(),
            oauth: self.oauth.unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    fn parse_str(text: &str) -> anyhow::Result<Layer> {
        parse(text, Path::new("test.toml"))
    }

    #[test]
    fn reads_every_section() {
        let layer = parse_str(
            r#"
            version = 1
            listen = "0.0.0.0:9000"
            region = "eu-west-1"
            dev = true
            [[admin_keys]]
            access_key_id = "AKIAFILEKEY000000001"
            secret_access_key = "file-secret"
            [smtp]
            host = "mail.example.com"
            port = 2525
            security = "tls"
            password = "pw"
            from = "auth@example.com"
            [log]
            format = "json"
            level = "debug"
            [argon2]
            memory_kib = 65536
            iterations = 3
            "#,
        )
        .unwrap();
        assert_eq!(layer.listen.as_deref(), Some("0.0.0.0:9000"));
        assert_eq!(layer.region.as_deref(), Some("eu-west-1"));
        assert_eq!(layer.dev, Some(true));
        let keys = layer.admin_keys.unwrap();
        assert_eq!(keys.len(), 1);
        assert_eq!(keys[0].access_key_id, "AKIAFILEKEY000000001");
        assert_eq!(layer.smtp_port, Some(2525));
        assert_eq!(layer.smtp_security, Some(SmtpSecurityName::Tls));
        assert_eq!(layer.mail_from.as_deref(), Some("auth@example.com"));
        assert_eq!(layer.log_format, Some(LogFormat::Json));
        assert_eq!(layer.argon2_memory_kib, Some(65536));
        assert_eq!(layer.argon2_iterations, Some(3));
        assert_eq!(layer.argon2_parallelism, None);
    }

    #[test]
    fn unknown_top_level_key_is_rejected() {
        let err = parse_str("version = 1\nlisten_addr = \"x\"\n").unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("listen_addr"), "{msg}");
        assert!(msg.contains("test.toml"), "{msg}");
    }

    #[test]
    fn unknown_key_in_a_section_is_rejected() {
        let err = parse_str("version = 1\n[smtp]\nhostname = \"x\"\n").unwrap_err();
        assert!(err.to_string().contains("hostname"), "{err}");
    }

    #[test]
    fn version_is_required() {
        let err = parse_str("region = \"us-west-2\"\n").unwrap_err();
        assert!(err.to_string().contains("version = 1"), "{err}");
    }

    #[test]
    fn other_versions_are_rejected() {
        let err = parse_str("version = 2\n").unwrap_err();
        assert!(err.to_string().contains("version = 2"), "{err}");
    }

    #[test]
    fn bad_enum_value_is_rejected() {
        assert!(parse_str("version = 1\n[smtp]\nsecurity = \"ssl\"\n").is_err());
        assert!(parse_str("version = 1\n[log]\nformat = \"xml\"\n").is_err());
    }
}
