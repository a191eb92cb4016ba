//! Audit trail settings: the proxies whose forwarding headers give the recorded source IP,
//! and how long records are kept. Flags `--trusted-proxy` (repeatable) and
//! `--audit-retention-days`, variables `MONBAN_TRUSTED_PROXIES` (comma-separated) and
//! `MONBAN_AUDIT_RETENTION_DAYS`, and the file's `[audit]` table.

use clap::Args;
use monban_core::audit::{AuditSettings, IpNet};
use serde::{Deserialize, Serialize};

/// One source's audit settings (also the `[audit]` table of the settings file).
#[derive(Debug, Default, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AuditLayer {
    /// IPs or CIDR blocks (`10.0.0.0/8`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trusted_proxies: Option<Vec<String>>,
    /// 0: keep for ever.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retention_days: Option<u32>,
}

impl AuditLayer {
    pub fn over(self, lower: AuditLayer) -> AuditLayer {
        AuditLayer {
            trusted_proxies: self.trusted_proxies.or(lower.trusted_proxies),
            retention_days: self.retention_days.or(lower.retention_days),
        }
    }

    /// Takes `name` if it is one of ours; `Ok(false)` leaves it to others.
    pub fn set_env(&mut self, name: &str, value: &str) -> anyhow::Result<bool> {
        match name {
            "MONBAN_TRUSTED_PROXIES" => {
                self.trusted_proxies = Some(
                    value
                        .split(',')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(str::to_owned)
                        .collect(),
                );
            }
            "MONBAN_AUDIT_RETENTION_DAYS" => {
                self.retention_days = Some(value.trim().parse().map_err(|_| {
                    anyhow::anyhow!("{name}: expected a number of days, got `{value}`")
                })?);
            }
            _ => return Ok(false),
        }
        Ok(true)
    }
}

#[derive(Debug, Default, Args)]
pub struct AuditArgs {
    /// Proxy whose X-Forwarded-For / Forwarded headers are believed (IP or CIDR), repeatable [env: MONBAN_TRUSTED_PROXIES, comma-separated] [default: none]
    #[arg(long = "trusted-proxy", global = true, value_name = "CIDR")]
    pub trusted_proxies: Vec<String>,
    /// Audit records older than this are pruned behind a signed checkpoint; 0 keeps them for ever [env: MONBAN_AUDIT_RETENTION_DAYS] [default: 0]
    #[arg(long, global = true, value_name = "DAYS")]
    pub audit_retention_days: Option<u32>,
}

impl AuditArgs {
    pub fn to_layer(&self) -> AuditLayer {
        AuditLayer {
            trusted_proxies: (!self.trusted_proxies.is_empty())
                .then(|| self.trusted_proxies.clone()),
            retention_days: self.audit_retention_days,
        }
    }
}

pub fn to_file(settings: &AuditSettings) -> AuditLayer {
    AuditLayer {
        trusted_proxies: Some(
            settings
                .trusted_proxies
                .iter()
                .map(ToString::to_string)
                .collect(),
        ),
        retention_days: Some(settings.retention_days.unwrap_or(0)),
    }
}

pub fn resolve(layer: &AuditLayer, problems: &mut Vec<String>) -> AuditSettings {
    let mut trusted_proxies = Vec::new();
    for entry in layer.trusted_proxies.iter().flatten() {
        match entry.parse::<IpNet>() {
            Ok(net) => trusted_proxies.push(net),
            Err(e) => problems.push(format!("trusted_proxies: {e}")),
        }
    }
    AuditSettings {
        trusted_proxies,
        retention_days: layer.retention_days.filter(|days| *days > 0),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn proxies_and_retention_resolve_and_bad_blocks_are_problems() {
        let mut layer = AuditLayer::default();
        assert!(layer
            .set_env("MONBAN_TRUSTED_PROXIES", "10.0.0.0/8, 192.0.2.1")
            .unwrap());
        assert!(layer.set_env("MONBAN_AUDIT_RETENTION_DAYS", "30").unwrap());
        assert!(!layer.set_env("MONBAN_REGION", "x").unwrap());
        let mut problems = Vec::new();
        let settings = resolve(&layer, &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(settings.trusted_proxies.len(), 2);
        assert!(settings.trusted_proxies[0].contains("10.9.8.7".parse().unwrap()));
        assert_eq!(settings.retention_days, Some(30));

        let bad = AuditLayer {
            trusted_proxies: Some(vec!["not-an-ip".into()]),
            retention_days: Some(0),
        };
        let settings = resolve(&bad, &mut problems);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("not-an-ip"), "{problems:?}");
        assert_eq!(settings.retention_days, None);
    }
}
