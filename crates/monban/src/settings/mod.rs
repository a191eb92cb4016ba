//! The binary's settings: flags over `MONBAN_*` environment variables over the TOML file
//! over defaults, merged per setting, then checked as a whole so that a bad value stops the
//! process at start with a message naming it.

pub mod audit;
pub mod dev;
pub mod file;
pub mod layer;
pub mod mail;
pub mod oauth;
pub mod redact;
mod resolve;

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

pub use layer::{AdminKeySetting, Layer};
pub use monban_core::password::HashParams;
pub use resolve::resolve;

pub const DEFAULT_LISTEN: &str = "127.0.0.1:9876";
pub const DEFAULT_REGION: &str = "us-east-1";
pub const DEFAULT_DATA_DIR: &str = "./monban-data";
pub const DEFAULT_LOG_LEVEL: &str = "info";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurityName {
    /// No encryption: only for a mail relay on the same host or a test catcher.
    Plain,
    /// Upgrade with STARTTLS (port 587); required, not opportunistic.
    #[default]
    #[value(name = "starttls")]
    #[serde(rename = "starttls")]
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
}

impl SmtpSecurityName {
    pub fn default_port(self) -> u16 {
        match self {
            Self::Plain => 25,
            Self::StartTls => 587,
            Self::Tls => 465,
        }
    }
}

fn parse_value_enum<T: clap::ValueEnum>(text: &str) -> Result<T, String> {
    T::from_str(text.trim(), true).map_err(|_| {
        let names: Vec<String> = T::value_variants()
            .iter()
            .filter_map(|v| v.to_possible_value().map(|p| p.get_name().to_owned()))
            .collect();
        format!("{text:?} is not one of {}", names.join(", "))
    })
}

/// How the `iss` claim of tokens is spelled (`issuer_style`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum IssuerStyleName {
    /// `{public_url}/{userPoolId}`: the issuer serves its own discovery and JWKS.
    #[default]
    Monban,
    /// `https://cognito-idp.{region}.amazonaws.com/{userPoolId}`, for verifiers that
    /// hard-code Cognito's issuer (give them monban's JWKS URL).
    Aws,
}

impl std::str::FromStr for IssuerStyleName {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        parse_value_enum(text)
    }
}

impl std::str::FromStr for LogFormat {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        parse_value_enum(text)
    }
}

impl std::str::FromStr for SmtpSecurityName {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        parse_value_enum(text)
    }
}

/// Where GetCredentialsForIdentity's credentials come from (`credentials.source`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum CredentialSourceName {
    /// monban mints them and verifies them at `POST /_monban/credentials/verify`.
    #[default]
    Monban,
    /// An STS-compatible endpoint, called with AssumeRoleWithWebIdentity.
    Upstream,
}

impl std::str::FromStr for CredentialSourceName {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        parse_value_enum(text)
    }
}

/// Identity-pool credentials, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialsSettings {
    pub source: CredentialSourceName,
    /// The STS endpoint of source `upstream` (`None` for `monban`).
    pub sts_endpoint: Option<String>,
    pub duration_secs: u64,
}

