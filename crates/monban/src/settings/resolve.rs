//! From merged layers to checked [`Settings`]: defaults filled in, every value validated,
//! and all problems reported together so one `config check` shows them all.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};

use super::{
    HashParams, Layer, LogSettings, Settings, Smtp, DEFAULT_DATA_DIR, DEFAULT_LISTEN,
    DEFAULT_LOG_LEVEL, DEFAULT_REGION,
};

/// Characters that would end the path part of a `sqlite://` URL (sqlx percent-decodes it).
const SQLITE_PATH: &AsciiSet = &CONTROLS.add(b'%').add(b'?').add(b'#');

pub fn default_database_url(data_dir: &Path) -> String {
    let path = data_dir.join("monban.db");
    let encoded = utf8_percent_encode(&path.to_string_lossy(), SQLITE_PATH).to_string();
    format!("sqlite://{encoded}?mode=rwc")
}

/// Where clients reach a server listening on `listen`: a wildcard address becomes loopback.
fn default_public_url(listen: &str) -> String {
    let (host, port) = listen.rsplit_once(':').unwrap_or((listen, ""));
    let host = match host {
        "0.0.0.0" | "" => "127.0.0.1",
        "[::]" => "[::1]",
        other => other,
    };
    format!("http://{host}:{port}")
}

