//! What a `Logins` key of an identity pool stands for: one of this server's user pools
//! (named by its issuer without the scheme), an OpenID Connect provider, the pool's
//! developer provider, or monban's own OpenID tokens (`cognito-identity.amazonaws.com`).

use crate::cx::Settings;
use crate::entities::IdentityPool;
use crate::tokens::{issuer, pool_base_url};

/// The `Logins` key of an OpenID token from GetOpenIdTokenForDeveloperIdentity, as Cognito's.
pub const COGNITO_IDENTITY_PROVIDER: &str = "cognito-identity.amazonaws.com";

/// Login keys of social providers that Cognito verifies with their own APIs; monban can
/// verify only those that are OpenID Connect issuers.
const SOCIAL_OIDC_PROVIDERS: [&str; 2] = ["accounts.google.com", "appleid.apple.com"];

/// How a login key of a pool is verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginProvider {
    /// ID tokens of user pool `pool_id`, issued to one of `client_ids`.
    UserPool {
        pool_id: String,
        client_ids: Vec<String>,
    },
    /// ID tokens of an OpenID Connect issuer, for one of `audiences`.
    Oidc {
        issuer: String,
        audiences: Vec<String>,
    },
    /// The pool's developer provider: only GetOpenIdTokenForDeveloperIdentity (IAM) names its
    /// users.
    Developer,
    /// monban's OpenID token for an identity.
    CognitoIdentity,
    /// A provider of the pool that monban cannot verify (Facebook, Amazon, Twitter, SAML).
    Unverifiable,
    /// Not a provider of this pool.
    NotConfigured,
}

/// `127.0.0.1:9876/us-east-1_AbC` (or `cognito-idp.{region}.amazonaws.com/us-east-1_AbC` with
/// the AWS issuer style): the name of a user pool in identity pools.
pub fn user_pool_provider_name(settings: &Settings, user_pool_id: &str) -> String {
    without_scheme(&issuer(settings, user_pool_id)).to_owned()
}

/// The user pool a provider name names, in either issuer style.
pub fn user_pool_of_provider_name<'a>(settings: &Settings, name: &'a str) -> Option<&'a str> {
    let (_, pool_id) = name.rsplit_once('/')?;
    let region = pool_id.split_once('_')?.0;
    let ours = name == without_scheme(&pool_base_url(settings, pool_id))
        || name == format!("cognito-idp.{region}.amazonaws.com/{pool_id}");
    (ours && !region.is_empty()).then_some(pool_id)
}

/// `https://example.com/x` → `example.com/x`.
pub fn without_scheme(url: &str) -> &str {
    url.strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or(url)
}

/// The provider name of an IAM OpenID Connect provider ARN
/// (`arn:aws:iam::123456789012:oidc-provider/example.com/x` → `example.com/x`).
pub fn oidc_provider_name(arn: &str) -> Option<&str> {
    let (prefix, name) = arn.split_once(":oidc-provider/")?;
    (prefix.starts_with("arn:") && prefix.contains(":iam:") && !name.is_empty()).then_some(name)
}

