//! The `iss` of a pool's tokens and the base URL of its well-known documents.

use crate::cx::{IssuerStyle, Settings};

/// `{public_url}/{userPoolId}`: where a pool's discovery document and JWKS are served,
/// whatever the issuer style.
pub fn pool_base_url(settings: &Settings, pool_id: &str) -> String {
    format!("{}/{pool_id}", settings.public_url.trim_end_matches('/'))
}

/// The `iss` claim of the pool's tokens: monban's own URL by default, or Cognito's
/// `https://cognito-idp.{region}.amazonaws.com/{userPoolId}` for verifiers that hard-code
/// it (the region is the pool id's prefix, as those verifiers derive it).
pub fn issuer(settings: &Settings, pool_id: &str) -> String {
    match settings.issuer_style {
        IssuerStyle::Monban => pool_base_url(settings, pool_id),
        IssuerStyle::Aws => aws_issuer(pool_id),
    }
}

fn aws_issuer(pool_id: &str) -> String {
    let region = pool_id.split('_').next().unwrap_or_default();
    format!("https://cognito-idp.{region}.amazonaws.com/{pool_id}")
}

/// The pool a token's `iss` names, if it is one of this server's issuers. Both styles are
/// accepted, so tokens issued before the setting changed still work until they expire.
pub(crate) fn pool_of_issuer<'a>(settings: &Settings, iss: &'a str) -> Option<&'a str> {
    let (_, pool_id) = iss.rsplit_once('/')?;
    let ours = iss == pool_base_url(settings, pool_id) || iss == aws_issuer(pool_id);
    (ours && !pool_id.is_empty()).then_some(pool_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issuer_follows_the_style() {
        let mut s = Settings {
            public_url: "https://id.example.com/".to_owned(),
            ..Settings::default()
        };
        assert_eq!(
            issuer(&s, "eu-west-1_AbC123"),
            "https://id.example.com/eu-west-1_AbC123"
        );
        s.issuer_style = IssuerStyle::Aws;
        assert_eq!(
            issuer(&s, "eu-west-1_AbC123"),
            "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123"
        );
        assert_eq!(
            pool_base_url(&s, "eu-west-1_AbC123"),
            "https://id.example.com/eu-west-1_AbC123"
        );
    }

    #[test]
    fn only_our_issuers_name_a_pool() {
        let s = Settings::default();
        let pool = "us-east-1_AbC123";
        assert_eq!(
            pool_of_issuer(&s, &format!("{}/{pool}", s.public_url)),
            Some(pool)
        );
        assert_eq!(
            pool_of_issuer(
                &s,
                "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123"
            ),
            Some(pool)
        );
        assert_eq!(
            pool_of_issuer(&s, "https://evil.example.com/us-east-1_AbC123"),
            None
        );
        assert_eq!(pool_of_issuer(&s, "us-east-1_AbC123"), None);
        assert_eq!(pool_of_issuer(&s, &format!("{}/", s.public_url)), None);
    }
}