pub fn resolve(layer: Layer, config_file: Option<PathBuf>) -> anyhow::Result<Settings> {
    let mut problems = Vec::new();
    let defaults = monban_core::Settings::default();
    let mut smtp_problems = Vec::new();
    let smtp = resolve_smtp(&layer, &mut smtp_problems);
    let codes = resolve_codes(&layer, &mut problems);
    let lockout = resolve_lockout(&layer, &mut problems);
    let throttling = resolve_throttling(&layer);
    let hosted_ui = resolve_hosted_ui(&layer, &mut problems);
    let dev = super::dev::resolve_dev(&layer, &mut problems);
    let triggers = resolve_triggers(&layer, &mut problems);
    let mail = super::mail::resolve(&layer.mail, &mut problems);
    let audit = super::audit::resolve(&layer.audit, &mut problems);
    let oauth = super::oauth::resolve(&layer.oauth, &mut problems);
    let sms_webhook_url = layer
        .sms_webhook_url
        .clone()
        .filter(|u| !u.trim().is_empty());
    if let Some(url) = sms_webhook_url
        .as_deref()
        .filter(|u| !u.starts_with("http://") && !u.starts_with("https://"))
    {
        problems.push(format!("sms.webhook_url {url:?}: not an http(s) URL"));
    }
    let oidc_providers = resolve_oidc_providers(&layer, &mut problems);
    let credentials = resolve_credentials(
        &layer,
        layer.region.as_deref().unwrap_or(DEFAULT_REGION),
        &mut problems,
    );

    let listen = layer.listen.unwrap_or_else(|| DEFAULT_LISTEN.to_owned());
    if let Err(e) = check_listen(&listen) {
        problems.push(format!("listen {listen:?}: {e}"));
    }

    let public_url = layer
        .public_url
        .unwrap_or_else(|| default_public_url(&listen));
    let public_url = public_url.trim_end_matches('/').to_owned();
    if let Err(e) = check_public_url(&public_url) {
        problems.push(format!("public_url {public_url:?}: {e}"));
    }

    let region = layer.region.unwrap_or_else(|| DEFAULT_REGION.to_owned());
    let region_ok = !region.is_empty()
        && region
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !region_ok {
        problems.push(format!(
            "region {region:?}: expected an AWS region name such as us-east-1"
        ));
    }

    let data_dir = layer
        .data_dir
        .unwrap_or_else(|| PathBuf::from(DEFAULT_DATA_DIR));
    let database_url = match (&layer.database_url, dev.ephemeral) {
        (_, true) => super::dev::EPHEMERAL_DATABASE_URL.to_owned(),
        (Some(url), false) => url.clone(),
        (None, false) => default_database_url(&data_dir),
    };
    let scheme_ok = ["sqlite:", "postgres://", "postgresql://"]
        .iter()
        .any(|s| database_url.starts_with(s));
    if !scheme_ok {
        problems.push(format!(
            "database_url {}: expected sqlite://PATH?mode=rwc or postgres://USER:PASSWORD@HOST/DB",
            super::redact::database_url(&database_url)
        ));
    }

    let admin_keys = layer.admin_keys.unwrap_or_default();
    let mut seen = HashSet::new();
    for key in &admin_keys {
        let id = &key.access_key_id;
        if id.is_empty() || id.chars().any(|c| !c.is_ascii_alphanumeric()) {
            problems.push(format!(
                "admin key {id:?}: an access key id is letters and digits only"
            ));
        }
        if key.secret_access_key.is_empty() || key.secret_access_key.contains(char::is_whitespace) {
            problems.push(format!(
                "admin key {id:?}: the secret access key is empty or contains whitespace"
            ));
        }
        if !seen.insert(id.as_str()) {
            problems.push(format!("admin key {id:?} is configured twice"));
        }
    }

    problems.append(&mut smtp_problems);
    let mail_from = layer.mail_from.unwrap_or(defaults.default_from);
    if !mail_from.contains('@') {
        problems.push(format!("smtp.from {mail_from:?}: not an email address"));
    }

    let level = layer
        .log_level
        .unwrap_or_else(|| DEFAULT_LOG_LEVEL.to_owned());
    if let Err(e) = tracing_subscriber::EnvFilter::try_new(&level) {
        problems.push(format!("log level {level:?}: {e}"));
    }
    let log = LogSettings {
        format: layer.log_format.unwrap_or_default(),
        level,
    };

    let hash_defaults = HashParams::default();
    let argon2 = HashParams {
        memory_kib: layer.argon2_memory_kib.unwrap_or(hash_defaults.memory_kib),
        iterations: layer.argon2_iterations.unwrap_or(hash_defaults.iterations),
        parallelism: layer
            .argon2_parallelism
            .unwrap_or(hash_defaults.parallelism),
    };
    if let Err(e) = argon2::Params::new(
        argon2.memory_kib,
        argon2.iterations,
        argon2.parallelism,
        None,
    ) {
        problems.push(format!(
            "argon2 memory_kib={} iterations={} parallelism={}: {e} \
             (memory_kib must be at least 8 x parallelism, the others at least 1)",
            argon2.memory_kib, argon2.iterations, argon2.parallelism
        ));
    }

    if !problems.is_empty() {
        anyhow::bail!("invalid settings:\n  - {}", problems.join("\n  - "));
    }
    Ok(Settings {
        config_file,
        listen,
        public_url,
        region,
        database_url,
        data_dir,
        dev: layer.dev.unwrap_or(false),
        ephemeral: dev.ephemeral,
        random_seed: dev.random_seed,
        admin_keys,
        smtp,
        mail_from,
        log,
        argon2,
        issuer_style: layer.issuer_style.unwrap_or_default(),
        codes,
        lockout,
        throttling,
        hosted_ui,
        credentials,
        triggers,
        sms_webhook_url,
        oidc_providers,
        mail,
        audit,
        oauth,
    })
}

/// Identity pools' OpenID Connect providers: IAM provider ARNs, http(s) issuers.
fn resolve_oidc_providers(
    layer: &Layer,
    problems: &mut Vec<String>,
) -> Vec<super::file::OidcProviderFile> {
    let providers = layer.oidc_providers.clone().unwrap_or_default();
    for p in &providers {
        if monban_core::identity_pools::oidc_provider_name(&p.arn).is_none() {
            problems.push(format!(
                "identity_pools.oidc_providers arn {:?}: not an IAM OpenID Connect provider ARN \
                 (arn:aws:iam::<account>:oidc-provider/<host/path>)",
                p.arn
            ));
        }
        if !p.issuer.starts_with("http://") && !p.issuer.starts_with("https://") {
            problems.push(format!(
                "identity_pools.oidc_providers issuer {:?}: not an http(s) URL",
                p.issuer
            ));
        }
    }
    providers
}