/// The effective settings after merging and checking.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The TOML file that was read, if any.
    pub config_file: Option<PathBuf>,
    pub listen: String,
    /// Base of token issuers and links, without a trailing slash.
    pub public_url: String,
    pub region: String,
    pub database_url: String,
    pub data_dir: PathBuf,
    /// Accept any SigV4 signature. Never in production.
    pub dev: bool,
    /// Development mode only: the database is in memory and goes with the process.
    pub ephemeral: bool,
    /// Development mode only: ids, codes and tokens come from a generator with this seed.
    pub random_seed: Option<u64>,
    /// Configured admin keys; the data directory's key comes on top at start.
    pub admin_keys: Vec<AdminKeySetting>,
    pub smtp: Option<Smtp>,
    /// Sender of mail for pools on Cognito's default email.
    pub mail_from: String,
    pub log: LogSettings,
    pub argon2: HashParams,
    pub issuer_style: IssuerStyleName,
    /// Lifetimes and attempt limit of confirmation and reset codes.
    pub codes: monban_core::codes::CodeSettings,
    /// Failed sign-in lockout thresholds.
    pub lockout: monban_core::auth::flows::LockoutSettings,
    /// Per-source throttling of the public sign-in and sign-up operations.
    pub throttling: monban_core::throttling::ThrottleSettings,
    /// The hosted UI's sign-in session lifetime.
    pub hosted_ui: monban_core::hosted_ui::HostedUiSettings,
    /// Identity-pool credentials: source, upstream STS, lifetime.
    pub credentials: CredentialsSettings,
    /// How Lambda triggers are called (webhooks).
    pub triggers: monban_server::WebhookSettings,
    /// Where SMS are POSTed (`None`: the SMS outbox).
    pub sms_webhook_url: Option<String>,
    /// What the OpenID Connect provider ARNs of identity pools stand for.
    pub oidc_providers: Vec<file::OidcProviderFile>,
    /// Mail delivery: sending limits, retries, DKIM.
    pub mail: mail::MailSettings,
    /// Audit trail: trusted proxies and retention.
    pub audit: monban_core::audit::AuditSettings,
    /// Prefix-domain base and strict-OIDC clients.
    pub oauth: monban_core::oauth::OAuthSettings,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogSettings {
    pub format: LogFormat,
    /// A `RUST_LOG`-style filter.
    pub level: String,
}

#[derive(Clone, PartialEq, Eq)]
pub struct Smtp {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurityName,
    pub username: Option<String>,
    pub password: Option<String>,
}

impl std::fmt::Debug for Smtp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Smtp")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl Settings {
    /// The database is the default SQLite file inside the data directory.
    pub fn database_in_data_dir(&self) -> bool {
        self.database_url == resolve::default_database_url(&self.data_dir)
    }

    pub fn core_settings(&self) -> monban_core::Settings {
        monban_core::Settings {
            region: self.region.clone(),
            public_url: self.public_url.clone(),
            default_from: self.mail_from.clone(),
            password_hashing: self.argon2,
            issuer_style: match self.issuer_style {
                IssuerStyleName::Monban => monban_core::IssuerStyle::Monban,
                IssuerStyleName::Aws => monban_core::IssuerStyle::Aws,
            },
            codes: self.codes,
            lockout: self.lockout,
            throttling: self.throttling,
            hosted_ui: self.hosted_ui,
            credentials: self.core_credentials(),
            identity_pools: monban_core::identity_pools::IdentityPoolSettings {
                oidc_providers: self
                    .oidc_providers
                    .iter()
                    .map(|p| monban_core::identity_pools::OidcProviderSetting {
                        arn: p.arn.clone(),
                        issuer: p.issuer.clone(),
                        audiences: p.audiences.clone(),
                    })
                    .collect(),
                oidc_keys: Some(std::sync::Arc::new(monban_server::HttpOidcKeys::new())),
            },
            audit: self.audit.clone(),
            oauth: self.oauth.clone(),
            ..monban_core::Settings::default()
        }
    }
}

impl Settings {
    fn core_credentials(&self) -> monban_core::credentials::CredentialSettings {
        use monban_core::credentials::{CredentialSettings, CredentialSource, Upstream};
        let source = match (&self.credentials.source, &self.credentials.sts_endpoint) {
            (CredentialSourceName::Upstream, Some(endpoint)) => {
                CredentialSource::Upstream(std::sync::Arc::new(Upstream {
                    endpoint: endpoint.clone(),
                    transport: std::sync::Arc::new(monban_server::HttpStsTransport::new()),
                }))
            }
            _ => CredentialSource::Monban,
        };
        CredentialSettings {
            source,
            duration: std::time::Duration::from_secs(self.credentials.duration_secs),
        }
    }
}

