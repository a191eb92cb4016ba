//! UpdateUserPoolClient: as documented, every setting the request omits returns to its
//! default; the client id and secret are kept, and so is the name when omitted.

use monban_wire::idp::{UpdateUserPoolClientRequest, UpdateUserPoolClientResponse};

use crate::error::Error;
use crate::oauth::custom_scopes_of_pool;
use crate::pool_config::{
    client_config_from_update, client_type, load_client, load_pool, save_client, update_with_retry,
    validate_client_with_scopes,
};
use crate::{Cx, Iam};

pub async fn update_user_pool_client(
    cx: &Cx,
    _iam: &Iam,
    req: UpdateUserPoolClientRequest,
) -> Result<UpdateUserPoolClientResponse, Error> {
    let req = &req;
    let pool = load_pool(cx, &req.user_pool_id).await?;
    let pool = &pool;
    let config = client_config_from_update(req);
    let config = &config;
    let custom_scopes = &custom_scopes_of_pool(cx, &req.user_pool_id).await?;
    let client = update_with_retry(move || async move {
        let mut client = load_client(cx, &req.user_pool_id, &req.client_id).await?;
        validate_client_with_scopes(
            pool,
            config,
            client.secret.is_some(),
            "updating",
            custom_scopes,
        )?;
        client.config = config.clone();
        if let Some(name) = &req.client_name {
            client.name.clone_from(name);
        }
        client.modified_ms = cx.now_ms();
        save_client(cx, &client).await?;
        Ok(client)
    })
    .await?;
    Ok(UpdateUserPoolClientResponse {
        user_pool_client: Some(client_type(&client)),
    })
}
