//! The OAuth 2.0 / OpenID Connect side of a pool (reference `oauth.md`), without HTTP:
//! domains and resource servers (entities), the scopes a client may be granted, the
//! authorization codes `/oauth2/authorize` hands out and `/oauth2/token` redeems (single
//! use, 5 minutes, PKCE S256), client-credentials tokens and userInfo.
//!
//! The server's `oauth/` endpoints call:
//! - [`complete_authorization`] (the hosted UI, once the user signed in: the redirect
//!   with a code or, for the implicit grant, the tokens), built on
//!   [`mint_authorization_code`] and
//!   [`redeem_authorization_code`] (`grant_type=authorization_code`);
//! - [`client_credentials_token`] (`grant_type=client_credentials`);
//! - [`refresh_grant`] (`grant_type=refresh_token`);
//! - [`user_info`] (`/oauth2/userInfo`);
//! - [`introspect`] (`/oauth2/introspect`, RFC 7662) and [`forward_auth`]
//!   (`/forward-auth` for reverse proxies): monban extensions;
//! - [`authenticate_client`] for every endpoint that takes client credentials.

mod client_auth;
mod client_credentials;
mod codes;
mod complete;
mod entities;
mod error;
mod forward_auth;
mod introspect;
mod refresh_grant;
mod scopes;
mod settings;
mod user_info;

pub use client_auth::{authenticate_client, ClientCredentials};
pub use client_credentials::client_credentials_token;
pub use codes::{mint_authorization_code, redeem_authorization_code, CodeGrant, CODE_LIFETIME_MS};
pub use complete::{complete_authorization, AuthorizationRequest};
pub use entities::{ResourceServer, UserPoolDomain};
pub use error::{OAuthError, OAuthErrorCode};
pub use forward_auth::{forward_auth, ForwardAuthDecision, ForwardAuthRules, ForwardIdentity};
pub use introspect::introspect;
pub use refresh_grant::refresh_grant;
pub use scopes::{
    custom_scopes_of_pool, is_reserved_scope, parse_scope_param, requested_scopes,
    scopes_select_attribute, OPENID,
};
pub use settings::OAuthSettings;
pub use user_info::user_info;

/// The JSON answer of the token endpoint (no `Debug`: it holds tokens).
#[derive(Clone, serde::Serialize)]
pub struct TokenResponse {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_token: Option<String>,
    pub access_token: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    pub token_type: &'static str,
    pub expires_in: i64,
}
