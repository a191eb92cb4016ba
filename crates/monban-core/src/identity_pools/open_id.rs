//! monban's OpenID tokens for identities (GetOpenIdToken, GetOpenIdTokenForDeveloperIdentity,
//! and the web identity token an upstream STS gets): `sub` = identity id, `aud` = identity
//! pool id, `amr` as Cognito writes it, signed by the identity issuer
//! ([`crate::tokens::identity_issuer`]).

use serde_json::json;

use super::logins::VerifiedLogin;
use crate::error::Error;
use crate::tokens::{identity_issuer, sign_identity_token};
use crate::Cx;

/// GetOpenIdToken's tokens live 10 minutes (its model documentation).
pub const OPEN_ID_TOKEN_SECS: i64 = 600;
/// GetOpenIdTokenForDeveloperIdentity's default `TokenDuration`: 15 minutes.
pub const DEVELOPER_TOKEN_SECS: i64 = 900;

/// `["unauthenticated"]` for a guest; for logins, `["authenticated", <provider>,
/// <provider>:<detail>, ...]` (a user pool's detail is `CognitoSignIn:<sub>`, the developer
/// provider's `<identityPoolId>:<userIdentifier>`).
pub fn amr(logins: &[VerifiedLogin]) -> Vec<String> {
    if logins.is_empty() {
        return vec!["unauthenticated".to_owned()];
    }
    let mut amr = vec!["authenticated".to_owned()];
    for login in logins {
        amr.push(login.login.provider.clone());
        amr.push(login.amr_entry.clone());
    }
    amr
}

/// An OpenID token for the identity, valid `validity_secs`.
pub async fn open_id_token(
    cx: &Cx,
    identity_pool_id: &str,
    identity_id: &str,
    amr: &[String],
    validity_secs: i64,
) -> Result<String, Error> {
    let iat = cx.now_ms().div_euclid(1000);
    let claims = json!({
        "sub": identity_id,
        "aud": identity_pool_id,
        "amr": amr,
        "iss": identity_issuer(&cx.settings),
        "exp": iat + validity_secs,
        "iat": iat,
    });
    sign_identity_token(cx, &claims).await
}
