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
//! - [`issue_for`] / [`refresh_with_metadata`]: the same, telling the pool's pre token
//!   generation trigger (which may edit the claims) its `triggerSource` and `ClientMetadata`.
//! - [`authenticate_access_token`]`(cx, token)` → [`AccessContext`] `{ pool, user, client_id,
//!   claims }`: every operation authorised by an access token starts with it. It refuses
//!   bad, foreign, expired, revoked tokens and disabled or deleted users, with Cognito's
//!   messages.
//! - [`revoke_user_sessions`]`(cx, pool_id, sub)`: every family of the user (GlobalSignOut,
//!   AdminUserGlobalSignOut, AdminDisableUser, AdminDeleteUser, DeleteUser).
//! - [`revoke_refresh_token`] (RevokeToken), [`rotate_keys`] (`monban keys rotate`),
//!   [`jwks`], [`openid_configuration`], [`issuer`].
//! - [`inspect_token`]`(cx, token)` → [`LiveToken`]: whether any ID or access token
//!   (client-credentials ones included) is live, for introspection and forward auth.
//! - [`verify_id_token`]`(cx, token)` and [`id_token_revoked`] for identity pools, which take
//!   ID tokens as logins and word their own errors.
//! - [`sign_identity_token`] / [`verify_identity_token`] / [`identity_jwks`]: the OpenID
//!   tokens of identity pools, signed with one server-wide key (a server secret) and issued
//!   by [`identity_issuer`] (`{public_url}/_identity`).
//!
//! Keys are immutable rows. [`KeyRing`] (in `Cx.keys`) caches them parsed, per pool, for a
//! short time, and reloads on an unknown `kid`, so keys created on another node (first use,
//! rotation) are picked up without coordination.

mod access;
mod claims;
mod client_token;
mod external;
mod id_token;
mod identity_issuer;
mod inspect;
mod issue;
mod issuer;
mod jwt;
mod keyring;
mod keys;
mod refresh;
mod revoke;
mod validity;
mod well_known;

pub use access::{
    authenticate_access_token, authenticate_access_token_for, AccessClaims, AccessContext,
};
pub use client_token::issue_client_token;
pub use external::{verify_with_key_set, ExternalToken};
pub use id_token::{id_token_revoked, verify_id_token, IdTokenRejection, VerifiedIdToken};
pub use identity_issuer::{
    identity_issuer, identity_jwks, identity_openid_configuration, sign_identity_token,
    verify_identity_token,
};
pub use inspect::{inspect_token, LiveToken};
pub(crate) use issue::user_groups;
pub use issue::{issue, issue_for, issue_oauth, IssueParams};
pub use issuer::{issuer, pool_base_url};
pub use keyring::KeyRing;
pub use keys::{jwks, rotate_keys};
pub(crate) use refresh::token_hash;
pub use refresh::{refresh, refresh_with_metadata, RefreshMode};
pub use revoke::{revoke_refresh_token, revoke_user_sessions};
pub use validity::{token_validity, TokenValidity};
pub use well_known::{openid_configuration, openid_configuration_at};

/// The only scope of tokens issued by the API, and the one that self-service operations
/// require.
pub const USER_ADMIN_SCOPE: &str = "aws.cognito.signin.user.admin";
