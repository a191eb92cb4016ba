//! Server-side OAuth settings that no Cognito API can express.

/// How the OAuth endpoints are reached, and which clients get strict OpenID Connect.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OAuthSettings {
    /// The parent of prefix domains: a pool's prefix domain `{prefix}` is served at
    /// `{prefix}.{auth_base_domain}` (Cognito's `auth.{region}.amazoncognito.com`). `None`:
    /// prefix domains are not matched by `Host` (custom domains still are).
    pub auth_base_domain: Option<String>,
    /// App clients (ids) that get OpenID Connect / RFC 6749 behaviour where Cognito
    /// deviates from it (oauth.md §11): `*_verified` claims at userInfo as JSON booleans
    /// (OIDC Core §5.1) instead of Cognito's strings, and a failed client authentication
    /// at the token endpoint answered `401` with `WWW-Authenticate` (RFC 6749 §5.2)
    /// instead of Cognito's `400`. Every other client behaves as Cognito does.
    pub strict_oidc_clients: Vec<String>,
}

impl OAuthSettings {
    pub fn strict_oidc(&self, client_id: &str) -> bool {
        self.strict_oidc_clients.iter().any(|c| c == client_id)
    }
}
