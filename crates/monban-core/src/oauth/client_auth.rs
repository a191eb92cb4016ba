//! Client authentication at the token and revocation endpoints: `client_secret_basic`
//! or `client_secret_post` for clients with a secret, the bare `client_id` for public
//! clients (oauth.md §4).

use monban_wire::ErrorKind;

use super::error::OAuthError;
use crate::entities::{AppClient, UserPool};
use crate::ops::tokens::client_secret::check_client_secret;
use crate::Cx;

/// What the request said about the client, from the `Authorization: Basic` header or the
/// form body (the server decodes both; sending both is refused there).
#[derive(Default)]
pub struct ClientCredentials {
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
}

impl std::fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

/// The pool and the client of pool `pool_id` the credentials prove. `invalid_request`
/// without a client id; `invalid_client` for an unknown client (or another pool's), a
/// missing or wrong secret, or a secret sent for a public client.
pub async fn authenticate_client(
    cx: &Cx,
    pool_id: &str,
    credentials: &ClientCredentials,
) -> Result<(UserPool, AppClient), OAuthError> {
    let client_id = credentials
        .client_id
        .as_deref()
        .filter(|id| !id.is_empty())
        .ok_or_else(|| OAuthError::invalid_request("client_id is required"))?;
    let client = match cx.store.get_app_client(client_id).await? {
        Some(client) if client.pool_id == pool_id => client,
        _ => return Err(OAuthError::invalid_client()),
    };
    check_client_secret(
        &client,
        credentials.client_secret.as_deref(),
        ErrorKind::NotAuthorizedException,
    )
    .map_err(|_| OAuthError::invalid_client())?;
    let pool = cx
        .store
        .get_user_pool(pool_id)
        .await?
        .ok_or_else(OAuthError::invalid_client)?;
    Ok((pool, client))
}