/// Trigger calls: Cognito's 5 s and no retries unless given; every mapped URL must be
/// http(s).
fn resolve_triggers(layer: &Layer, problems: &mut Vec<String>) -> monban_server::WebhookSettings {
    let defaults = monban_server::WebhookSettings::default();
    let timeout = match layer.trigger_timeout_ms {
        Some(0) => {
            problems.push("triggers.timeout_ms: at least 1".to_owned());
            defaults.timeout
        }
        Some(ms) => std::time::Duration::from_millis(ms),
        None => defaults.timeout,
    };
    let is_url = |u: &str| u.starts_with("http://") || u.starts_with("https://");
    let arn_urls = layer.trigger_arn_urls.clone().unwrap_or_default();
    for (arn, url) in &arn_urls {
        if !is_url(url) {
            problems.push(format!(
                "triggers.arn_urls {arn:?}: {url:?} is not an http(s) URL"
            ));
        }
    }
    if let Some(template) = layer
        .trigger_arn_url_template
        .as_deref()
        .filter(|t| !is_url(t))
    {
        problems.push(format!(
            "triggers.arn_url_template {template:?}: not an http(s) URL"
        ));
    }
    monban_server::WebhookSettings {
        timeout,
        retries: layer.trigger_retries.unwrap_or(defaults.retries),
        arn_urls: arn_urls.into_iter().collect(),
        arn_url_template: layer.trigger_arn_url_template.clone(),
    }
}

/// The credential source; `upstream` needs an http(s) endpoint (AWS STS of `sts_region`, or
/// of `region`, by default) and a lifetime STS accepts (15 minutes to 12 hours).
fn resolve_credentials(
    layer: &Layer,
    region: &str,
    problems: &mut Vec<String>,
) -> super::CredentialsSettings {
    use super::CredentialSourceName;
    let source = layer.credential_source.unwrap_or_default();
    let duration_secs = layer
        .credentials_duration_secs
        .unwrap_or(monban_core::credentials::DEFAULT_DURATION.as_secs());
    let sts_endpoint = match source {
        CredentialSourceName::Monban => {
            if layer.sts_endpoint.is_some() || layer.sts_region.is_some() {
                problems.push(
                    "credentials: sts_endpoint and sts_region need credentials.source = \
                     \"upstream\""
                        .to_owned(),
                );
            }
            if !(1..=43_200).contains(&duration_secs) {
                problems.push(format!(
                    "credentials.duration_secs {duration_secs}: between 1 and 43200 (12 hours)"
                ));
            }
            None
        }
        CredentialSourceName::Upstream => {
            let sts_region = layer.sts_region.as_deref().unwrap_or(region);
            let endpoint = layer
                .sts_endpoint
                .clone()
                .unwrap_or_else(|| format!("https://sts.{sts_region}.amazonaws.com/"));
            let has_host = endpoint
                .split_once("://")
                .is_some_and(|(_, rest)| !rest.is_empty() && !rest.starts_with('/'));
            let scheme_ok = endpoint.starts_with("http://") || endpoint.starts_with("https://");
            if !scheme_ok || !has_host || endpoint.parse::<axum::http::Uri>().is_err() {
                problems.push(format!(
                    "credentials.sts_endpoint {endpoint:?}: expected an http:// or https:// URL"
                ));
            }
            if !(900..=43_200).contains(&duration_secs) {
                problems.push(format!(
                    "credentials.duration_secs {duration_secs}: STS accepts 900 to 43200"
                ));
            }
            Some(endpoint)
        }
    };
    super::CredentialsSettings {
        source,
        sts_endpoint,
        duration_secs,
    }
}

/// Throttling rate and burst, the defaults where not given (a rate of 0 turns it off).
fn resolve_throttling(layer: &Layer) -> monban_core::throttling::ThrottleSettings {
    let defaults = monban_core::throttling::ThrottleSettings::default();
    monban_core::throttling::ThrottleSettings {
        rate_per_sec: layer.throttle_rate.unwrap_or(defaults.rate_per_sec),
        burst: layer.throttle_burst.unwrap_or(defaults.burst),
    }
}

/// The hosted UI's session lifetime: Cognito's hour where not given; zero is refused.
fn resolve_hosted_ui(
    layer: &Layer,
    problems: &mut Vec<String>,
) -> monban_core::hosted_ui::HostedUiSettings {
    let defaults = monban_core::hosted_ui::HostedUiSettings::default();
    match layer.hosted_ui_session_secs {
        Some(0) => {
            problems.push("hosted_ui_session_secs: at least 1".to_owned());
            defaults
        }
        Some(secs) => monban_core::hosted_ui::HostedUiSettings {
            session_lifetime_ms: i64::try_from(secs.saturating_mul(1000)).unwrap_or(i64::MAX),
        },
        None => defaults,
    }
}

