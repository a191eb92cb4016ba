//! Mail delivery settings: sending limits, retries of temporary SMTP failures, DKIM keys.
//! Flags `--mail-*`/`--dkim-*`, variables `MONBAN_MAIL_*`/`MONBAN_DKIM_*`, and the file's
//! `[mail]` table (which alone holds per-pool DKIM signers, `[[mail.dkim_pools]]`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Args;
use monban_core::mail::SendLimits;
use monban_server::{DkimKey, DkimSigner, DkimSigners, RetryPolicy};
use serde::{Deserialize, Serialize};

/// The selector DKIM keys are published under when none is configured.
pub const DEFAULT_DKIM_SELECTOR: &str = "monban";

/// A pool signing with its own key, selector or domain.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DkimPoolFile {
    pub pool_id: String,
    /// Default: the server-wide key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_file: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selector: Option<String>,
    /// Default: the domain of the pool's sender address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
}

/// One source's mail settings (also the `[mail]` table of the settings file).
#[derive(Debug, Default, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MailLayer {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit_per_pool: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit_per_recipient: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit_window_secs: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_initial_ms: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_max_secs: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_max_attempts: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub poll_ms: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dkim_key_file: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dkim_selector: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dkim_domain: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dkim_pools: Option<Vec<DkimPoolFile>>,
}

impl MailLayer {
    /// `self` where it has a value, `lower` elsewhere.
    pub fn over(self, lower: MailLayer) -> MailLayer {
        MailLayer {
            limit_per_pool: self.limit_per_pool.or(lower.limit_per_pool),
            limit_per_recipient: self.limit_per_recipient.or(lower.limit_per_recipient),
            limit_window_secs: self.limit_window_secs.or(lower.limit_window_secs),
            retry_initial_ms: self.retry_initial_ms.or(lower.retry_initial_ms),
            retry_max_secs: self.retry_max_secs.or(lower.retry_max_secs),
            retry_max_attempts: self.retry_max_attempts.or(lower.retry_max_attempts),
            poll_ms: self.poll_ms.or(lower.poll_ms),
            dkim_key_file: self.dkim_key_file.or(lower.dkim_key_file),
            dkim_selector: self.dkim_selector.or(lower.dkim_selector),
            dkim_domain: self.dkim_domain.or(lower.dkim_domain),
            dkim_pools: self.dkim_pools.or(lower.dkim_pools),
        }
    }

    /// Takes `MONBAN_MAIL_*` and `MONBAN_DKIM_*` variables; `false` for any other name.
    pub fn set_env(&mut self, name: &str, value: &str) -> anyhow::Result<bool> {
        fn number<T: std::str::FromStr>(name: &str, value: &str) -> anyhow::Result<Option<T>> {
            value
                .trim()
                .parse()
                .map(Some)
                .map_err(|_| anyhow::anyhow!("{name}: expected a number, got {value:?}"))
        }
        match name {
            "MONBAN_MAIL_LIMIT_PER_POOL" => self.limit_per_pool = number(name, value)?,
            "MONBAN_MAIL_LIMIT_PER_RECIPIENT" => self.limit_per_recipient = number(name, value)?,
            "MONBAN_MAIL_LIMIT_WINDOW_SECS" => self.limit_window_secs = number(name, value)?,
            "MONBAN_MAIL_RETRY_INITIAL_MS" => self.retry_initial_ms = number(name, value)?,
            "MONBAN_MAIL_RETRY_MAX_SECS" => self.retry_max_secs = number(name, value)?,
            "MONBAN_MAIL_RETRY_MAX_ATTEMPTS" => self.retry_max_attempts = number(name, value)?,
            "MONBAN_MAIL_POLL_MS" => self.poll_ms = number(name, value)?,
            "MONBAN_DKIM_KEY_FILE" => self.dkim_key_file = Some(PathBuf::from(value)),
            "MONBAN_DKIM_SELECTOR" => self.dkim_selector = Some(value.to_owned()),
            "MONBAN_DKIM_DOMAIN" => self.dkim_domain = Some(value.to_owned()),
            _ => return Ok(false),
        }
        Ok(true)
    }
}

