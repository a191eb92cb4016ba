//! GetOpenIdTokenForDeveloperIdentity: the identity of a user of the pool's developer
//! provider (made on first sight, or the given `IdentityId` linked to it), and an OpenID
//! token for it (`TokenDuration`, 15 minutes by default). Other logins in the map are
//! verified and linked too. Deviation: `PrincipalTags` are accepted and not put in the token.

use monban_wire::identity::{
    GetOpenIdTokenForDeveloperIdentityInput, GetOpenIdTokenForDeveloperIdentityResponse,
};

use crate::entities::{IdentityLogin, IdentityPool};
use crate::error::{Error, ErrorKind};
use crate::identity_pools::{
    amr, identity_for_logins, link_to_identity, load_identity_of_pool, load_identity_pool,
    login_provider, open_id_token, verify_login, Authority, LoginProvider, VerifiedLogin,
    DEVELOPER_TOKEN_SECS,
};
use crate::{Cx, Iam};

pub fn unsupported_developer_provider() -> Error {
    Error::not_authorized("This identity pool does not support the specified developer provider.")
}

pub async fn get_open_id_token_for_developer_identity(
    cx: &Cx,
    _iam: &Iam,
    req: GetOpenIdTokenForDeveloperIdentityInput,
) -> Result<GetOpenIdTokenForDeveloperIdentityResponse, Error> {
    let pool = load_identity_pool(cx, &req.identity_pool_id).await?;
    let verified = verify_developer_logins(cx, &pool, &req).await?;
    let logins: Vec<IdentityLogin> = verified.iter().map(|v| v.login.clone()).collect();
    let identity = match &req.identity_id {
        None => identity_for_logins(cx, &pool, &logins).await?,
        Some(identity_id) => {
            let identity = load_identity_of_pool(cx, &pool.id, identity_id).await?;
            if !identity.is_guest() {
                refuse_developer_users_of_others(cx, &pool, &identity.identity_id, &verified)
                    .await?;
            }
            link_to_identity(cx, &pool, &identity, &logins, Authority::Trusted).await?
        }
    };
    let duration = req.token_duration.unwrap_or(DEVELOPER_TOKEN_SECS);
    let token = open_id_token(
        cx,
        &pool.id,
        &identity.identity_id,
        &amr(&verified),
        duration,
    )
    .await?;
    Ok(GetOpenIdTokenForDeveloperIdentityResponse {
        identity_id: Some(identity.identity_id),
        token: Some(token),
    })
}

/// The developer login (which must be there) and any public-provider logins, verified.
async fn verify_developer_logins(
    cx: &Cx,
    pool: &IdentityPool,
    req: &GetOpenIdTokenForDeveloperIdentityInput,
) -> Result<Vec<VerifiedLogin>, Error> {
    let developer = pool
        .config
        .developer_provider_name
        .as_deref()
        .ok_or_else(unsupported_developer_provider)?;
    let mut verified = Vec::with_capacity(req.logins.len());
    for (key, value) in &req.logins {
        verified.push(match login_provider(&cx.settings, pool, key) {
            LoginProvider::Developer => VerifiedLogin::developer(pool, key, value),
            LoginProvider::NotConfigured => return Err(unsupported_developer_provider()),
            _ => verify_login(cx, pool, key, value).await?,
        });
    }
    if !verified.iter().any(|v| v.login.provider == developer) {
        return Err(Error::invalid_parameter(format!(
            "Logins must name a user of the developer provider {developer}."
        )));
    }
    Ok(verified)
}

/// A developer user already linked to another authenticated identity cannot be moved by
/// naming a different identity.
async fn refuse_developer_users_of_others(
    cx: &Cx,
    pool: &IdentityPool,
    identity_id: &str,
    verified: &[VerifiedLogin],
) -> Result<(), Error> {
    let developer = pool.config.developer_provider_name.as_deref();
    for login in verified
        .iter()
        .filter(|v| Some(v.login.provider.as_str()) == developer)
    {
        let owner = cx
            .store
            .find_identity_by_login(&pool.id, &login.login.provider, &login.login.subject)
            .await?;
        if owner.is_some_and(|o| o.identity_id != identity_id) {
            return Err(Error::new(
                ErrorKind::DeveloperUserAlreadyRegisteredException,
                "This developer user identifier is already registered with Cognito.",
            ));
        }
    }
    Ok(())
}
