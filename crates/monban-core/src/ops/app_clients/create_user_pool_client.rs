//! CreateUserPoolClient: stores the client's settings with Cognito's defaults filled and
//! returns them, with the secret when GenerateSecret (or a ClientSecret) gave one.
//! Deviation: PublishSecretsInAwsSecretsManager is accepted and ignored (no
//! ClientSecretArn); the secret is returned as Cognito returns an unmanaged one.

use monban_wire::idp::{CreateUserPoolClientRequest, CreateUserPoolClientResponse};

use crate::entities::AppClient;
use crate::error::Error;
use crate::ids::{new_client_id, new_client_secret};
use crate::oauth::custom_scopes_of_pool;
use crate::pool_config::{
    client_config_from_create, client_type, load_pool, validate_client_with_scopes,
};
use crate::store::StoreError;
use crate::{Cx, Iam};

/// Attempts at a fresh id when one collides (128 random bits: practically never).
const ID_ATTEMPTS: usize = 5;

pub async fn create_user_pool_client(
    cx: &Cx,
    _iam: &Iam,
    req: CreateUserPoolClientRequest,
) -> Result<CreateUserPoolClientResponse, Error> {
    let pool = load_pool(cx, &req.user_pool_id).await?;
    let generate = req.generate_secret.unwrap_or(false);
    if generate && req.client_secret.is_some() {
        return Err(Error::invalid_parameter(
            "You cannot specify both GenerateSecret as true and a ClientSecret.",
        ));
    }
    let secret = if generate {
        Some(new_client_secret(cx.rng.as_ref()))
    } else {
        req.client_secret.clone()
    };
    let config = client_config_from_create(&req);
    let custom_scopes = custom_scopes_of_pool(cx, &pool.id).await?;
    validate_client_with_scopes(&pool, &config, secret.is_some(), "creating", &custom_scopes)?;
    let now = cx.now_ms();
    let mut client = AppClient {
        pool_id: pool.id,
        client_id: String::new(),
        name: req.client_name,
        secret,
        created_ms: now,
        modified_ms: now,
        version: 1,
        config,
    };
    for _ in 0..ID_ATTEMPTS {
        client.client_id = new_client_id(cx.rng.as_ref());
        match cx.store.insert_app_client(&client).await {
            Ok(()) => {
                return Ok(CreateUserPoolClientResponse {
                    user_pool_client: Some(client_type(&client)),
                })
            }
            Err(StoreError::Conflict { .. }) => continue,
            // The pool was deleted since it was read.
            Err(StoreError::NotFound) => return Err(Error::pool_not_found(&client.pool_id)),
            Err(e) => return Err(e.into()),
        }
    }
    Err(Error::internal("no free client id after several attempts"))
}
