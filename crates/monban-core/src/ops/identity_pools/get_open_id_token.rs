//! GetOpenIdToken: an OpenID token (10 minutes) for an identity, after its logins are
//! verified and linked: the basic (classic) flow, refused when the pool turned it off or
//! the login's provider has a role mapping, as Cognito does.

use monban_wire::identity::{GetOpenIdTokenInput, GetOpenIdTokenResponse};

use crate::entities::IdentityPool;
use crate::error::Error;
use crate::identity_pools::{authenticate_identity, open_id_token, Proof, OPEN_ID_TOKEN_SECS};
use crate::{Caller, Cx};

pub async fn get_open_id_token(
    cx: &Cx,
    _caller: Caller,
    req: GetOpenIdTokenInput,
) -> Result<GetOpenIdTokenResponse, Error> {
    let logins = req.logins.unwrap_or_default();
    let authenticated =
        authenticate_identity(cx, &req.identity_id, &logins, classic_flow_allowed).await?;
    let token = open_id_token(
        cx,
        &authenticated.pool.id,
        &authenticated.identity.identity_id,
        &authenticated.amr(),
        OPEN_ID_TOKEN_SECS,
    )
    .await?;
    Ok(GetOpenIdTokenResponse {
        identity_id: Some(authenticated.identity.identity_id),
        token: Some(token),
    })
}

fn classic_flow_allowed(pool: &IdentityPool, proof: &Proof) -> Result<(), Error> {
    // Only an explicit `false` turns it off (pools made without the flag allow it).
    if pool.config.allow_classic_flow == Some(false) {
        return Err(Error::invalid_parameter(
            "Basic (classic) flow is not enabled, please use enhanced flow.",
        ));
    }
    if let Proof::Logins(logins) = proof {
        if logins
            .iter()
            .any(|l| pool.data.role_mappings.contains_key(&l.role_mapping_key))
        {
            return Err(Error::invalid_parameter(
                "Basic (classic) flow is not supported with RoleMappings, please use enhanced flow.",
            ));
        }
    }
    Ok(())
}
