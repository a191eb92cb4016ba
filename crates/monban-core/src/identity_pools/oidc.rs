//! Logins of OpenID Connect providers: ID tokens checked against the issuer's key set
//! (fetched through [`OidcKeySource`](super::OidcKeySource)), issuer, audience and expiry.

use serde_json::Value;

use super::logins::{expired, not_authorized, VerifiedLogin};
use crate::entities::IdentityLogin;
use crate::error::{Error, ErrorKind};
use crate::tokens::{verify_with_key_set, ExternalToken};
use crate::Cx;

fn unreachable_provider(issuer: &str, cause: impl Into<String>) -> Error {
    let cause = cause.into();
    tracing::warn!(issuer, %cause, "OpenID Connect provider keys unavailable");
    Error::new(
        ErrorKind::ExternalServiceException,
        format!("The keys of the OpenID Connect provider {issuer} could not be fetched."),
    )
    .with_source(cause)
}

pub async fn verify_oidc_login(
    cx: &Cx,
    provider: &str,
    issuer: &str,
    audiences: &[String],
    token: &str,
) -> Result<VerifiedLogin, Error> {
    let Some(source) = cx.settings.identity_pools.oidc_keys.clone() else {
        return Err(unreachable_provider(
            issuer,
            "no OpenID Connect key source configured",
        ));
    };
    let keys = source
        .key_set(issuer, false)
        .await
        .map_err(|cause| unreachable_provider(issuer, cause))?;
    let mut verdict = verify_with_key_set(token, &keys);
    if verdict == ExternalToken::UnknownKey {
        // The provider may have rotated its keys since they were cached.
        let keys = source
            .key_set(issuer, true)
            .await
            .map_err(|cause| unreachable_provider(issuer, cause))?;
        verdict = verify_with_key_set(token, &keys);
    }
    let claims = match verdict {
        ExternalToken::Signed(claims) => claims,
        ExternalToken::Malformed => {
            return Err(not_authorized(
                "Invalid login token. Not a valid OpenId Connect identity token.",
            ))
        }
        ExternalToken::UnknownKey | ExternalToken::BadSignature => {
            return Err(not_authorized(
                "Invalid login token. Couldn't verify signed token.",
            ))
        }
    };
    if claims.get("iss").and_then(Value::as_str) != Some(issuer) {
        return Err(not_authorized(
            "Invalid login token. Issuer doesn't match providerName",
        ));
    }
    let for_us = match claims.get("aud") {
        Some(Value::String(aud)) => audiences.contains(aud),
        Some(Value::Array(auds)) => auds
            .iter()
            .filter_map(Value::as_str)
            .any(|aud| audiences.iter().any(|a| a == aud)),
        _ => false,
    };
    if !for_us {
        return Err(not_authorized(
            "Invalid login token. Incorrect token audience.",
        ));
    }
    let now = cx.now_ms().div_euclid(1000);
    let exp = claims.get("exp").and_then(Value::as_i64).unwrap_or(0);
    if exp <= now {
        return Err(expired(exp, now));
    }
    let Some(sub) = claims.get("sub").and_then(Value::as_str).map(str::to_owned) else {
        return Err(not_authorized(
            "Invalid login token. Missing a required claim: sub",
        ));
    };
    Ok(VerifiedLogin {
        login: IdentityLogin::new(provider, sub.clone()),
        role_mapping_key: provider.to_owned(),
        amr_entry: format!("{provider}:{sub}"),
        claims,
    })
}
