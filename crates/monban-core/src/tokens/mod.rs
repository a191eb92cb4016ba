//! ID, access and refresh tokens exactly as Cognito issues them (reference `tokens.md`):
//! RS256 JWTs signed with per-pool keys (one for ID tokens, one for access tokens), opaque
//! refresh tokens stored only as their SHA-256, token families (`origin_jti`) that
//! revocation kills on every node, the JWKS and the OpenID discovery document.
//!
//! The API other modules use:
//! - [`issue`]`(cx, &pool, &client, &user, IssueParams { auth_time_ms, family: None, device_key })`
//!   → `AuthenticationResultType` after a successful sign-in (new family, new refresh token).
//! - [`refresh`]`(cx, &pool, &client, refresh_token, device_key, RefreshMode::…)` for
//!   `REFRESH_TOKEN_AUTH` (`RefreshMode::RefreshTokenAuth { secret_hash }`: the SECRET_HASH is
//!   checked here, against the token's user) and GetTokensFromRefreshToken
//!   (`RefreshMode::GetTokensFromRefreshToken`: rotation when the client enables it).
//! - [`authenticate_access_token`]`(cx, token)` → [`AccessContext`] `{ pool, user, client_id,
//!   claims }`: every operation authorised by an access token starts with it. It refuses
//!   bad, foreign, expired, revoked tokens and disabled or deleted users, with Cognito's
//!   messages.
//! - [`revoke_user_sessions`]`(cx, pool_id, sub)`: every family of the user (GlobalSignOut,
//!   AdminUserGlobalSignOut, AdminDisableUser, AdminDeleteUser, DeleteUser).
//! - [`revoke_refresh_token`] (RevokeToken), [`rotate_keys`] (`monban keys rotate`),
//!   [`jwks`], [`openid_configuration`], [`issuer`].
//!
//! Keys are immutable rows. [`KeyRing`] (in `Cx.keys`) caches them parsed, per pool, for a
//! short time, and reloads on an unknown `kid`, so keys created on another node (first use,
//! rotation) are picked up without coordination.

mod access;
mod claims;
mod issue;
mod issuer;
mod jwt;
mod keyring;
mod keys;
mod refresh;
mod revoke;
mod validity;
mod well_known;

pub use access::{authenticate_access_token, AccessClaims, AccessContext};
pub use issue::{issue, IssueParams};
pub use issuer::{issuer, pool_base_url};
pub use keyring::KeyRing;
pub use keys::{jwks, rotate_keys};
pub use refresh::{refresh, RefreshMode};
pub use revoke::{revoke_refresh_token, revoke_user_sessions};
pub use validity::{token_validity, TokenValidity};
pub use well_known::openid_configuration;

/// The only scope of tokens issued by the API, and the one that self-service operations
/// require.
pub const USER_ADMIN_SCOPE: &str = "aws.cognito.signin.user.admin";
