//! GetCredentialsForIdentity: temporary credentials for the identity's resolved role. The
//! logins are verified and the role resolved as Cognito does (`identity_pools`); the
//! credentials come from the configured source (`credentials`). Deviation: monban has no
//! AWS account, so by default it mints credentials of its own (checked by
//! `POST /_monban/credentials/verify`) unless an upstream STS is configured.

use std::collections::BTreeMap;

use monban_wire::identity::{GetCredentialsForIdentityInput, GetCredentialsForIdentityResponse};

use crate::credentials::{self, CredentialSource, Grant};
use crate::identity_pools::resolve_identity;
use crate::{Caller, Cx, Error};

pub async fn get_credentials_for_identity(
    cx: &Cx,
    _caller: Caller,
    req: GetCredentialsForIdentityInput,
) -> Result<GetCredentialsForIdentityResponse, Error> {
    let no_logins = BTreeMap::new();
    let resolved = resolve_identity(
        cx,
        &req.identity_id,
        req.logins.as_ref().unwrap_or(&no_logins),
        req.custom_role_arn.as_deref(),
    )
    .await?;
    let grant = Grant {
        identity_pool_id: resolved.identity_pool_id.clone(),
        identity_id: resolved.identity_id.clone(),
        role_arn: resolved.role_arn.clone(),
        authenticated: resolved.authenticated,
    };
    let issued = match &cx.settings.credentials.source {
        CredentialSource::Monban => credentials::mint(cx, &grant).await?,
        CredentialSource::Upstream(upstream) => {
            credentials::assume_role_with_web_identity(
                cx,
                upstream,
                &grant,
                &resolved.open_id_token,
            )
            .await?
        }
    };
    Ok(GetCredentialsForIdentityResponse {
        identity_id: Some(resolved.identity_id),
        credentials: Some(issued.to_wire()),
    })
}