/// Lockout thresholds, Cognito's where not given; a cap of zero (no lockout) is refused.
fn resolve_lockout(
    layer: &Layer,
    problems: &mut Vec<String>,
) -> monban_core::auth::flows::LockoutSettings {
    let defaults = monban_core::auth::flows::LockoutSettings::default();
    let max_lockout_ms = match layer.lockout_max_secs {
        Some(0) => {
            problems.push("lockout_max_secs: at least 1".to_owned());
            defaults.max_lockout_ms
        }
        Some(secs) => i64::try_from(secs.saturating_mul(1000)).unwrap_or(i64::MAX),
        None => defaults.max_lockout_ms,
    };
    monban_core::auth::flows::LockoutSettings {
        free_failures: layer
            .lockout_free_failures
            .unwrap_or(defaults.free_failures),
        max_lockout_ms,
    }
}

/// Code lifetimes and attempt limit, Cognito's where not given; zero is refused.
fn resolve_codes(layer: &Layer, problems: &mut Vec<String>) -> monban_core::codes::CodeSettings {
    let defaults = monban_core::codes::CodeSettings::default();
    let mut validity = |name: &str, secs: Option<u64>, default: std::time::Duration| match secs {
        Some(0) => {
            problems.push(format!("{name}: a code must live at least one second"));
            default
        }
        Some(secs) => std::time::Duration::from_secs(secs),
        None => default,
    };
    let sign_up_validity = validity(
        "sign_up_code_validity_secs",
        layer.sign_up_code_validity_secs,
        defaults.sign_up_validity,
    );
    let attribute_verification_validity = validity(
        "verification_code_validity_secs",
        layer.verification_code_validity_secs,
        defaults.attribute_verification_validity,
    );
    let forgot_password_validity = validity(
        "reset_code_validity_secs",
        layer.reset_code_validity_secs,
        defaults.forgot_password_validity,
    );
    let max_failed_attempts = match layer.code_max_attempts {
        Some(0) => {
            problems.push("code_max_attempts: at least 1".to_owned());
            defaults.max_failed_attempts
        }
        Some(n) => n,
        None => defaults.max_failed_attempts,
    };
    monban_core::codes::CodeSettings {
        sign_up_validity,
        attribute_verification_validity,
        forgot_password_validity,
        max_failed_attempts,
    }
}

fn resolve_smtp(layer: &Layer, problems: &mut Vec<String>) -> Option<Smtp> {
    let Some(host) = layer.smtp_host.as_deref().filter(|h| !h.trim().is_empty()) else {
        let stray = layer.smtp_port.is_some()
            || layer.smtp_security.is_some()
            || layer.smtp_username.is_some()
            || layer.smtp_password.is_some();
        if stray {
            problems
                .push("smtp: port, security, username or password given without smtp.host".into());
        }
        return None;
    };
    if layer.smtp_username.is_some() != layer.smtp_password.is_some() {
        problems.push("smtp: username and password go together".into());
    }
    let security = layer.smtp_security.unwrap_or_default();
    let port = layer.smtp_port.unwrap_or_else(|| security.default_port());
    if port == 0 {
        problems.push("smtp.port: 0 is not a port".into());
    }
    Some(Smtp {
        host: host.to_owned(),
        port,
        security,
        username: layer.smtp_username.clone(),
        password: layer.smtp_password.clone(),
    })
}

fn check_listen(listen: &str) -> Result<(), String> {
    if listen.parse::<std::net::SocketAddr>().is_ok() {
        return Ok(());
    }
    match listen.rsplit_once(':') {
        Some((host, port)) if !host.is_empty() && port.parse::<u16>().is_ok() => Ok(()),
        _ => Err("expected HOST:PORT, such as 127.0.0.1:9876".into()),
    }
}

