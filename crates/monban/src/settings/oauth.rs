//! OAuth settings: the parent domain of pools' prefix domains (so `Host:
//! {prefix}.{auth_base_domain}` reaches the pool's OAuth endpoints and hosted UI) and the
//! app clients that get strict OpenID Connect instead of Cognito's deviations. Flags
//! `--auth-base-domain` and `--strict-oidc-client` (repeatable), variables
//! `MONBAN_AUTH_BASE_DOMAIN` and `MONBAN_STRICT_OIDC_CLIENTS` (comma-separated), and the
//! file's `[oauth]` table.

use clap::Args;
use monban_core::oauth::OAuthSettings;
use serde::{Deserialize, Serialize};

/// One source's OAuth settings (also the `[oauth]` table of the settings file).
#[derive(Debug, Default, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OAuthLayer {
    /// `auth.example.com`: prefix domain `p` is served at `p.auth.example.com`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth_base_domain: Option<String>,
    /// App client ids.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub strict_oidc_clients: Option<Vec<String>>,
}

impl OAuthLayer {
    pub fn over(self, lower: OAuthLayer) -> OAuthLayer {
        OAuthLayer {
            auth_base_domain: self.auth_base_domain.or(lower.auth_base_domain),
            strict_oidc_clients: self.strict_oidc_clients.or(lower.strict_oidc_clients),
        }
    }

    /// Takes `name` if it is one of ours; `Ok(false)` leaves it to others.
    pub fn set_env(&mut self, name: &str, value: &str) -> anyhow::Result<bool> {
        match name {
            "MONBAN_AUTH_BASE_DOMAIN" => self.auth_base_domain = Some(value.trim().to_owned()),
            "MONBAN_STRICT_OIDC_CLIENTS" => {
                self.strict_oidc_clients = Some(
                    value
                        .split(',')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(str::to_owned)
                        .collect(),
                );
            }
            _ => return Ok(false),
        }
        Ok(true)
    }
}

#[derive(Debug, Default, Args)]
pub struct OAuthArgs {
    /// Parent domain of prefix domains: `Host: {prefix}.{this}` serves that pool's OAuth endpoints [env: MONBAN_AUTH_BASE_DOMAIN] [default: none]
    #[arg(long, global = true, value_name = "DOMAIN")]
    pub auth_base_domain: Option<String>,
    /// App client id that gets strict OpenID Connect behaviour, repeatable [env: MONBAN_STRICT_OIDC_CLIENTS, comma-separated] [default: none]
    #[arg(long = "strict-oidc-client", global = true, value_name = "CLIENT_ID")]
    pub strict_oidc_clients: Vec<String>,
}

impl OAuthArgs {
    pub fn to_layer(&self) -> OAuthLayer {
        OAuthLayer {
            auth_base_domain: self.auth_base_domain.clone(),
            strict_oidc_clients: (!self.strict_oidc_clients.is_empty())
                .then(|| self.strict_oidc_clients.clone()),
        }
    }
}

pub fn to_file(settings: &OAuthSettings) -> OAuthLayer {
    OAuthLayer {
        auth_base_domain: settings.auth_base_domain.clone(),
        strict_oidc_clients: Some(settings.strict_oidc_clients.clone()),
    }
}

/// A base domain is a host name (lower-cased, no scheme, port or trailing dot).
pub fn resolve(layer: &OAuthLayer, problems: &mut Vec<String>) -> OAuthSettings {
    let auth_base_domain = layer
        .auth_base_domain
        .as_deref()
        .map(|d| d.trim_end_matches('.').to_ascii_lowercase())
        .filter(|d| !d.is_empty());
    if let Some(domain) = &auth_base_domain {
        let host_name = domain.split('.').all(|label| {
            !label.is_empty()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        });
        if !host_name {
            problems.push(format!(
                "auth_base_domain {domain:?}: expected a host name such as auth.example.com"
            ));
        }
    }
    OAuthSettings {
        auth_base_domain,
        strict_oidc_clients: layer.strict_oidc_clients.clone().unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn environment_and_resolution() {
        let mut layer = OAuthLayer::default();
        assert!(layer
            .set_env("MONBAN_AUTH_BASE_DOMAIN", "Auth.Example.com.")
            .unwrap());
        assert!(layer
            .set_env("MONBAN_STRICT_OIDC_CLIENTS", "abc, def,")
            .unwrap());
        assert!(!layer.set_env("MONBAN_REGION", "x").unwrap());
        let mut problems = Vec::new();
        let settings = resolve(&layer, &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            settings.auth_base_domain.as_deref(),
            Some("auth.example.com")
        );
        assert_eq!(settings.strict_oidc_clients, ["abc", "def"]);
        assert!(settings.strict_oidc("def") && !settings.strict_oidc("x"));

        let bad = OAuthLayer {
            auth_base_domain: Some("https://auth.example.com".into()),
            ..OAuthLayer::default()
        };
        resolve(&bad, &mut problems);
        assert_eq!(problems.len(), 1, "{problems:?}");
    }
}