/// What `key` stands for in `pool`.
pub fn login_provider(settings: &Settings, pool: &IdentityPool, key: &str) -> LoginProvider {
    let config = &pool.config;
    if key == COGNITO_IDENTITY_PROVIDER {
        return LoginProvider::CognitoIdentity;
    }
    if config.developer_provider_name.as_deref() == Some(key) {
        return LoginProvider::Developer;
    }
    let client_ids: Vec<String> = config
        .cognito_identity_providers
        .iter()
        .flatten()
        .filter(|p| p.provider_name.as_deref() == Some(key))
        .filter_map(|p| p.client_id.clone())
        .collect();
    if !client_ids.is_empty() {
        if let Some(pool_id) = user_pool_of_provider_name(settings, key) {
            return LoginProvider::UserPool {
                pool_id: pool_id.to_owned(),
                client_ids,
            };
        }
    }
    for arn in config.open_id_connect_provider_ar_ns.iter().flatten() {
        if oidc_provider_name(arn) == Some(key) {
            let known = settings
                .identity_pools
                .oidc_providers
                .iter()
                .find(|p| p.arn == *arn);
            return LoginProvider::Oidc {
                issuer: known.map_or_else(|| format!("https://{key}"), |p| p.issuer.clone()),
                audiences: known.map(|p| p.audiences.clone()).unwrap_or_default(),
            };
        }
    }
    if let Some(app_id) = config
        .supported_login_providers
        .as_ref()
        .and_then(|m| m.get(key))
    {
        if SOCIAL_OIDC_PROVIDERS.contains(&key) {
            return LoginProvider::Oidc {
                issuer: format!("https://{key}"),
                audiences: app_id.split(',').map(|a| a.trim().to_owned()).collect(),
            };
        }
        return LoginProvider::Unverifiable;
    }
    if config
        .saml_provider_ar_ns
        .iter()
        .flatten()
        .any(|arn| arn == key)
    {
        return LoginProvider::Unverifiable;
    }
    LoginProvider::NotConfigured
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use monban_wire::identity::{CognitoIdentityProvider, IdentityPool as Config};

    use super::*;
    use crate::cx::IssuerStyle;
    use crate::identity_pools::OidcProviderSetting;

    fn pool(config: Config) -> IdentityPool {
        IdentityPool {
            id: "us-east-1:1".to_owned(),
            name: "p".to_owned(),
            created_ms: 0,
            modified_ms: 0,
            version: 1,
            config,
            data: Default::default(),
        }
    }

    #[test]
    fn user_pools_are_named_by_their_issuer_without_the_scheme() {
        let mut s = Settings::default();
        assert_eq!(
            user_pool_provider_name(&s, "us-east-1_AbC"),
            "127.0.0.1:9876/us-east-1_AbC"
        );
        s.issuer_style = IssuerStyle::Aws;
        assert_eq!(
            user_pool_provider_name(&s, "eu-west-1_AbC"),
            "cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC"
        );
        // Both styles name the pool, whatever the current one.
        for name in [
            "127.0.0.1:9876/eu-west-1_AbC",
            "cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC",
        ] {
            assert_eq!(user_pool_of_provider_name(&s, name), Some("eu-west-1_AbC"));
        }
        for name in [
            "cognito-idp.us-east-1.amazonaws.com/eu-west-1_AbC",
            "evil.example.com/eu-west-1_AbC",
            "127.0.0.1:9876/",
            "127.0.0.1:9876/nounderscore",
        ] {
            assert_eq!(user_pool_of_provider_name(&s, name), None, "{name}");
        }
    }

    #[test]
    fn login_keys_are_classified() {
        let mut settings = Settings::default();
        settings
            .identity_pools
            .oidc_providers
            .push(OidcProviderSetting {
                arn: "arn:aws:iam::000000000000:oidc-provider/idp.example.com".to_owned(),
                issuer: "http://127.0.0.1:5555".to_owned(),
                audiences: vec!["aud1".to_owned()],
            });
        let p = pool(Config {
            developer_provider_name: Some("login.example".to_owned()),
            cognito_identity_providers: Some(vec![
                CognitoIdentityProvider {
                    provider_name: Some("127.0.0.1:9876/us-east-1_AbC".to_owned()),
                    client_id: Some("c1".to_owned()),
                    server_side_token_check: None,
                },
                CognitoIdentityProvider {
                    provider_name: Some("127.0.0.1:9876/us-east-1_AbC".to_owned()),
                    client_id: Some("c2".to_owned()),
                    server_side_token_check: Some(true),
                },
            ]),
            open_id_connect_provider_ar_ns: Some(vec![
                "arn:aws:iam::000000000000:oidc-provider/idp.example.com".to_owned(),
                "arn:aws:iam::000000000000:oidc-provider/other.example.com/x".to_owned(),
            ]),
            supported_login_providers: Some(BTreeMap::from([
                ("accounts.google.com".to_owned(), "g1, g2".to_owned()),
                ("graph.facebook.com".to_owned(), "fb".to_owned()),
            ])),
            ..Config::default()
        });
        let s = &settings;
        assert_eq!(
            login_provider(s, &p, "127.0.0.1:9876/us-east-1_AbC"),
            LoginProvider::UserPool {
                pool_id: "us-east-1_AbC".to_owned(),
                client_ids: vec!["c1".to_owned(), "c2".to_owned()],
            }
        );
        assert_eq!(
            login_provider(s, &p, "login.example"),
            LoginProvider::Developer
        );
        assert_eq!(
            login_provider(s, &p, COGNITO_IDENTITY_PROVIDER),
            LoginProvider::CognitoIdentity
        );
        assert_eq!(
            login_provider(s, &p, "idp.example.com"),
            LoginProvider::Oidc {
                issuer: "http://127.0.0.1:5555".to_owned(),
                audiences: vec!["aud1".to_owned()],
            }
        );
        assert_eq!(
            login_provider(s, &p, "other.example.com/x"),
            LoginProvider::Oidc {
                issuer: "https://other.example.com/x".to_owned(),
                audiences: vec![],
            }
        );
        assert_eq!(
            login_provider(s, &p, "accounts.google.com"),
            LoginProvider::Oidc {
                issuer: "https://accounts.google.com".to_owned(),
                audiences: vec!["g1".to_owned(), "g2".to_owned()],
            }
        );
        assert_eq!(
            login_provider(s, &p, "graph.facebook.com"),
            LoginProvider::Unverifiable
        );
        assert_eq!(
            login_provider(s, &p, "127.0.0.1:9876/us-east-1_Other"),
            LoginProvider::NotConfigured
        );
    }
}
