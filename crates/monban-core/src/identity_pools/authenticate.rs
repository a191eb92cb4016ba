//! Authenticating an identity with the logins of a public request (GetOpenIdToken,
//! GetCredentialsForIdentity, UnlinkIdentity): the identity, its pool, the verified logins
//! linked to it.

use std::collections::BTreeMap;

use super::linking::{identity_disabled, link_to_identity, logins_do_not_match, Authority};
use super::load::{load_identity, load_identity_pool};
use super::logins::{not_authorized, verify_logins, Proof, VerifiedLogin};
use super::open_id::amr;
use super::roles::Principal;
use crate::entities::{Identity, IdentityLogin, IdentityPool};
use crate::error::Error;
use crate::Cx;

/// An identity whose request proved who it is.
#[derive(Debug, Clone)]
pub struct AuthenticatedIdentity {
    pub pool: IdentityPool,
    /// After linking: possibly not the identity asked for (a guest merged into another).
    pub identity: Identity,
    /// The logins presented, verified (empty for a guest).
    pub logins: Vec<VerifiedLogin>,
    /// The `amr` of monban's OpenID token, when that was the login.
    pub open_id_token_amr: Option<Vec<String>>,
}

impl AuthenticatedIdentity {
    pub fn authenticated(&self) -> bool {
        match &self.open_id_token_amr {
            Some(amr) => amr.iter().any(|a| a == "authenticated"),
            None => !self.logins.is_empty(),
        }
    }

    pub fn principal(&self) -> Principal<'_> {
        match &self.open_id_token_amr {
            Some(_) => Principal::OpenIdToken {
                authenticated: self.authenticated(),
            },
            None if self.logins.is_empty() => Principal::Guest,
            None => Principal::LoggedIn(&self.logins),
        }
    }

    /// The `amr` of an OpenID token for this request.
    pub fn amr(&self) -> Vec<String> {
        self.open_id_token_amr
            .clone()
            .unwrap_or_else(|| amr(&self.logins))
    }
}

pub fn unauthenticated_not_supported() -> Error {
    not_authorized("Unauthenticated access is not supported for this identity pool.")
}

/// Verifies `logins` for `identity_id` and links them to it. `check` runs once the logins
/// are verified and before anything is linked (GetOpenIdToken's flow checks).
pub async fn authenticate_identity(
    cx: &Cx,
    identity_id: &str,
    logins: &BTreeMap<String, String>,
    check: impl FnOnce(&IdentityPool, &Proof) -> Result<(), Error>,
) -> Result<AuthenticatedIdentity, Error> {
    let identity = load_identity(cx, identity_id).await?;
    if identity.disabled {
        return Err(identity_disabled(&identity));
    }
    let pool = load_identity_pool(cx, &identity.pool_id).await?;
    let proof = verify_logins(cx, &pool, logins, true).await?;
    check(&pool, &proof)?;
    match proof {
        Proof::Nothing => {
            if !identity.logins.is_empty() {
                return Err(logins_do_not_match());
            }
            if !pool.config.allow_unauthenticated_identities {
                return Err(unauthenticated_not_supported());
            }
            Ok(AuthenticatedIdentity {
                pool,
                identity,
                logins: Vec::new(),
                open_id_token_amr: None,
            })
        }
        Proof::OpenIdToken {
            identity_id: named,
            amr,
        } => {
            if named != identity.identity_id {
                return Err(not_authorized(
                    "Invalid login token. The token was issued for another identity.",
                ));
            }
            let authenticated = AuthenticatedIdentity {
                pool,
                identity,
                logins: Vec::new(),
                open_id_token_amr: Some(amr),
            };
            if !authenticated.authenticated()
                && !authenticated.pool.config.allow_unauthenticated_identities
            {
                return Err(unauthenticated_not_supported());
            }
            Ok(authenticated)
        }
        Proof::Logins(verified) => {
            let presented: Vec<IdentityLogin> = verified.iter().map(|v| v.login.clone()).collect();
            let identity =
                link_to_identity(cx, &pool, &identity, &presented, Authority::Presented).await?;
            Ok(AuthenticatedIdentity {
                pool,
                identity,
                logins: verified,
                open_id_token_amr: None,
            })
        }
    }
}
