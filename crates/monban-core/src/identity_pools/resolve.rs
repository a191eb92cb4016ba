//! What GetCredentialsForIdentity needs before it makes credentials: the identity
//! authenticated by its logins, and its role.

use std::collections::BTreeMap;

use super::authenticate::authenticate_identity;
use super::open_id::{open_id_token, OPEN_ID_TOKEN_SECS};
use super::roles::resolve_role;
use crate::error::Error;
use crate::Cx;

/// An identity whose logins were verified and linked, with the role Cognito would vend
/// credentials for.
#[derive(Clone, PartialEq, Eq)]
pub struct ResolvedIdentity {
    pub identity_pool_id: String,
    /// May differ from the identity id asked for (a guest identity merged into another).
    pub identity_id: String,
    pub role_arn: String,
    /// False for a guest (unauthenticated) identity.
    pub authenticated: bool,
    /// monban's OpenID token for the identity, valid 10 minutes.
    pub open_id_token: String,
}

impl std::fmt::Debug for ResolvedIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResolvedIdentity")
            .field("identity_pool_id", &self.identity_pool_id)
            .field("identity_id", &self.identity_id)
            .field("role_arn", &self.role_arn)
            .field("authenticated", &self.authenticated)
            .field("open_id_token", &"<redacted>")
            .finish()
    }
}

/// Authenticates `identity_id` with `logins` (linking them as Cognito does) and resolves
/// its role; see the module documentation for the errors.
pub async fn resolve_identity(
    cx: &Cx,
    identity_id: &str,
    logins: &BTreeMap<String, String>,
    custom_role_arn: Option<&str>,
) -> Result<ResolvedIdentity, Error> {
    let authenticated = authenticate_identity(cx, identity_id, logins, |_, _| Ok(())).await?;
    let role_arn = resolve_role(
        &authenticated.pool,
        authenticated.principal(),
        custom_role_arn,
    )?;
    let identity_id = authenticated.identity.identity_id.clone();
    let open_id_token = open_id_token(
        cx,
        &authenticated.pool.id,
        &identity_id,
        &authenticated.amr(),
        OPEN_ID_TOKEN_SECS,
    )
    .await?;
    Ok(ResolvedIdentity {
        identity_pool_id: authenticated.pool.id.clone(),
        identity_id,
        role_arn,
        authenticated: authenticated.authenticated(),
        open_id_token,
    })
}
