//! Identity pools (`cognito-identity`) through the AWS SDK for Rust: pool management, guest
//! and authenticated identities from user-pool ID tokens, login verification (bad, foreign,
//! expired, revoked tokens), role resolution (default roles, rules on a custom attribute,
//! roles from groups, Deny), developer-authenticated identities, and monban's OpenID tokens
//! verified against the served key set with an independent JWT library.
//!
//! The role an identity gets is what GetCredentialsForIdentity vends credentials for; it is
//! read here through `identity_pools::resolve_identity`, the function that operation calls.

mod developer;
mod logins;
mod management;
mod oidc;
mod roles;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_sdk_cognitoidentity::config::retry::RetryConfig;
use aws_sdk_cognitoidentity::config::Region;
use aws_sdk_cognitoidentity::types::CognitoIdentityProvider;
use aws_sdk_cognitoidentity::Client;
use aws_smithy_async::time::TimeSource;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use monban_core::identity_pools::{resolve_identity, user_pool_provider_name, ResolvedIdentity};
use monban_core::{Clock, Error};
use monban_testkit::idp::types::{
    AttributeDataType, AuthFlowType, ExplicitAuthFlowsType, SchemaAttributeType,
};
use monban_testkit::{unique_name, RawRequest, TestApp};
use serde_json::Value;

use super::support::create_user;

pub const PASSWORD: &str = "Correct-Horse-1";
pub const AUTH_ROLE: &str = "arn:aws:iam::123456789012:role/authenticated";
pub const UNAUTH_ROLE: &str = "arn:aws:iam::123456789012:role/guest";

/// The server's clock as the SDK's time source, so signatures stay valid when a test moves it.
#[derive(Clone)]
struct ServerClock(Arc<dyn Clock>);

impl std::fmt::Debug for ServerClock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ServerClock")
    }
}

impl TimeSource for ServerClock {
    fn now(&self) -> SystemTime {
        UNIX_EPOCH + Duration::from_millis(u64::try_from(self.0.now_ms()).unwrap_or(0))
    }
}

fn sdk(app: &TestApp, signed: bool) -> Client {
    let mut config = aws_sdk_cognitoidentity::Config::builder()
        .behavior_version_latest()
        .region(Region::new("us-east-1"))
        .endpoint_url(app.endpoint())
        .retry_config(RetryConfig::disabled())
        .time_source(ServerClock(app.cx().clock.clone()));
    if signed {
        config = config.credentials_provider(app.admin_key().credentials());
    }
    Client::from_conf(config.build())
}

/// The identity-pool client signed with the admin key.
pub fn identity(app: &TestApp) -> Client {
    sdk(app, true)
}

/// The identity-pool client without credentials, as an app calls GetId.
pub fn public_identity(app: &TestApp) -> Client {
    sdk(app, false)
}

/// A user pool with a `custom:department` attribute and two app clients that sign in with
/// USER_PASSWORD_AUTH.
pub struct UserPool {
    pub id: String,
    pub client: String,
    pub other_client: String,
    /// Its name in identity pools: the issuer without the scheme.
    pub provider: String,
}

pub async fn user_pool(app: &TestApp) -> UserPool {
    let idp = app.idp();
    let id = idp
        .create_user_pool()
        .pool_name(unique_name("identity-"))
        .schema(
            SchemaAttributeType::builder()
                .name("department")
                .attribute_data_type(AttributeDataType::String)
                .mutable(true)
                .build(),
        )
        .send()
        .await
        .expect("CreateUserPool")
        .user_pool
        .and_then(|p| p.id)
        .expect("pool id");
    let mut clients = Vec::new();
    for _ in 0..2 {
        clients.push(
            idp.create_user_pool_client()
                .user_pool_id(&id)
                .client_name(unique_name("app-"))
                .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
                .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
                .send()
                .await
                .expect("CreateUserPoolClient")
                .user_pool_client
                .and_then(|c| c.client_id)
                .expect("client id"),
        );
    }
    let other_client = clients.pop().expect("two clients");
    let client = clients.pop().expect("two clients");
    UserPool {
        provider: user_pool_provider_name(&app.cx().settings, &id),
        id,
        client,
        other_client,
    }
}

/// A confirmed user with `attrs`, in `groups` (`(name, precedence, role)`; created if new).
pub async fn user(
    app: &TestApp,
    pool: &UserPool,
    username: &str,
    attrs: &[(&str, &str)],
    groups: &[(&str, i32, Option<&str>)],
) {
    let idp = app.idp();
    create_user(&idp, &pool.id, username, attrs).await;
    idp.admin_set_user_password()
        .user_pool_id(&pool.id)
        .username(username)
        .password(PASSWORD)
        .permanent(true)
        .send()
        .await
        .expect("AdminSetUserPassword");
    for (group, precedence, role) in groups {
        // A group that exists already is fine.
        let _ = idp
            .create_group()
            .user_pool_id(&pool.id)
            .group_name(*group)
            .precedence(*precedence)
            .set_role_arn(role.map(str::to_owned))
            .send()
            .await;
        idp.admin_add_user_to_group()
            .user_pool_id(&pool.id)
            .username(username)
            .group_name(*group)
            .send()
            .await
            .expect("AdminAddUserToGroup");
    }
}

