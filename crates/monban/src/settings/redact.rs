//! Settings as they may be shown: secrets (admin secrets, the SMTP password, a password in
//! the database URL) replaced, so `config check` output and logs can be shared.

use super::file::{
    Argon2File, CodesFile, CredentialsFile, FileConfig, HostedUiFile, IdentityPoolsFile,
    LockoutFile, LogFile, SmsFile, SmtpFile, ThrottlingFile, TriggersFile, FILE_VERSION,
};
use super::{AdminKeySetting, Settings};

pub const REDACTED: &str = "<redacted>";

/// A webhook URL with its query (where function keys usually travel) replaced.
fn webhook_url(url: &str) -> String {
    match url.split_once('?') {
        Some((base, _)) => format!("{base}?{REDACTED}"),
        None => url.to_owned(),
    }
}

/// The URL with the password of its user info and any `password=` parameter replaced.
pub fn database_url(url: &str) -> String {
    let (before_query, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let mut out = match before_query.split_once("://") {
        Some((scheme, rest)) => {
            let authority_end = rest.find('/').unwrap_or(rest.len());
            let (authority, path) = rest.split_at(authority_end);
            match authority.rsplit_once('@') {
                Some((userinfo, host)) => match userinfo.split_once(':') {
                    Some((user, _password)) => format!("{scheme}://{user}:{REDACTED}@{host}{path}"),
                    None => before_query.to_owned(),
                },
                None => before_query.to_owned(),
            }
        }
        None => before_query.to_owned(),
    };
    if let Some(query) = query {
        let params: Vec<String> = query
            .split('&')
            .map(|param| match param.split_once('=') {
                Some((name, _)) if name.eq_ignore_ascii_case("password") => {
                    format!("{name}={REDACTED}")
                }
                _ => param.to_owned(),
            })
            .collect();
        out.push('?');
        out.push_str(&params.join("&"));
    }
    out
}

/// The effective settings as a settings file, secrets redacted.
pub fn to_toml(settings: &Settings) -> anyhow::Result<String> {
    let smtp = settings.smtp.as_ref();
    let file = FileConfig {
        version: Some(FILE_VERSION),
        listen: Some(settings.listen.clone()),
        public_url: Some(settings.public_url.clone()),
        region: Some(settings.region.clone()),
        // An ephemeral server's database is implied (and setting both is refused).
        database_url: (!settings.ephemeral).then(|| database_url(&settings.database_url)),
        data_dir: Some(settings.data_dir.clone()),
        dev: Some(settings.dev),
        ephemeral: settings.ephemeral.then_some(true),
        random_seed: settings.random_seed,
        admin_keys: Some(
            settings
                .admin_keys
                .iter()
                .map(|k| AdminKeySetting {
                    access_key_id: k.access_key_id.clone(),
                    secret_access_key: REDACTED.to_owned(),
                })
                .collect(),
        ),
        issuer_style: Some(settings.issuer_style),
        smtp: Some(SmtpFile {
            host: smtp.map(|s| s.host.clone()),
            port: smtp.map(|s| s.port),
            security: smtp.map(|s| s.security),
            username: smtp.and_then(|s| s.username.clone()),
            password: smtp.and_then(|s| s.password.as_ref().map(|_| REDACTED.to_owned())),
            from: Some(settings.mail_from.clone()),
        }),
        log: Some(LogFile {
            format: Some(settings.log.format),
            level: Some(settings.log.level.clone()),
        }),
        argon2: Some(Argon2File {
            memory_kib: Some(settings.argon2.memory_kib),
            iterations: Some(settings.argon2.iterations),
            parallelism: Some(settings.argon2.parallelism),
        }),
        codes: Some(CodesFile {
            sign_up_validity_secs: Some(settings.codes.sign_up_validity.as_secs()),
            verification_validity_secs: Some(
                settings.codes.attribute_verification_validity.as_secs(),
            ),
            reset_validity_secs: Some(settings.codes.forgot_password_validity.as_secs()),
            max_attempts: Some(settings.codes.max_failed_attempts),
        }),
        lockout: Some(LockoutFile {
            free_failures: Some(settings.lockout.free_failures),
            max_secs: Some(u64::try_from(settings.lockout.max_lockout_ms / 1000).unwrap_or(0)),
        }),
        hosted_ui: Some(HostedUiFile {
            session_secs: Some(
                u64::try_from(settings.hosted_ui.session_lifetime_ms / 1000).unwrap_or(0),
            ),
        }),
        throttling: Some(ThrottlingFile {
            rate_per_sec: Some(settings.throttling.rate_per_sec),
            burst: Some(settings.throttling.burst),
        }),
        credentials: Some(CredentialsFile {
            source: Some(settings.credentials.source),
            sts_endpoint: settings.credentials.sts_endpoint.clone(),
            sts_region: None,
            duration_secs: Some(settings.credentials.duration_secs),
        }),
        triggers: Some(TriggersFile {
            timeout_ms: u64::try_from(settings.triggers.timeout.as_millis()).ok(),
            retries: Some(settings.triggers.retries),
            arn_url_template: settings
                .triggers
                .arn_url_template
                .as_deref()
                .map(webhook_url),
            arn_urls: Some(
                settings
                    .triggers
                    .arn_urls
                    .iter()
                    .map(|(arn, url)| (arn.clone(), webhook_url(url)))
                    .collect(),
            ),
        }),
        sms: Some(SmsFile {
            webhook_url: settings.sms_webhook_url.as_deref().map(webhook_url),
        }),
        identity_pools: (!settings.oidc_providers.is_empty()).then(|| IdentityPoolsFile {
            oidc_providers: settings.oidc_providers.clone(),
        }),
        mail: Some(super::mail::to_file(&settings.mail)),
        audit: Some(super::audit::to_file(&settings.audit)),
        oauth: Some(super::oauth::to_file(&settings.oauth)),
    };
    Ok(toml::to_string(&file)?)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::settings::{resolve, Layer};

    #[test]
    fn database_url_password_is_redacted() {
        assert_eq!(
            database_url("postgres://monban:s3cret@db.local:5432/monban"),
            "postgres://monban:<redacted>@db.local:5432/monban"
        );
        assert_eq!(
            database_url("postgres://monban:p@ss@db/monban?sslmode=require"),
            "postgres://monban:<redacted>@db/monban?sslmode=require"
        );
        assert_eq!(
            database_url("postgres://db/monban?user=a&password=s3cret"),
            "postgres://db/monban?user=a&password=<redacted>"
        );
    }

    #[test]
    fn urls_without_a_password_are_unchanged() {
        for url in [
            "sqlite://./monban-data/monban.db?mode=rwc",
            "postgres://monban@db/monban",
            "postgres:///monban?host=/run/postgresql",
        ] {
            assert_eq!(database_url(url), url);
        }
    }

    #[test]
    fn rendered_settings_hide_every_secret_and_parse_back() {
        let settings = resolve(
            Layer {
                database_url: Some("postgres://u:dbsecret@h/db".into()),
                admin_keys: Some(vec![AdminKeySetting {
                    access_key_id: "AKIAVISIBLE".into(),
                    secret_access_key: "adminsecret".into(),
                }]),
                smtp_host: Some("mail.example.com".into()),
                smtp_username: Some("mailer".into()),
                smtp_password: Some("smtpsecret".into()),
                ..Layer::default()
            },
            None,
        )
        .unwrap();
        let text = to_toml(&settings).unwrap();
        for secret in ["dbsecret", "adminsecret", "smtpsecret"] {
            assert!(!text.contains(secret), "{secret} leaked:\n{text}");
        }
        assert!(text.contains("AKIAVISIBLE"), "{text}");
        assert!(text.contains("mail.example.com"), "{text}");
        // The output is itself a valid settings file.
        crate::settings::file::parse(&text, std::path::Path::new("out.toml")).unwrap();
    }
}
