//! Helpers shared by the integration tests.

use monban_testkit::idp::primitives::DateTime;
use monban_testkit::idp::types::{
    AttributeType, DeliveryMediumType, MessageActionType, UserPoolClientType, UserPoolType,
};
use monban_testkit::idp::Client;
use monban_testkit::unique_name;

/// Creates a pool with only a name and returns it.
pub async fn new_pool(idp: &Client) -> UserPoolType {
    idp.create_user_pool()
        .pool_name(unique_name("pool-"))
        .send()
        .await
        .expect("CreateUserPool")
        .user_pool
        .expect("CreateUserPool returns the pool")
}

/// Creates a pool with only a name and returns its id.
pub async fn new_pool_id(idp: &Client) -> String {
    new_pool(idp).await.id.expect("pool id")
}

/// Creates an app client without a secret and returns it.
pub async fn new_client(idp: &Client, pool_id: &str) -> UserPoolClientType {
    idp.create_user_pool_client()
        .user_pool_id(pool_id)
        .client_name(unique_name("client-"))
        .send()
        .await
        .expect("CreateUserPoolClient")
        .user_pool_client
        .expect("CreateUserPoolClient returns the client")
}

pub fn attr(name: &str, value: &str) -> AttributeType {
    AttributeType::builder()
        .name(name)
        .value(value)
        .build()
        .expect("attribute")
}

/// The value of attribute `name`, if present.
pub fn attr_value<'a>(attrs: &'a [AttributeType], name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|a| a.name() == name)
        .and_then(|a| a.value())
}

/// Creates a user without sending an invitation; returns the response's user name.
pub async fn create_user(
    idp: &Client,
    pool_id: &str,
    username: &str,
    attrs: &[(&str, &str)],
) -> String {
    let mut req = idp
        .admin_create_user()
        .user_pool_id(pool_id)
        .username(username)
        .message_action(MessageActionType::Suppress);
    for (n, v) in attrs {
        req = req.user_attributes(attr(n, v));
    }
    req.send()
        .await
        .unwrap_or_else(|e| panic!("AdminCreateUser {username}: {e:?}"))
        .user
        .expect("AdminCreateUser returns the user")
        .username
        .expect("user name")
}

/// Creates a user with an email invitation (the pool's template) and `temporary_password`.
pub async fn invite_user(
    idp: &Client,
    pool_id: &str,
    username: &str,
    email: &str,
    temporary_password: Option<&str>,
) -> monban_testkit::idp::types::UserType {
    idp.admin_create_user()
        .user_pool_id(pool_id)
        .username(username)
        .user_attributes(attr("email", email))
        .user_attributes(attr("email_verified", "true"))
        .desired_delivery_mediums(DeliveryMediumType::Email)
        .set_temporary_password(temporary_password.map(str::to_owned))
        .send()
        .await
        .unwrap_or_else(|e| panic!("AdminCreateUser {username}: {e:?}"))
        .user
        .expect("AdminCreateUser returns the user")
}

/// Epoch seconds of an SDK date.
pub fn secs(date: Option<&DateTime>) -> f64 {
    date.expect("date present").as_secs_f64()
}

/// Seconds since the epoch, now, by the system clock.
pub fn now_secs() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
}

/// A pool id in Cognito's format that no test creates.
pub const MISSING_POOL: &str = "us-east-1_NoSuchPoo";

pub fn is_pool_id(id: &str) -> bool {
    match id.strip_prefix("us-east-1_") {
        Some(rest) => rest.len() == 9 && rest.chars().all(|c| c.is_ascii_alphanumeric()),
        None => false,
    }
}