fn check_public_url(url: &str) -> Result<(), String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or("expected an http:// or https:// URL")?;
    let host = rest.split('/').next().unwrap_or_default();
    if host.is_empty() {
        return Err("the URL has no host".into());
    }
    if rest.contains(['?', '#']) || rest.contains(char::is_whitespace) {
        return Err("the URL must not contain a query, a fragment or spaces".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::settings::{AdminKeySetting, LogFormat, SmtpSecurityName};

    fn ok(layer: Layer) -> Settings {
        resolve(layer, None).unwrap()
    }

    fn problems(layer: Layer) -> String {
        resolve(layer, None).unwrap_err().to_string()
    }

    #[test]
    fn triggers_default_to_cognitos_timeout_and_map_arns() {
        let t = ok(Layer::default()).triggers;
        assert_eq!(t.timeout, std::time::Duration::from_secs(5));
        assert_eq!(t.retries, 0);
        assert!(t.arn_urls.is_empty() && t.arn_url_template.is_none());

        let file = crate::settings::file::parse(
            "version = 1\n[triggers]\ntimeout_ms = 1500\nretries = 2\n\
             [triggers.arn_urls]\n\"arn:aws:lambda:us-east-1:1:function:f\" = \"https://h.example/f\"\n",
            std::path::Path::new("t.toml"),
        )
        .unwrap();
        let env = Layer::from_env(vec![(
            "MONBAN_TRIGGER_ARN_URL_TEMPLATE".to_owned(),
            "http://127.0.0.1:3001/{name}".to_owned(),
        )])
        .unwrap();
        let t = ok(env.over(file)).triggers;
        assert_eq!(t.timeout, std::time::Duration::from_millis(1500));
        assert_eq!(t.retries, 2);
        assert_eq!(
            t.arn_urls["arn:aws:lambda:us-east-1:1:function:f"],
            "https://h.example/f"
        );
        assert_eq!(
            t.arn_url_template.as_deref(),
            Some("http://127.0.0.1:3001/{name}")
        );

        let bad = problems(Layer {
            trigger_timeout_ms: Some(0),
            trigger_arn_urls: Some([("arn:x".to_owned(), "ftp://h".to_owned())].into()),
            ..Layer::default()
        });
        assert!(bad.contains("triggers.timeout_ms"), "{bad}");
        assert!(bad.contains("triggers.arn_urls"), "{bad}");
        assert!(Layer::from_env(vec![(
            "MONBAN_TRIGGER_ARN_URLS".to_owned(),
            "no-equals-sign".to_owned()
        )])
        .is_err());
    }

    #[test]
    fn credentials_are_minted_by_monban_for_an_hour_by_default() {
        let s = ok(Layer::default());
        assert_eq!(
            s.credentials,
            crate::settings::CredentialsSettings {
                source: crate::settings::CredentialSourceName::Monban,
                sts_endpoint: None,
                duration_secs: 3600,
            }
        );
        assert!(matches!(
            s.core_settings().credentials.source,
            monban_core::credentials::CredentialSource::Monban
        ));
    }

    #[test]
    fn upstream_credentials_default_to_aws_sts_of_the_region() {
        use crate::settings::CredentialSourceName::Upstream;
        let s = ok(Layer {
            credential_source: Some(Upstream),
            region: Some("eu-west-1".into()),
            ..Layer::default()
        });
        assert_eq!(
            s.credentials.sts_endpoint.as_deref(),
            Some("https://sts.eu-west-1.amazonaws.com/")
        );
        let s = ok(Layer {
            credential_source: Some(Upstream),
            sts_region: Some("ap-south-1".into()),
            ..Layer::default()
        });
        assert_eq!(
            s.credentials.sts_endpoint.as_deref(),
            Some("https://sts.ap-south-1.amazonaws.com/")
        );
        let s = ok(Layer {
            credential_source: Some(Upstream),
            sts_endpoint: Some("http://127.0.0.1:5000/".into()),
            credentials_duration_secs: Some(900),
            ..Layer::default()
        });
        let core = s.core_settings().credentials;
        let endpoint = match &core.source {
            monban_core::credentials::CredentialSource::Upstream(up) => Some(up.endpoint.as_str()),
            monban_core::credentials::CredentialSource::Monban => None,
        };
        assert_eq!(endpoint, Some("http://127.0.0.1:5000/"));
        assert_eq!(core.duration.as_secs(), 900);
    }

    #[test]
    fn bad_credential_settings_are_reported() {
        use crate::settings::CredentialSourceName::Upstream;
        let p = problems(Layer {
            credential_source: Some(Upstream),
            sts_endpoint: Some("ftp://sts.example".into()),
            credentials_duration_secs: Some(60),
            ..Layer::default()
        });
        assert!(p.contains("credentials.sts_endpoint"), "{p}");
        assert!(p.contains("STS accepts 900 to 43200"), "{p}");
        let p = problems(Layer {
            sts_endpoint: Some("http://127.0.0.1:5000/".into()),
            credentials_duration_secs: Some(0),
            ..Layer::default()
        });
        assert!(p.contains("need credentials.source"), "{p}");
        assert!(p.contains("between 1 and 43200"), "{p}");
    }

    #[test]
    fn defaults() {
        let s = ok(Layer::default());
        assert_eq!(s.listen, "127.0.0.1:9876");
        assert_eq!(s.public_url, "http://127.0.0.1:9876");
        assert_eq!(s.region, "us-east-1");
        assert_eq!(s.data_dir, PathBuf::from("./monban-data"));
        assert_eq!(s.database_url, "sqlite://./monban-data/monban.db?mode=rwc");
        assert!(s.database_in_data_dir());
        assert!(!s.dev);
        assert!(s.admin_keys.is_empty());
        assert!(s.smtp.is_none());
        assert_eq!(s.log.format, LogFormat::Text);
        assert_eq!(s.log.level, "info");
        assert_eq!(
            s.argon2,
            HashParams {
                memory_kib: 19456,
                iterations: 2,
                parallelism: 1
            }
        );
    }

    #[test]
    fn database_follows_the_data_dir() {
        let s = ok(Layer {
            data_dir: Some("/var/lib/monban".into()),
            ..Layer::default()
        });
        assert_eq!(
            s.database_url,
            "sqlite:///var/lib/monban/monban.db?mode=rwc"
        );
    }

    #[test]
    fn odd_characters_in_the_data_dir_are_escaped_in_the_url() {
        assert_eq!(
            default_database_url(Path::new("/tmp/a?b#c%d")),
            "sqlite:///tmp/a%3Fb%23c%25d/monban.db?mode=rwc"
        );
    }

    #[test]
    fn public_url_follows_listen_unless_given() {
        let s = ok(Layer {
            listen: Some("0.0.0.0:19876".into()),
            ..Layer::default()
        });
        assert_eq!(s.public_url, "http://127.0.0.1:19876");
        let s = ok(Layer {
            listen: Some("0.0.0.0:19876".into()),
            public_url: Some("https://auth.example.com/".into()),
            ..Layer::default()
        });
        assert_eq!(
            s.public_url, "https://auth.example.com",
            "trailing slash dropped"
        );
    }

    #[test]
    fn smtp_port_defaults_by_security() {
        let s = ok(Layer {
            smtp_host: Some("mail".into()),
            smtp_security: Some(SmtpSecurityName::Tls),
            ..Layer::default()
        });
        let smtp = s.smtp.unwrap();
        assert_eq!((smtp.port, smtp.security), (465, SmtpSecurityName::Tls));
        let s = ok(Layer {
            smtp_host: Some("mail".into()),
            ..Layer::default()
        });
        let smtp = s.smtp.unwrap();
        assert_eq!(
            (smtp.port, smtp.security),
            (587, SmtpSecurityName::StartTls)
        );
    }

    #[test]
    fn smtp_settings_without_host_are_an_error() {
        let msg = problems(Layer {
            smtp_password: Some("pw".into()),
            ..Layer::default()
        });
        assert!(msg.contains("smtp.host"), "{msg}");
        assert!(!msg.contains("pw\""), "{msg}");
    }

    #[test]
    fn identity_pool_oidc_providers_come_from_the_file_and_are_checked() {
        let text = r#"version = 1

[[identity_pools.oidc_providers]]
arn = "arn:aws:iam::000000000000:oidc-provider/login.example.com"
issuer = "https://login.example.com"
audiences = ["client-1"]
"#;
        let file = Path::new("monban.toml");
        let s = ok(crate::settings::file::parse(text, file).unwrap());
        assert_eq!(s.oidc_providers.len(), 1);
        let core = s.core_settings();
        assert_eq!(
            core.identity_pools.oidc_providers[0].issuer,
            "https://login.example.com"
        );
        assert_eq!(
            core.identity_pools.oidc_providers[0].audiences,
            ["client-1"]
        );
        assert!(core.identity_pools.oidc_keys.is_some());
        // `config check` shows them, and its output reads back the same.
        let shown = crate::settings::redact::to_toml(&s).unwrap();
        let again = ok(crate::settings::file::parse(&shown, file).unwrap());
        assert_eq!(again.oidc_providers, s.oidc_providers);

        let msg = problems(Layer {
            oidc_providers: Some(vec![crate::settings::file::OidcProviderFile {
                arn: "login.example.com".into(),
                issuer: "ftp://login.example.com".into(),
                audiences: vec![],
            }]),
            ..Layer::default()
        });
        assert!(
            msg.contains("not an IAM OpenID Connect provider ARN"),
            "{msg}"
        );
        assert!(msg.contains("not an http(s) URL"), "{msg}");
    }

    #[test]
    fn sms_webhook_url_must_be_http() {
        assert_eq!(ok(Layer::default()).sms_webhook_url, None);
        let s = ok(Layer {
            sms_webhook_url: Some("https://sms.example.com/send".into()),
            ..Layer::default()
        });
        assert_eq!(
            s.sms_webhook_url.as_deref(),
            Some("https://sms.example.com/send")
        );
        let msg = problems(Layer {
            sms_webhook_url: Some("sms.example.com".into()),
            ..Layer::default()
        });
        assert!(msg.contains("sms.webhook_url"), "{msg}");
    }

    #[test]
    fn all_problems_are_reported_together() {
        let msg = problems(Layer {
            listen: Some("nonsense".into()),
            public_url: Some("ftp://x".into()),
            database_url: Some("mysql://u:hunter2@h/db".into()),
            log_level: Some("monban=loud".into()),
            argon2_parallelism: Some(0),
            ..Layer::default()
        });
        for needle in [
            "listen",
            "public_url",
            "database_url",
            "log level",
            "argon2",
        ] {
            assert!(msg.contains(needle), "{needle} missing from {msg}");
        }
        assert!(!msg.contains("hunter2"), "password leaked: {msg}");
    }

    #[test]
    fn duplicate_and_malformed_admin_keys_are_errors() {
        let key = |id: &str| AdminKeySetting {
            access_key_id: id.into(),
            secret_access_key: "s".into(),
        };
        let msg = problems(Layer {
            admin_keys: Some(vec![key("AKIA1"), key("AKIA1"), key("bad id")]),
            ..Layer::default()
        });
        assert!(msg.contains("configured twice"), "{msg}");
        assert!(msg.contains("\"bad id\""), "{msg}");
    }

    #[test]
    fn core_settings_carry_the_effective_values() {
        let s = ok(Layer {
            region: Some("eu-west-3".into()),
            mail_from: Some("auth@example.com".into()),
            argon2_memory_kib: Some(65536),
            ..Layer::default()
        });
        let core = s.core_settings();
        assert_eq!(core.region, "eu-west-3");
        assert_eq!(core.public_url, "http://127.0.0.1:9876");
        assert_eq!(core.default_from, "auth@example.com");
        assert_eq!(core.password_hashing.memory_kib, 65536);
        assert_eq!(core.issuer_style, monban_core::IssuerStyle::Monban);
    }

    #[test]
    fn code_settings_default_to_cognito_s_and_reach_core() {
        let core = ok(Layer::default()).core_settings();
        assert_eq!(core.codes, monban_core::codes::CodeSettings::default());
        assert_eq!(core.codes.sign_up_validity.as_secs(), 86_400);
        assert_eq!(core.codes.forgot_password_validity.as_secs(), 3_600);
        let file = crate::settings::file::parse(
            "version = 1\n[codes]\nreset_validity_secs = 600\nmax_attempts = 3\n",
            std::path::Path::new("t.toml"),
        )
        .unwrap();
        let env = Layer::from_env([(
            "MONBAN_SIGN_UP_CODE_VALIDITY_SECS".to_owned(),
            "7200".to_owned(),
        )])
        .unwrap();
        let s = ok(env.over(file));
        let core = s.core_settings();
        assert_eq!(core.codes.sign_up_validity.as_secs(), 7_200);
        assert_eq!(core.codes.attribute_verification_validity.as_secs(), 86_400);
        assert_eq!(core.codes.forgot_password_validity.as_secs(), 600);
        assert_eq!(core.codes.max_failed_attempts, 3);
        let printed = crate::settings::redact::to_toml(&s).unwrap();
        assert!(printed.contains("reset_validity_secs = 600"), "{printed}");
        let msg = problems(Layer {
            reset_code_validity_secs: Some(0),
            code_max_attempts: Some(0),
            ..Layer::default()
        });
        assert!(msg.contains("reset_code_validity_secs"), "{msg}");
        assert!(msg.contains("code_max_attempts"), "{msg}");
    }

    #[test]
    fn lockout_settings_default_to_cognito_s_and_reach_core() {
        let core = ok(Layer::default()).core_settings();
        assert_eq!(
            core.lockout,
            monban_core::auth::flows::LockoutSettings::default()
        );
        assert_eq!(core.lockout.free_failures, 5);
        assert_eq!(core.lockout.max_lockout_ms, 900_000);
        let file = crate::settings::file::parse(
            "version = 1\n[lockout]\nmax_secs = 60\n",
            std::path::Path::new("t.toml"),
        )
        .unwrap();
        let env =
            Layer::from_env([("MONBAN_LOCKOUT_FREE_FAILURES".to_owned(), "3".to_owned())]).unwrap();
        let s = ok(env.over(file));
        let core = s.core_settings();
        assert_eq!(core.lockout.free_failures, 3);
        assert_eq!(core.lockout.max_lockout_ms, 60_000);
        let printed = crate::settings::redact::to_toml(&s).unwrap();
        assert!(printed.contains("[lockout]"), "{printed}");
        let msg = problems(Layer {
            lockout_max_secs: Some(0),
            ..Layer::default()
        });
        assert!(msg.contains("lockout_max_secs"), "{msg}");
    }

    #[test]
    fn hosted_ui_session_lifetime_defaults_to_an_hour_and_reaches_core() {
        let core = ok(Layer::default()).core_settings();
        assert_eq!(core.hosted_ui.session_lifetime_ms, 3_600_000);
        let file = crate::settings::file::parse(
            "version = 1\n[hosted_ui]\nsession_secs = 600\n",
            std::path::Path::new("t.toml"),
        )
        .unwrap();
        let s = ok(Layer::default().over(file));
        assert_eq!(s.core_settings().hosted_ui.session_lifetime_ms, 600_000);
        let printed = crate::settings::redact::to_toml(&s).unwrap();
        assert!(printed.contains("[hosted_ui]"), "{printed}");
        let env = Layer::from_env([("MONBAN_HOSTED_UI_SESSION_SECS".to_owned(), "120".to_owned())])
            .unwrap();
        assert_eq!(
            ok(env).core_settings().hosted_ui.session_lifetime_ms,
            120_000
        );
        let msg = problems(Layer {
            hosted_ui_session_secs: Some(0),
            ..Layer::default()
        });
        assert!(msg.contains("hosted_ui_session_secs"), "{msg}");
    }

    #[test]
    fn issuer_style_reaches_core_and_the_printed_file() {
        let s = ok(crate::settings::file::parse(
            "version = 1\nissuer_style = \"aws\"\n",
            std::path::Path::new("t.toml"),
        )
        .unwrap());
        assert_eq!(
            s.core_settings().issuer_style,
            monban_core::IssuerStyle::Aws
        );
        let printed = crate::settings::redact::to_toml(&s).unwrap();
        assert!(printed.contains("issuer_style = \"aws\""), "{printed}");
        let again = ok(crate::settings::file::parse(
            &printed.replace("<redacted>", "x"),
            std::path::Path::new("t.toml"),
        )
        .unwrap());
        assert_eq!(again.issuer_style, s.issuer_style);
    }
}