/// The command-line flags of the mail settings.
#[derive(Debug, Default, Args)]
pub struct MailArgs {
    /// Messages accepted per pool within the limit window; 0 for no limit [env: MONBAN_MAIL_LIMIT_PER_POOL] [default: 1000]
    #[arg(long, global = true, value_name = "N")]
    pub mail_limit_per_pool: Option<u32>,
    /// Messages accepted per recipient address of a pool within the window; 0 for no limit [env: MONBAN_MAIL_LIMIT_PER_RECIPIENT] [default: 20]
    #[arg(long, global = true, value_name = "N")]
    pub mail_limit_per_recipient: Option<u32>,
    /// The window of the sending limits [env: MONBAN_MAIL_LIMIT_WINDOW_SECS] [default: 3600]
    #[arg(long, global = true, value_name = "SECONDS")]
    pub mail_limit_window_secs: Option<u64>,
    /// Wait after a temporary SMTP failure, doubled after each further one [env: MONBAN_MAIL_RETRY_INITIAL_MS] [default: 30000]
    #[arg(long, global = true, value_name = "MS")]
    pub mail_retry_initial_ms: Option<u64>,
    /// Longest wait between two attempts [env: MONBAN_MAIL_RETRY_MAX_SECS] [default: 3600]
    #[arg(long, global = true, value_name = "SECONDS")]
    pub mail_retry_max_secs: Option<u64>,
    /// Attempts before a message fails [env: MONBAN_MAIL_RETRY_MAX_ATTEMPTS] [default: 8]
    #[arg(long, global = true, value_name = "N")]
    pub mail_retry_max_attempts: Option<u32>,
    /// How often the mail log is checked for messages due [env: MONBAN_MAIL_POLL_MS] [default: 1000]
    #[arg(long, global = true, value_name = "MS")]
    pub mail_poll_ms: Option<u64>,
    /// DKIM private key: RSA in PEM, or an Ed25519 seed in base64 [env: MONBAN_DKIM_KEY_FILE]
    #[arg(long, global = true, value_name = "FILE")]
    pub dkim_key_file: Option<PathBuf>,
    /// DKIM selector [env: MONBAN_DKIM_SELECTOR] [default: monban]
    #[arg(long, global = true, value_name = "SELECTOR")]
    pub dkim_selector: Option<String>,
    /// DKIM signing domain (d=) [env: MONBAN_DKIM_DOMAIN] [default: the sender address's domain]
    #[arg(long, global = true, value_name = "DOMAIN")]
    pub dkim_domain: Option<String>,
}

impl MailArgs {
    pub fn to_layer(&self) -> MailLayer {
        MailLayer {
            limit_per_pool: self.mail_limit_per_pool,
            limit_per_recipient: self.mail_limit_per_recipient,
            limit_window_secs: self.mail_limit_window_secs,
            retry_initial_ms: self.mail_retry_initial_ms,
            retry_max_secs: self.mail_retry_max_secs,
            retry_max_attempts: self.mail_retry_max_attempts,
            poll_ms: self.mail_poll_ms,
            dkim_key_file: self.dkim_key_file.clone(),
            dkim_selector: self.dkim_selector.clone(),
            dkim_domain: self.dkim_domain.clone(),
            dkim_pools: None,
        }
    }
}

/// The mail settings, checked, with the DKIM keys read.
#[derive(Debug, Clone)]
pub struct MailSettings {
    pub limits: SendLimits,
    pub retry: RetryPolicy,
    pub poll: Duration,
    pub dkim: DkimSigners,
    /// Where the server-wide key came from (for `config check`).
    pub dkim_key_file: Option<PathBuf>,
}

