//! The OpenID Connect discovery document of a pool (oauth.md §8), with the endpoints
//! under monban's own base URL for the pool.

use serde_json::json;

use super::issuer::{issuer, pool_base_url};
use crate::cx::Settings;

/// The fields Cognito's document has, no more: the OAuth endpoints are
/// `{public_url}/{userPoolId}/oauth2/…`, the key set `{public_url}/{userPoolId}/.well-known/jwks.json`.
pub fn openid_configuration(settings: &Settings, pool_id: &str) -> serde_json::Value {
    openid_configuration_at(settings, pool_id, None)
}

/// [`openid_configuration`] as served on one of the pool's domains: the OAuth endpoints
/// under `domain_base` (`https://auth.example.com`), the issuer and key set where they
/// always are (as Cognito keeps them on the issuer host).
pub fn openid_configuration_at(
    settings: &Settings,
    pool_id: &str,
    domain_base: Option<&str>,
) -> serde_json::Value {
    let pool_base = pool_base_url(settings, pool_id);
    let base = domain_base.unwrap_or(&pool_base);
    json!({
        "authorization_endpoint": format!("{base}/oauth2/authorize"),
        "id_token_signing_alg_values_supported": ["RS256"],
        "issuer": issuer(settings, pool_id),
        "jwks_uri": format!("{pool_base}/.well-known/jwks.json"),
        "response_types_supported": ["code", "token"],
        "scopes_supported": ["openid", "email", "phone", "profile"],
        "subject_types_supported": ["public"],
        "token_endpoint": format!("{base}/oauth2/token"),
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "userinfo_endpoint": format!("{base}/oauth2/userInfo"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cx::IssuerStyle;

    #[test]
    fn endpoints_live_under_the_pool_and_issuer_follows_the_style() {
        let mut s = Settings::default();
        let doc = openid_configuration(&s, "us-east-1_AbC");
        assert_eq!(doc["issuer"], "http://127.0.0.1:9876/us-east-1_AbC");
        assert_eq!(
            doc["jwks_uri"],
            "http://127.0.0.1:9876/us-east-1_AbC/.well-known/jwks.json"
        );
        assert_eq!(
            doc["token_endpoint"],
            "http://127.0.0.1:9876/us-east-1_AbC/oauth2/token"
        );
        let doc = openid_configuration_at(&s, "us-east-1_AbC", Some("https://auth.example.com"));
        assert_eq!(
            doc["token_endpoint"],
            "https://auth.example.com/oauth2/token"
        );
        assert_eq!(
            doc["jwks_uri"],
            "http://127.0.0.1:9876/us-east-1_AbC/.well-known/jwks.json"
        );
        assert_eq!(doc["issuer"], "http://127.0.0.1:9876/us-east-1_AbC");
        s.issuer_style = IssuerStyle::Aws;
        let doc = openid_configuration(&s, "us-east-1_AbC");
        assert_eq!(
            doc["issuer"],
            "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC"
        );
        assert_eq!(
            doc["jwks_uri"],
            "http://127.0.0.1:9876/us-east-1_AbC/.well-known/jwks.json"
        );
    }
}
