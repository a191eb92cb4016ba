//! Pools and clients as Describe and List operations return them.

use monban_wire::idp::{
    UserPoolClientDescription, UserPoolClientType, UserPoolDescriptionType, UserPoolType,
};

use crate::cx::{wire_time, Cx};
use crate::entities::{AppClient, UserPool};
use crate::error::Error;
use crate::ids::user_pool_arn;

/// The pool's `UserPoolType` as DescribeUserPool returns it: its stored settings with the
/// id, name, ARN, dates and estimated user count.
pub async fn user_pool_type(cx: &Cx, pool: &UserPool) -> Result<UserPoolType, Error> {
    let users = cx.store.count_users(&pool.id).await?;
    let mut out = pool.config.clone();
    out.id = Some(pool.id.clone());
    out.name = Some(pool.name.clone());
    out.arn = Some(user_pool_arn(
        &cx.settings.region,
        &cx.settings.account_id,
        &pool.id,
    ));
    out.creation_date = Some(wire_time(pool.created_ms));
    out.last_modified_date = Some(wire_time(pool.modified_ms));
    out.estimated_number_of_users = Some(i32::try_from(users).unwrap_or(i32::MAX));
    Ok(out)
}

/// A ListUserPools item.
pub fn pool_description(pool: &UserPool) -> UserPoolDescriptionType {
    UserPoolDescriptionType {
        id: Some(pool.id.clone()),
        name: Some(pool.name.clone()),
        lambda_config: Some(pool.config.lambda_config.clone().unwrap_or_default()),
        creation_date: Some(wire_time(pool.created_ms)),
        last_modified_date: Some(wire_time(pool.modified_ms)),
        status: None,
        replica_regions: None,
    }
}

/// The client's `UserPoolClientType` as DescribeUserPoolClient returns it, secret included
/// (as Cognito returns it to an IAM caller).
pub fn client_type(client: &AppClient) -> UserPoolClientType {
    let mut out = client.config.clone();
    out.user_pool_id = Some(client.pool_id.clone());
    out.client_id = Some(client.client_id.clone());
    out.client_name = Some(client.name.clone());
    out.client_secret.clone_from(&client.secret);
    out.creation_date = Some(wire_time(client.created_ms));
    out.last_modified_date = Some(wire_time(client.modified_ms));
    out
}

/// A ListUserPoolClients item.
pub fn client_description(client: &AppClient) -> UserPoolClientDescription {
    UserPoolClientDescription {
        client_id: Some(client.client_id.clone()),
        client_name: Some(client.name.clone()),
        user_pool_id: Some(client.pool_id.clone()),
    }
}