/// The settings as the file's `[mail]` table; key files by path, never their content.
pub fn to_file(mail: &MailSettings) -> MailLayer {
    let secs = |ms: i64| u64::try_from(ms / 1000).ok();
    let default = mail.dkim.default.as_ref();
    let mut pools: Vec<DkimPoolFile> = mail
        .dkim
        .pools
        .iter()
        .map(|(pool_id, signer)| DkimPoolFile {
            pool_id: pool_id.clone(),
            key_file: None,
            selector: Some(signer.selector.clone()),
            domain: signer.domain.clone(),
        })
        .collect();
    pools.sort_by(|a, b| a.pool_id.cmp(&b.pool_id));
    MailLayer {
        limit_per_pool: Some(mail.limits.per_pool),
        limit_per_recipient: Some(mail.limits.per_recipient),
        limit_window_secs: secs(mail.limits.window_ms),
        retry_initial_ms: u64::try_from(mail.retry.initial_ms).ok(),
        retry_max_secs: secs(mail.retry.max_ms),
        retry_max_attempts: u32::try_from(mail.retry.max_attempts).ok(),
        poll_ms: u64::try_from(mail.poll.as_millis()).ok(),
        dkim_key_file: mail.dkim_key_file.clone(),
        dkim_selector: default.map(|d| d.selector.clone()),
        dkim_domain: default.and_then(|d| d.domain.clone()),
        dkim_pools: (!pools.is_empty()).then_some(pools),
    }
}

fn ms(secs: u64) -> i64 {
    i64::try_from(secs.saturating_mul(1000)).unwrap_or(i64::MAX)
}

fn read_key(path: &Path, what: &str, problems: &mut Vec<String>) -> Option<DkimKey> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) => {
            problems.push(format!("{what} {}: cannot read it: {e}", path.display()));
            return None;
        }
    };
    DkimKey::parse(&text)
        .map_err(|e| problems.push(format!("{what} {}: {e}", path.display())))
        .ok()
}

fn resolve_dkim(layer: &MailLayer, problems: &mut Vec<String>) -> DkimSigners {
    let selector = layer
        .dkim_selector
        .clone()
        .unwrap_or_else(|| DEFAULT_DKIM_SELECTOR.to_owned());
    let check_selector = |s: &str, problems: &mut Vec<String>| {
        let ok = !s.is_empty()
            && s.split('.').all(|label| {
                !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            });
        if !ok {
            problems.push(format!("mail.dkim_selector {s:?}: not a DNS label"));
        }
    };
    check_selector(&selector, problems);
    let key = layer
        .dkim_key_file
        .as_deref()
        .and_then(|path| read_key(path, "mail.dkim_key_file", problems));
    let default = key.clone().map(|key| DkimSigner {
        key,
        selector: selector.clone(),
        domain: layer.dkim_domain.clone(),
    });
    let mut pools = HashMap::new();
    for pool in layer.dkim_pools.iter().flatten() {
        let own_key = pool
            .key_file
            .as_deref()
            .and_then(|path| read_key(path, "mail.dkim_pools key_file", problems));
        let Some(key) = own_key.or_else(|| key.clone()) else {
            if pool.key_file.is_none() {
                problems.push(format!(
                    "mail.dkim_pools {:?}: no key_file and no server-wide mail.dkim_key_file",
                    pool.pool_id
                ));
            }
            continue;
        };
        let pool_selector = pool.selector.clone().unwrap_or_else(|| selector.clone());
        check_selector(&pool_selector, problems);
        pools.insert(
            pool.pool_id.clone(),
            DkimSigner {
                key,
                selector: pool_selector,
                domain: pool.domain.clone().or_else(|| layer.dkim_domain.clone()),
            },
        );
    }
    DkimSigners { default, pools }
}

