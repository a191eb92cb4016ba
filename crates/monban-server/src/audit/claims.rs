//! Who a token names, read from its payload without checking the signature: used only for
//! tokens the server itself just accepted or issued (a successful call), never to decide
//! anything.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::Value;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct TokenUser {
    pub pool_id: Option<String>,
    pub client_id: Option<String>,
    pub sub: Option<String>,
    pub username: Option<String>,
}

pub fn token_user(token: &str) -> Option<TokenUser> {
    let payload = token.split('.').nth(1)?;
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    let claims: Value = serde_json::from_slice(&bytes).ok()?;
    let text = |name: &str| claims.get(name).and_then(Value::as_str).map(str::to_owned);
    Some(TokenUser {
        // `iss` is `{base}/{poolId}`.
        pool_id: text("iss").and_then(|iss| iss.rsplit('/').next().map(str::to_owned)),
        client_id: text("client_id").or_else(|| text("aud")),
        sub: text("sub"),
        username: text("username").or_else(|| text("cognito:username")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_payload_names_the_user() {
        let payload = URL_SAFE_NO_PAD.encode(
            br#"{"iss":"http://127.0.0.1:9876/us-east-1_AbC","sub":"s-1","client_id":"c1","username":"alice"}"#,
        );
        let user = token_user(&format!("h.{payload}.sig")).unwrap_or_default();
        assert_eq!(user.pool_id.as_deref(), Some("us-east-1_AbC"));
        assert_eq!(user.client_id.as_deref(), Some("c1"));
        assert_eq!(user.sub.as_deref(), Some("s-1"));
        assert_eq!(user.username.as_deref(), Some("alice"));
        assert_eq!(token_user("not-a-token"), None);
    }
}