/// The ID and access tokens of a sign-in to `client`.
pub async fn sign_in(app: &TestApp, client: &str, username: &str) -> (String, String) {
    let result = app
        .unsigned_idp()
        .initiate_auth()
        .client_id(client)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", username)
        .auth_parameters("PASSWORD", PASSWORD)
        .send()
        .await
        .expect("InitiateAuth")
        .authentication_result
        .expect("tokens");
    (
        result.id_token.expect("id token"),
        result.access_token.expect("access token"),
    )
}

/// `CognitoIdentityProviders` entry for a user pool's client.
pub fn provider(pool: &UserPool, client: &str) -> CognitoIdentityProvider {
    CognitoIdentityProvider::builder()
        .provider_name(&pool.provider)
        .client_id(client)
        .build()
}

/// An identity pool with default roles, the user pool's first client as provider, and
/// `developer` as developer provider.
pub async fn identity_pool(app: &TestApp, pool: &UserPool, allow_guests: bool) -> String {
    let client = identity(app);
    let id = client
        .create_identity_pool()
        .identity_pool_name(unique_name("pool "))
        .allow_unauthenticated_identities(allow_guests)
        .cognito_identity_providers(provider(pool, &pool.client))
        .developer_provider_name("login.example.app")
        .send()
        .await
        .expect("CreateIdentityPool")
        .identity_pool_id
        .clone();
    client
        .set_identity_pool_roles()
        .identity_pool_id(&id)
        .roles("authenticated", AUTH_ROLE)
        .roles("unauthenticated", UNAUTH_ROLE)
        .send()
        .await
        .expect("SetIdentityPoolRoles");
    id
}

pub fn logins(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// What GetCredentialsForIdentity would vend credentials for.
pub async fn resolve(
    app: &TestApp,
    identity_id: &str,
    pairs: &[(&str, &str)],
    custom_role: Option<&str>,
) -> Result<ResolvedIdentity, Error> {
    resolve_identity(app.cx(), identity_id, &logins(pairs), custom_role).await
}

/// GetId with one login.
pub async fn get_id(app: &TestApp, pool_id: &str, key: &str, token: &str) -> String {
    public_identity(app)
        .get_id()
        .identity_pool_id(pool_id)
        .logins(key, token)
        .send()
        .await
        .expect("GetId")
        .identity_id
        .expect("identity id")
}

/// Verifies one of monban's OpenID tokens with jsonwebtoken against the served key set and
/// discovery document, and returns its claims.
pub async fn verify_open_id_token(app: &TestApp, token: &str, pool_id: &str) -> Value {
    let issuer = format!("{}/_identity", app.endpoint());
    let discovery = app
        .send(RawRequest::new(
            "GET",
            "/_identity/.well-known/openid-configuration",
        ))
        .await;
    assert_eq!(discovery.status, 200, "{}", discovery.text());
    let discovery = discovery.json();
    assert_eq!(discovery["issuer"], issuer.as_str());
    assert_eq!(
        discovery["jwks_uri"],
        format!("{issuer}/.well-known/jwks.json").as_str()
    );
    let set = app
        .send(RawRequest::new("GET", "/_identity/.well-known/jwks.json"))
        .await;
    assert_eq!(set.status, 200, "{}", set.text());
    assert_eq!(set.header("content-type"), Some("application/json"));
    let set = set.json();
    let kid = jsonwebtoken::decode_header(token)
        .expect("header")
        .kid
        .expect("kid");
    let jwk = set["keys"]
        .as_array()
        .expect("keys")
        .iter()
        .find(|k| k["kid"] == kid.as_str())
        .unwrap_or_else(|| panic!("kid {kid} not in {set}"));
    let key = DecodingKey::from_rsa_components(
        jwk["n"].as_str().expect("n"),
        jwk["e"].as_str().expect("e"),
    )
    .expect("RSA key");
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_issuer(&[issuer]);
    validation.set_audience(&[pool_id]);
    validation.set_required_spec_claims(&["exp", "iss", "sub", "aud"]);
    // The server's clock may have been moved ahead of the real one.
    validation.validate_exp = false;
    let claims = jsonwebtoken::decode::<Value>(token, &key, &validation)
        .unwrap_or_else(|e| panic!("OpenID token does not verify: {e}"))
        .claims;
    let now = app.cx().now_ms() / 1000;
    assert!(claims["iat"].as_i64().expect("iat") <= now);
    assert!(claims["exp"].as_i64().expect("exp") > now);
    claims
}

/// An identity id of this server: `us-east-1:<uuid>`.
pub fn is_identity_id(id: &str) -> bool {
    id.split_once(':').is_some_and(|(region, uuid)| {
        region == "us-east-1" && uuid::Uuid::parse_str(uuid).is_ok() && uuid.len() == 36
    })
}