/// Reads the settings file (`config_flag`, else `MONBAN_CONFIG` in `env`) and merges
/// `flags` over `env` over the file over defaults.
pub fn load(
    flags: Layer,
    config_flag: Option<PathBuf>,
    env: Vec<(String, String)>,
) -> anyhow::Result<Settings> {
    let config_file = config_flag.or_else(|| {
        env.iter()
            .find(|(name, value)| name == "MONBAN_CONFIG" && !value.is_empty())
            .map(|(_, value)| PathBuf::from(value))
    });
    let env_layer = Layer::from_env(env)?;
    let file_layer = match &config_file {
        Some(path) => file::load(path)?,
        None => Layer::default(),
    };
    resolve(flags.over(env_layer).over(file_layer), config_file)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use std::io::Write;

    use super::*;

    fn config_file(text: &str) -> tempfile::NamedTempFile {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(text.as_bytes()).unwrap();
        f
    }

    fn vars(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn flags_beat_env_beat_file_beat_defaults() {
        let file = config_file(
            "version = 1\nregion = \"eu-west-1\"\nlisten = \"127.0.0.1:7000\"\n\
             public_url = \"https://file.example\"\n[argon2]\niterations = 5\n",
        );
        let env = vars(&[
            ("MONBAN_REGION", "eu-central-1"),
            ("MONBAN_LISTEN", "127.0.0.1:7001"),
        ]);
        let flags = Layer {
            region: Some("ap-northeast-1".into()),
            ..Layer::default()
        };
        let s = load(flags, Some(file.path().to_path_buf()), env).unwrap();
        assert_eq!(s.region, "ap-northeast-1", "flag over env and file");
        assert_eq!(s.listen, "127.0.0.1:7001", "env over file");
        assert_eq!(s.public_url, "https://file.example", "file over default");
        assert_eq!(s.argon2.iterations, 5, "file over default");
        assert_eq!(s.argon2.memory_kib, 19456, "default");
        assert_eq!(s.argon2.parallelism, 1, "default");
        assert_eq!(s.config_file.as_deref(), Some(file.path()));
    }

    #[test]
    fn config_file_comes_from_monban_config_when_no_flag() {
        let file = config_file("version = 1\nregion = \"sa-east-1\"\n");
        let env = vars(&[("MONBAN_CONFIG", file.path().to_str().unwrap())]);
        let s = load(Layer::default(), None, env).unwrap();
        assert_eq!(s.region, "sa-east-1");
    }

    #[test]
    fn flag_config_beats_monban_config() {
        let used = config_file("version = 1\nregion = \"sa-east-1\"\n");
        let env = vars(&[("MONBAN_CONFIG", "/nonexistent/monban.toml")]);
        let s = load(Layer::default(), Some(used.path().to_path_buf()), env).unwrap();
        assert_eq!(s.region, "sa-east-1");
    }

    #[test]
    fn missing_config_file_is_an_error_naming_it() {
        let err = load(
            Layer::default(),
            Some(PathBuf::from("/nonexistent/monban.toml")),
            vec![],
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("/nonexistent/monban.toml"),
            "{err}"
        );
    }

    #[test]
    fn file_with_unknown_key_is_rejected_through_load() {
        let file = config_file("version = 1\nregoin = \"x\"\n");
        let err = load(Layer::default(), Some(file.path().to_path_buf()), vec![]).unwrap_err();
        assert!(err.to_string().contains("regoin"), "{err}");
    }

    #[test]
    fn admin_keys_from_a_higher_layer_replace_lower_ones() {
        let file = config_file(
            "version = 1\n[[admin_keys]]\naccess_key_id = \"AKIAFILE\"\nsecret_access_key = \"f\"\n",
        );
        let env = vars(&[("MONBAN_ADMIN_KEYS", "AKIAENV:e")]);
        let s = load(Layer::default(), Some(file.path().to_path_buf()), env).unwrap();
        let ids: Vec<_> = s
            .admin_keys
            .iter()
            .map(|k| k.access_key_id.as_str())
            .collect();
        assert_eq!(ids, ["AKIAENV"]);
    }
}
