//! Authorization codes: handed out by `/oauth2/authorize` once the user has signed in,
//! redeemed once at `/oauth2/token` (`grant_type=authorization_code`) within 5 minutes,
//! by the same client, with the same `redirect_uri` and, when the authorization request
//! had a PKCE challenge (S256 only), the matching verifier.
//!
//! A code is kept as an auth-session row named by its SHA-256: the store's
//! take-once read makes it single-use even when two nodes race for it.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use monban_wire::idp::OAuthFlowType;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::error::{OAuthError, OAuthErrorCode};
use super::TokenResponse;
use crate::entities::{AppClient, AuthSession, User, UserPool};
use crate::error::Error;
use crate::tokens::{issue_oauth, token_hash};
use crate::Cx;

/// How long a code can be redeemed (oauth.md §3).
pub const CODE_LIFETIME_MS: i64 = 5 * 60 * 1000;

/// The auth-session "challenge" that marks a row as an authorization code.
const CODE_KIND: &str = "OAUTH2_AUTHORIZATION_CODE";

/// 256 bits, base64url.
const CODE_BYTES: usize = 32;

/// What the authorization request granted (already validated by `/oauth2/authorize`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CodeGrant {
    pub redirect_uri: String,
    /// The granted scopes.
    pub scopes: Vec<String>,
    /// The S256 `code_challenge`, if the request had one.
    pub code_challenge: Option<String>,
    pub nonce: Option<String>,
    /// When the user signed in (the tokens' `auth_time`).
    pub auth_time_ms: i64,
}

#[derive(Serialize, Deserialize)]
struct CodeState {
    sub: String,
    #[serde(flatten)]
    grant: CodeGrant,
}

/// A new single-use code for `user` signed in to `client`.
pub async fn mint_authorization_code(
    cx: &Cx,
    client: &AppClient,
    user: &User,
    grant: CodeGrant,
) -> Result<String, Error> {
    let mut bytes = [0u8; CODE_BYTES];
    cx.rng.fill(&mut bytes);
    let code = URL_SAFE_NO_PAD.encode(bytes);
    let now = cx.now_ms();
    let state = serde_json::to_string(&CodeState {
        sub: user.sub.clone(),
        grant,
    })
    .map_err(Error::internal)?;
    cx.store
        .insert_auth_session(&AuthSession {
            id: token_hash(&code),
            pool_id: client.pool_id.clone(),
            client_id: client.client_id.clone(),
            username: user.username.clone(),
            challenge: CODE_KIND.to_owned(),
            state,
            created_ms: now,
            expires_ms: now + CODE_LIFETIME_MS,
        })
        .await?;
    Ok(code)
}

/// `grant_type=authorization_code` for an authenticated `client`. Any mismatch (unknown,
/// used or expired code, another client's, another `redirect_uri`, PKCE verifier missing
/// or wrong, user gone or disabled) is `invalid_grant`; the code is spent either way.
pub async fn redeem_authorization_code(
    cx: &Cx,
    pool: &UserPool,
    client: &AppClient,
    code: &str,
    redirect_uri: Option<&str>,
    code_verifier: Option<&str>,
) -> Result<TokenResponse, OAuthError> {
    if !client
        .config
        .allowed_o_auth_flows
        .as_deref()
        .unwrap_or_default()
        .contains(&OAuthFlowType::Code)
        || client.config.allowed_o_auth_flows_user_pool_client != Some(true)
    {
        return Err(OAuthError::new(OAuthErrorCode::UnauthorizedClient));
    }
    let session = cx
        .store
        .take_auth_session(&token_hash(code))
        .await?
        .filter(|s| s.challenge == CODE_KIND)
        .ok_or_else(OAuthError::invalid_grant)?;
    if session.pool_id != pool.id
        || session.client_id != client.client_id
        || session.expires_ms <= cx.now_ms()
    {
        return Err(OAuthError::invalid_grant());
    }
    let state: CodeState =
        serde_json::from_str(&session.state).map_err(|e| OAuthError::from(Error::internal(e)))?;
    let grant = &state.grant;
    if redirect_uri != Some(grant.redirect_uri.as_str()) {
        return Err(OAuthError::invalid_grant());
    }
    if let Some(challenge) = &grant.code_challenge {
        let verifier = code_verifier.ok_or_else(OAuthError::invalid_grant)?;
        if !pkce_matches(challenge, verifier) {
            return Err(OAuthError::invalid_grant());
        }
    }
    let user = cx
        .store
        .get_user_by_sub(&pool.id, &state.sub)
        .await?
        .filter(|u| u.enabled)
        .ok_or_else(OAuthError::invalid_grant)?;
    let result = issue_oauth(
        cx,
        pool,
        client,
        &user,
        grant.auth_time_ms,
        &grant.scopes.join(" "),
        grant.nonce.as_deref(),
    )
    .await?;
    token_response(result)
}

/// S256: `BASE64URL(SHA256(verifier)) == challenge` (RFC 7636 §4.6). Verifiers are 43-128
/// characters of `[A-Za-z0-9-._~]`.
fn pkce_matches(challenge: &str, verifier: &str) -> bool {
    let well_formed = (43..=128).contains(&verifier.len())
        && verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'));
    let computed = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    well_formed && bool::from(computed.as_bytes().ct_eq(challenge.as_bytes()))
}

/// The token endpoint's JSON from an `AuthenticationResult`.
pub(super) fn token_response(
    result: monban_wire::idp::AuthenticationResultType,
) -> Result<TokenResponse, OAuthError> {
    let access_token = result
        .access_token
        .ok_or_else(|| OAuthError::from(Error::internal("no access token issued")))?;
    Ok(TokenResponse {
        id_token: result.id_token,
        access_token,
        refresh_token: result.refresh_token,
        token_type: "Bearer",
        expires_in: i64::from(result.expires_in.unwrap_or(3600)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_s256_matches_an_independently_computed_challenge() {
        // Challenge computed with Python's hashlib/base64 (urlsafe, no padding).
        let verifier = "dBjftJeZ4CVP-mJ0kzyzVS6fS1qCSJxcfVEwn1oXpaw";
        let challenge = "XdHBABUdLsjdjMFgAExGRyAFj5gnarTh-q2B8guQCLM";
        assert!(pkce_matches(challenge, verifier));
        assert!(!pkce_matches(
            challenge,
            "dBjftJeZ4CVP-mJ0kzyzVS6fS1qCSJxcfVEwn1oXpax"
        ));
        assert!(!pkce_matches(challenge, "short"));
    }
}