pub fn resolve(layer: &MailLayer, problems: &mut Vec<String>) -> MailSettings {
    let limit_defaults = SendLimits::default();
    let retry_defaults = RetryPolicy::default();
    let window_secs = layer.limit_window_secs.unwrap_or(3600);
    if window_secs == 0 {
        problems.push("mail.limit_window_secs: must be at least 1".into());
    }
    let retry = RetryPolicy {
        initial_ms: layer
            .retry_initial_ms
            .map_or(retry_defaults.initial_ms, |v| {
                i64::try_from(v).unwrap_or(i64::MAX)
            }),
        max_ms: layer.retry_max_secs.map_or(retry_defaults.max_ms, ms),
        max_attempts: layer
            .retry_max_attempts
            .map_or(retry_defaults.max_attempts, i64::from),
    };
    if retry.initial_ms < 1 || retry.max_attempts < 1 {
        problems.push("mail.retry_initial_ms and mail.retry_max_attempts: at least 1".into());
    }
    let poll_ms = layer.poll_ms.unwrap_or(1000);
    if poll_ms == 0 {
        problems.push("mail.poll_ms: must be at least 1".into());
    }
    MailSettings {
        limits: SendLimits {
            per_pool: layer.limit_per_pool.unwrap_or(limit_defaults.per_pool),
            per_recipient: layer
                .limit_per_recipient
                .unwrap_or(limit_defaults.per_recipient),
            window_ms: ms(window_secs),
        },
        retry,
        poll: Duration::from_millis(poll_ms),
        dkim: resolve_dkim(layer, problems),
        dkim_key_file: layer.dkim_key_file.clone(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use std::io::Write;

    use super::*;

    #[test]
    fn defaults_are_far_above_a_person_and_far_below_a_bomb() {
        let mut problems = Vec::new();
        let s = resolve(&MailLayer::default(), &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(s.limits, SendLimits::default());
        assert_eq!(s.retry, RetryPolicy::default());
        assert!(s.dkim.default.is_none());
    }

    #[test]
    fn a_key_file_gives_a_signer_and_a_bad_one_a_problem() {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        writeln!(file, "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=").unwrap();
        let layer = MailLayer {
            dkim_key_file: Some(file.path().to_path_buf()),
            dkim_pools: Some(vec![DkimPoolFile {
                pool_id: "us-east-1_A".into(),
                key_file: None,
                selector: Some("pool-a".into()),
                domain: Some("a.example".into()),
            }]),
            ..MailLayer::default()
        };
        let mut problems = Vec::new();
        let s = resolve(&layer, &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        let default = s.dkim.default.unwrap();
        assert_eq!(default.selector, DEFAULT_DKIM_SELECTOR);
        assert_eq!(default.key.algorithm_name(), "ed25519");
        assert_eq!(s.dkim.pools["us-east-1_A"].selector, "pool-a");

        let bad = MailLayer {
            dkim_key_file: Some("/nonexistent/dkim.pem".into()),
            dkim_selector: Some("bad selector".into()),
            ..MailLayer::default()
        };
        let mut problems = Vec::new();
        resolve(&bad, &mut problems);
        assert_eq!(problems.len(), 2, "{problems:?}");
    }

    #[test]
    fn env_names_are_taken_and_others_left() {
        let mut layer = MailLayer::default();
        assert!(layer
            .set_env("MONBAN_MAIL_LIMIT_PER_RECIPIENT", "3")
            .unwrap());
        assert!(layer.set_env("MONBAN_DKIM_SELECTOR", "s2").unwrap());
        assert!(!layer.set_env("MONBAN_REGION", "x").unwrap());
        assert!(layer.set_env("MONBAN_MAIL_POLL_MS", "soon").is_err());
        assert_eq!(layer.limit_per_recipient, Some(3));
        let merged = MailLayer {
            limit_per_pool: Some(9),
            ..MailLayer::default()
        }
        .over(layer);
        assert_eq!(
            (merged.limit_per_pool, merged.limit_per_recipient),
            (Some(9), Some(3))
        );
    }
}
