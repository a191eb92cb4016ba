//! The app client an access token was issued to, whose read and write permissions bound
//! what the signed-in user sees and changes.

use crate::entities::AppClient;
use crate::error::Error;
use crate::tokens::AccessContext;
use crate::Cx;

/// The token's client; a client deleted since the token was issued makes the token
/// useless (`Invalid Access Token`).
pub(super) async fn token_client(cx: &Cx, access: &AccessContext) -> Result<AppClient, Error> {
    match cx.store.get_app_client(&access.client_id).await? {
        Some(client) if client.pool_id == access.pool.id => Ok(client),
        _ => Err(Error::not_authorized("Invalid Access Token")),
    }
}
