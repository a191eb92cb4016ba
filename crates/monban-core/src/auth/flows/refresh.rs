//! REFRESH_TOKEN_AUTH / REFRESH_TOKEN: new ID and access tokens from a refresh token. The
//! token checks (client, device, expiry, revocation, rotation, SECRET_HASH against the
//! token's user) are the tokens module's.

use super::outcome::Outcome;
use super::params::Params;
use super::SignIn;
use crate::error::Error;
use crate::tokens::{refresh_with_metadata, RefreshMode};

pub async fn initiate(s: &SignIn<'_>, params: Params<'_>) -> Result<Outcome, Error> {
    let token = params.required("REFRESH_TOKEN")?;
    let result = refresh_with_metadata(
        s.cx,
        s.pool,
        s.client,
        token,
        params.optional("DEVICE_KEY"),
        RefreshMode::RefreshTokenAuth {
            secret_hash: params.raw("SECRET_HASH"),
        },
        s.client_metadata,
    )
    .await?;
    Ok(Outcome::Authenticated(result))
}
