//! Server settings of identity pools: the OpenID Connect providers monban knows (what IAM
//! knows of them for Cognito), and the port that fetches their keys.

use std::sync::Arc;

use async_trait::async_trait;

#[derive(Clone, Default)]
pub struct IdentityPoolSettings {
    /// What the ARNs of `OpenIdConnectProviderARNs` stand for. An ARN not listed here is the
    /// issuer `https://{name}` with no audience, so none of its tokens is accepted.
    pub oidc_providers: Vec<OidcProviderSetting>,
    /// Where OpenID Connect providers' keys come from; `None`: their logins fail with
    /// `ExternalServiceException`.
    pub oidc_keys: Option<Arc<dyn OidcKeySource>>,
}

impl std::fmt::Debug for IdentityPoolSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IdentityPoolSettings")
            .field("oidc_providers", &self.oidc_providers)
            .field("oidc_keys", &self.oidc_keys.is_some())
            .finish()
    }
}

/// An OpenID Connect provider as IAM's CreateOpenIDConnectProvider describes one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OidcProviderSetting {
    /// `arn:aws:iam::{account}:oidc-provider/{host/path}`: what identity pools name.
    pub arn: String,
    /// The `iss` of its tokens, whose discovery document names the key set
    /// (`http://127.0.0.1:5556/dex`, say: plain HTTP is allowed here).
    pub issuer: String,
    /// IAM's `ClientIDList`: a token's `aud` must be one of these.
    pub audiences: Vec<String>,
}

/// Fetches the JSON Web Key Set of an OpenID Connect issuer: its discovery document
/// (`{issuer}/.well-known/openid-configuration`), then the `jwks_uri` it names. The server
/// implements it (and may cache: `fresh` asks it not to, for a token whose key the cached
/// set lacks).
#[async_trait]
pub trait OidcKeySource: Send + Sync {
    /// The key set, or why there is none (for the log).
    async fn key_set(&self, issuer: &str, fresh: bool) -> Result<serde_json::Value, String>;
}
