//! Verifying the `Logins` of a request: each key must be a provider of the pool and each
//! token must check out, with the messages Cognito's identity pools answer.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::oidc::verify_oidc_login;
use super::providers::{login_provider, without_scheme, LoginProvider};
use crate::entities::{IdentityLogin, IdentityPool};
use crate::error::{Error, ErrorKind};
use crate::tokens::{id_token_revoked, verify_id_token, verify_identity_token, IdTokenRejection};
use crate::Cx;

/// A login whose token checked out.
#[derive(Debug, Clone)]
pub struct VerifiedLogin {
    pub login: IdentityLogin,
    /// The `RoleMappings` key that applies to it: `{provider}:{clientId}` for a user pool,
    /// the provider name otherwise.
    pub role_mapping_key: String,
    /// The token's claims, for role mappings (none for a developer login).
    pub claims: Map<String, Value>,
    /// Its entry in the `amr` of OpenID tokens: `{provider}:CognitoSignIn:{sub}` for a user
    /// pool, `{provider}:{identityPoolId}:{userIdentifier}` for the developer provider.
    pub amr_entry: String,
}

impl VerifiedLogin {
    /// A user of the pool's developer provider, vouched for by an IAM caller.
    pub fn developer(pool: &IdentityPool, provider: &str, user_identifier: &str) -> Self {
        Self {
            login: IdentityLogin::new(provider, user_identifier),
            role_mapping_key: provider.to_owned(),
            claims: Map::new(),
            amr_entry: format!("{provider}:{}:{user_identifier}", pool.id),
        }
    }
}

/// What a request proved.
#[derive(Debug, Clone)]
pub enum Proof {
    /// No logins.
    Nothing,
    Logins(Vec<VerifiedLogin>),
    /// monban's own OpenID token for an identity of the pool (`cognito-identity.amazonaws.com`).
    OpenIdToken {
        identity_id: String,
        amr: Vec<String>,
    },
}

pub fn not_authorized(message: impl Into<String>) -> Error {
    Error::not_authorized(message)
}

fn unsupported_provider() -> Error {
    not_authorized("Token is not from a supported provider of this identity pool.")
}

/// Verifies every login. `open_id_token_ok`: whether `cognito-identity.amazonaws.com` may be
/// among them (GetOpenIdToken and GetCredentialsForIdentity: yes; GetId: no). When it is,
/// it alone counts.
pub async fn verify_logins(
    cx: &Cx,
    pool: &IdentityPool,
    logins: &BTreeMap<String, String>,
    open_id_token_ok: bool,
) -> Result<Proof, Error> {
    if let Some(token) = logins.get(super::providers::COGNITO_IDENTITY_PROVIDER) {
        if !open_id_token_ok {
            return Err(not_authorized(
                "Invalid login token. Can't pass in a Cognito token.",
            ));
        }
        return verify_open_id_token(cx, pool, token).await;
    }
    if logins.is_empty() {
        return Ok(Proof::Nothing);
    }
    let mut verified = Vec::with_capacity(logins.len());
    for (key, token) in logins {
        verified.push(verify_login(cx, pool, key, token).await?);
    }
    Ok(Proof::Logins(verified))
}

/// Verifies one login of a public provider (a user pool or an OpenID Connect provider).
pub async fn verify_login(
    cx: &Cx,
    pool: &IdentityPool,
    key: &str,
    token: &str,
) -> Result<VerifiedLogin, Error> {
    match login_provider(&cx.settings, pool, key) {
        LoginProvider::UserPool { client_ids, .. } => {
            verify_user_pool_login(cx, key, &client_ids, token).await
        }
        LoginProvider::Oidc { issuer, audiences } => {
            verify_oidc_login(cx, key, &issuer, &audiences, token).await
        }
        LoginProvider::Developer => Err(not_authorized(
            "Developer provider logins can only be added by GetOpenIdTokenForDeveloperIdentity.",
        )),
        LoginProvider::CognitoIdentity => Err(not_authorized(
            "Invalid login token. Can't pass in a Cognito token.",
        )),
        LoginProvider::Unverifiable => Err(Error::new(
            ErrorKind::NotAuthorizedException,
            format!("Invalid login token. monban cannot verify tokens of {key}."),
        )),
        LoginProvider::NotConfigured => Err(unsupported_provider()),
    }
}

/// The message for a token whose `exp` (epoch seconds) is not after `now`.
pub fn expired(exp: i64, now: i64) -> Error {
    not_authorized(format!(
        "Invalid login token. Token expired: {exp} >= {now}"
    ))
}

async fn verify_user_pool_login(
    cx: &Cx,
    key: &str,
    client_ids: &[String],
    token: &str,
) -> Result<VerifiedLogin, Error> {
    let verified = match verify_id_token(cx, token).await? {
        Ok(verified) => verified,
        Err(IdTokenRejection::Malformed) => {
            return Err(not_authorized(
                "Invalid login token. Not a valid OpenId Connect identity token.",
            ))
        }
        Err(IdTokenRejection::ForeignIssuer) => {
            return Err(not_authorized("Invalid login token. Not a Cognito token."))
        }
        Err(IdTokenRejection::NotAnIdToken) => {
            return Err(not_authorized(
                "Invalid login token. Missing a required claim: aud",
            ))
        }
        Err(IdTokenRejection::BadSignature) => {
            return Err(not_authorized(
                "Invalid login token. Couldn't verify signed token.",
            ))
        }
        Err(IdTokenRejection::Expired { exp, now }) => return Err(expired(exp, now)),
    };
    if without_scheme(&verified.iss) != key {
        return Err(not_authorized(
            "Invalid login token. Issuer doesn't match providerName",
        ));
    }
    if !client_ids.contains(&verified.aud) {
        return Err(unsupported_provider());
    }
    // ServerSideTokenCheck or not: a signed-out, deleted or disabled user's tokens do not
    // buy credentials here (monban's revocation state is local, so the check is cheap).
    if id_token_revoked(cx, &verified).await? {
        return Err(not_authorized(
            "Invalid login token. The token was revoked: the user signed out, or was disabled or deleted.",
        ));
    }
    Ok(VerifiedLogin {
        login: IdentityLogin::new(key, verified.sub.clone()),
        role_mapping_key: format!("{key}:{}", verified.aud),
        amr_entry: format!("{key}:CognitoSignIn:{}", verified.sub),
        claims: verified.claims,
    })
}

async fn verify_open_id_token(cx: &Cx, pool: &IdentityPool, token: &str) -> Result<Proof, Error> {
    let invalid = || not_authorized("Invalid login token. Couldn't verify signed token.");
    let claims = verify_identity_token(cx, token)
        .await?
        .ok_or_else(invalid)?;
    if claims.get("aud").and_then(Value::as_str) != Some(pool.id.as_str()) {
        return Err(not_authorized(
            "Invalid login token. The token was not issued for this identity pool.",
        ));
    }
    let identity_id = claims
        .get("sub")
        .and_then(Value::as_str)
        .ok_or_else(invalid)?
        .to_owned();
    let amr = claims
        .get("amr")
        .and_then(Value::as_array)
        .map(|amr| {
            amr.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    Ok(Proof::OpenIdToken { identity_id, amr })
}
