//! The end of `/oauth2/authorize` once the user has signed in (hosted UI): the redirect
//! back to the client, with a code (`response_type=code`) or, for the implicit grant
//! (`response_type=token`), the tokens in the fragment (oauth.md §3):
//! `{redirect_uri}#access_token=…&id_token=…&token_type=Bearer&expires_in=…&state=…`,
//! never a refresh token.

use monban_wire::idp::OAuthFlowType;
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};

use super::codes::{mint_authorization_code, CodeGrant};
use super::error::{OAuthError, OAuthErrorCode};
use super::scopes::OPENID;
use crate::entities::{AppClient, User, UserPool};
use crate::error::Error;
use crate::tokens::issue_oauth;
use crate::Cx;

/// An authorization request that `/oauth2/authorize` accepted (client, redirect URI,
/// flow, PKCE and scopes already checked).
#[derive(Debug, Clone)]
pub struct AuthorizationRequest {
    /// [`OAuthFlowType::Code`] or [`OAuthFlowType::Implicit`].
    pub flow: OAuthFlowType,
    pub redirect_uri: String,
    /// The granted scopes.
    pub scopes: Vec<String>,
    pub state: Option<String>,
    /// S256 challenge (code flow only).
    pub code_challenge: Option<String>,
    pub nonce: Option<String>,
}

/// The URL to send the signed-in `user`'s browser to. `auth_time_ms`: when the user
/// signed in (kept in the tokens' `auth_time`).
pub async fn complete_authorization(
    cx: &Cx,
    pool: &UserPool,
    client: &AppClient,
    user: &User,
    request: &AuthorizationRequest,
    auth_time_ms: i64,
) -> Result<String, OAuthError> {
    let state = request.state.as_deref();
    match request.flow {
        OAuthFlowType::Code => {
            let code = mint_authorization_code(
                cx,
                client,
                user,
                CodeGrant {
                    redirect_uri: request.redirect_uri.clone(),
                    scopes: request.scopes.clone(),
                    code_challenge: request.code_challenge.clone(),
                    nonce: request.nonce.clone(),
                    auth_time_ms,
                },
            )
            .await?;
            let mut pairs = vec![("code", code)];
            pairs.extend(state.map(|s| ("state", s.to_owned())));
            Ok(append(&request.redirect_uri, '?', &pairs))
        }
        OAuthFlowType::Implicit => {
            // A family is opened (so that sign-out and revocation reach these tokens),
            // but its refresh token is never handed out.
            let result = issue_oauth(
                cx,
                pool,
                client,
                user,
                auth_time_ms,
                &request.scopes.join(" "),
                request.nonce.as_deref(),
            )
            .await?;
            let access_token = result
                .access_token
                .ok_or_else(|| OAuthError::from(Error::internal("no access token issued")))?;
            let mut pairs = vec![("access_token", access_token)];
            if request.scopes.iter().any(|s| s == OPENID) {
                pairs.extend(result.id_token.map(|t| ("id_token", t)));
            }
            pairs.push(("token_type", "Bearer".to_owned()));
            pairs.push(("expires_in", result.expires_in.unwrap_or(3600).to_string()));
            pairs.extend(state.map(|s| ("state", s.to_owned())));
            Ok(append(&request.redirect_uri, '#', &pairs))
        }
        _ => Err(OAuthError::new(OAuthErrorCode::UnauthorizedClient)),
    }
}

/// `uri` with `pairs` added to its query (`?`) or as its fragment (`#`).
fn append(uri: &str, separator: char, pairs: &[(&str, String)]) -> String {
    let mut out = String::from(uri);
    out.push(if separator == '?' && uri.contains('?') {
        '&'
    } else {
        separator
    });
    for (i, (name, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(name);
        out.push('=');
        out.extend(utf8_percent_encode(value, NON_ALPHANUMERIC));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::append;

    #[test]
    fn parameters_join_an_existing_query_and_are_encoded() {
        assert_eq!(
            append(
                "https://a.example/cb",
                '?',
                &[("code", "x".into()), ("state", "a b&c".into())]
            ),
            "https://a.example/cb?code=x&state=a%20b%26c"
        );
        assert_eq!(
            append("https://a.example/cb?k=v", '?', &[("code", "x".into())]),
            "https://a.example/cb?k=v&code=x"
        );
        assert_eq!(
            append("myapp://cb", '#', &[("access_token", "t".into())]),
            "myapp://cb#access_token=t"
        );
    }
}
