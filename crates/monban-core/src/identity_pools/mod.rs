//! Identity pools (the `cognito-identity` API, 2014-06-30): identities linked to logins from
//! user pools, OpenID Connect providers and a developer provider, guest identities, role
//! resolution and monban's own OpenID tokens. The operations are in `ops/identity_pools/`;
//! this module holds what they share.
//!
//! # For GetCredentialsForIdentity (the credential sources in `credentials/`)
//!
//! ```ignore
//! let resolved: ResolvedIdentity = identity_pools::resolve_identity(
//!     cx,
//!     &req.identity_id,                       // GetCredentialsForIdentityInput.IdentityId
//!     req.logins.as_ref().unwrap_or(&empty),  // &BTreeMap<String, String>
//!     req.custom_role_arn.as_deref(),
//! ).await?;                                    // Err: Cognito's error, return it as is
//! // resolved.identity_id      may differ from the input (a guest identity merged into
//! //                           the identity its new login already had): answer with it.
//! // resolved.identity_pool_id the identity's pool.
//! // resolved.role_arn         the role to vend credentials for (already resolved and
//! //                           checked: default roles, RoleMappings Token/Rules,
//! //                           CustomRoleArn, AmbiguousRoleResolution).
//! // resolved.authenticated    false for a guest identity.
//! // resolved.open_id_token    monban's OpenID token for the identity (10 minutes, `aud` =
//! //                           pool id, `sub` = identity id, Cognito's `amr`): the
//! //                           WebIdentityToken for an upstream STS.
//! ```
//!
//! It does everything GetCredentialsForIdentity must do before credentials are made, in
//! Cognito's order and with Cognito's errors:
//! - the identity exists (`ResourceNotFoundException: Identity '<id>' not found.`) and is
//!   not disabled;
//! - every login is verified: user-pool ID tokens (signature with the pool's keys, issuer =
//!   the login key, `aud` = a client id registered for that provider, expiry, revocation),
//!   OpenID Connect providers of the pool, and `cognito-identity.amazonaws.com` (an OpenID
//!   token from GetOpenIdTokenForDeveloperIdentity, which must name this identity);
//! - logins are linked to the identity as Cognito does (a guest identity that logs in
//!   becomes authenticated, or is merged into the identity the login already has);
//! - without logins: a guest identity of a pool that allows them, else
//!   `NotAuthorizedException` (`Unauthenticated access is not supported for this identity
//!   pool.` / `Logins don't match. Please include at least one valid login for this
//!   identity or identity pool.`);
//! - the role: `InvalidIdentityPoolConfigurationException` when none applies, and
//!   `NotAuthorizedException` when a role mapping with `AmbiguousRoleResolution: Deny`
//!   finds no role.
//!
//! # monban's OpenID tokens
//!
//! GetOpenIdToken and GetOpenIdTokenForDeveloperIdentity return RS256 JWTs issued by
//! `{public_url}/_identity`, with the key set at `{public_url}/_identity/.well-known/jwks.json`
//! and discovery at `{public_url}/_identity/.well-known/openid-configuration` (where Cognito's
//! are issued by `https://cognito-identity.amazonaws.com`). Register that issuer as an
//! OpenID Connect provider of an STS (audience: the identity pool id) for the basic flow.
//! The signing key is one RSA key for the whole server, made by the first node that needs it
//! and kept as a server secret.

mod authenticate;
mod config;
mod describe;
mod ids;
mod linking;
mod load;
mod logins;
mod oidc;
mod open_id;
mod providers;
mod resolve;
mod roles;
mod settings;

pub use authenticate::{
    authenticate_identity, unauthenticated_not_supported, AuthenticatedIdentity,
};
pub use config::{
    apply_update, check_tag_count, describe, validate_config, validate_roles, MAX_TAGS,
};
pub use describe::identity_description;
pub use ids::{identity_pool_arn, new_region_uuid, pool_id_of_arn};
pub use linking::{
    identity_disabled, identity_for_logins, link_to_identity, logins_do_not_match, new_identity,
    Authority,
};
pub use load::{
    identity_not_found, load_identity, load_identity_of_pool, load_identity_pool,
    modify_identity_pool, pool_not_found,
};
pub use logins::{not_authorized, verify_login, verify_logins, Proof, VerifiedLogin};
pub use open_id::{amr, open_id_token, DEVELOPER_TOKEN_SECS, OPEN_ID_TOKEN_SECS};
pub use providers::{
    login_provider, oidc_provider_name, user_pool_of_provider_name, user_pool_provider_name,
    LoginProvider, COGNITO_IDENTITY_PROVIDER,
};
pub use resolve::{resolve_identity, ResolvedIdentity};
pub use roles::{resolve_role, Principal, AUTHENTICATED, UNAUTHENTICATED};
pub use settings::{IdentityPoolSettings, OidcKeySource, OidcProviderSetting};
