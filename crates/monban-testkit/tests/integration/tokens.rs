//! Tokens: ID and access tokens verified against the served JWKS with an independent JWT
//! library (every claim checked), the discovery document, refresh (GetTokensFromRefreshToken)
//! with and without rotation, expiry on the fake clock, revocation that really revokes
//! (RevokeToken, GlobalSignOut, AdminUserGlobalSignOut, disable, delete), and key rotation
//! seen from another node.

use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use monban_core::auth::secret_hash::secret_hash;
use monban_core::pool_config::{load_client, load_pool};
use monban_core::tokens::{self, IssueParams};
use monban_core::users::find_user;
use monban_core::Cx;
use monban_testkit::idp::types::{
    AttributeDataType, AuthFlowType, ExplicitAuthFlowsType, FeatureType, RefreshTokenRotationType,
    SchemaAttributeType, TimeUnitsType, TokenValidityUnitsType,
};
use monban_testkit::idp::Client;
use monban_testkit::{each_backend, expect_code, unique_name, RawRequest, TestApp};
use serde_json::Value;

use super::support::{attr, create_user};

/// The three tokens of a sign-in.
#[derive(Debug, Clone)]
struct Tokens {
    id: String,
    access: String,
    refresh: String,
}

const PASSWORD: &str = "Correct-Horse-1";

/// A pool with a custom attribute, groups with precedences and roles, an app client, and
/// a confirmed user in two of the groups.
struct Fixture {
    pool: String,
    client: String,
    username: String,
    sub: String,
}

async fn fixture(app: &TestApp) -> Fixture {
    let idp = app.idp();
    let pool = idp
        .create_user_pool()
        .pool_name(unique_name("tokens-"))
        .schema(
            SchemaAttributeType::builder()
                .name("level")
                .attribute_data_type(AttributeDataType::Number)
                .mutable(true)
                .build(),
        )
        .send()
        .await
        .expect("CreateUserPool")
        .user_pool
        .and_then(|p| p.id)
        .expect("pool id");
    let client = new_client(&idp, &pool, |b| b).await;
    let username = "alice".to_owned();
    create_user(
        &idp,
        &pool,
        &username,
        &[
            ("email", "alice@example.com"),
            ("email_verified", "true"),
            ("name", "Alice"),
            ("custom:level", "7"),
        ],
    )
    .await;
    idp.admin_set_user_password()
        .user_pool_id(&pool)
        .username(&username)
        .password(PASSWORD)
        .permanent(true)
        .send()
        .await
        .expect("AdminSetUserPassword");
    for (group, precedence, role) in [
        ("readers", 10, None),
        ("admins", 1, Some("arn:aws:iam::123456789012:role/admin")),
        ("staff", 5, Some("arn:aws:iam::123456789012:role/staff")),
    ] {
        idp.create_group()
            .user_pool_id(&pool)
            .group_name(group)
            .precedence(precedence)
            .set_role_arn(role.map(str::to_owned))
            .send()
            .await
            .expect("CreateGroup");
    }
    for group in ["readers", "admins"] {
        idp.admin_add_user_to_group()
            .user_pool_id(&pool)
            .username(&username)
            .group_name(group)
            .send()
            .await
            .expect("AdminAddUserToGroup");
    }
    let sub = idp
        .admin_get_user()
        .user_pool_id(&pool)
        .username(&username)
        .send()
        .await
        .expect("AdminGetUser")
        .user_attributes()
        .iter()
        .find(|a| a.name() == "sub")
        .and_then(|a| a.value().map(str::to_owned))
        .expect("sub");
    Fixture {
        pool,
        client,
        username,
        sub,
    }
}

type ClientBuilder =
    monban_testkit::idp::operation::create_user_pool_client::builders::CreateUserPoolClientFluentBuilder;

/// A client that signs in with USER_PASSWORD_AUTH and refreshes, configured further by
/// `configure`.
async fn new_client(
    idp: &Client,
    pool: &str,
    configure: impl FnOnce(ClientBuilder) -> ClientBuilder,
) -> String {
    configure(
        idp.create_user_pool_client()
            .user_pool_id(pool)
            .client_name(unique_name("app-"))
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth),
    )
    .send()
    .await
    .expect("CreateUserPoolClient")
    .user_pool_client
    .and_then(|c| c.client_id)
    .expect("client id")
}

/// A new sign-in of `username` to `client` (InitiateAuth, USER_PASSWORD_AUTH): a new
/// token family.
async fn sign_in(app: &TestApp, _pool: &str, client: &str, username: &str) -> Tokens {
    sign_in_with_secret(app, client, username, None).await
}

async fn sign_in_with_secret(
    app: &TestApp,
    client: &str,
    username: &str,
    secret: Option<&str>,
) -> Tokens {
    let mut req = app
        .unsigned_idp()
        .initiate_auth()
        .client_id(client)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", username)
        .auth_parameters("PASSWORD", PASSWORD);
    if let Some(secret) = secret {
        req = req.auth_parameters("SECRET_HASH", secret_hash(secret, username, client));
    }
    let result = req
        .send()
        .await
        .expect("InitiateAuth")
        .authentication_result
        .expect("tokens");
    assert_eq!(result.token_type.as_deref(), Some("Bearer"));
    Tokens {
        id: result.id_token.expect("id token"),
        access: result.access_token.expect("access token"),
        refresh: result.refresh_token.expect("refresh token"),
    }
}

async fn get_tokens(app: &TestApp, client: &str, refresh: &str) -> Result<
    monban_testkit::idp::operation::get_tokens_from_refresh_token::GetTokensFromRefreshTokenOutput,
    monban_testkit::idp::error::SdkError<
        monban_testkit::idp::operation::get_tokens_from_refresh_token::GetTokensFromRefreshTokenError,
        monban_testkit::idp::config::http::HttpResponse,
    >,
>{
    app.unsigned_idp()
        .get_tokens_from_refresh_token()
        .client_id(client)
        .refresh_token(refresh)
        .send()
        .await
}

/// InitiateAuth with REFRESH_TOKEN_AUTH, as amazon-cognito-identity-js and pycognito refresh.
async fn refresh_token_auth(
    app: &TestApp,
    client: &str,
    refresh: &str,
) -> Result<
    monban_testkit::idp::operation::initiate_auth::InitiateAuthOutput,
    monban_testkit::idp::error::SdkError<
        monban_testkit::idp::operation::initiate_auth::InitiateAuthError,
        monban_testkit::idp::config::http::HttpResponse,
    >,
> {
    app.unsigned_idp()
        .initiate_auth()
        .client_id(client)
        .auth_flow(AuthFlowType::RefreshTokenAuth)
        .auth_parameters("REFRESH_TOKEN", refresh)
        .send()
        .await
}

/// GetUser with the access token: the self-service operation every app calls.
async fn get_user_works(app: &TestApp, access: &str) -> bool {
    app.unsigned_idp()
        .get_user()
        .access_token(access)
        .send()
        .await
        .is_ok()
}

async fn jwks(app: &TestApp, pool: &str) -> Value {
    let res = app
        .send(RawRequest::new(
            "GET",
            &format!("/{pool}/.well-known/jwks.json"),
        ))
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.header("content-type"), Some("application/json"));
    res.json()
}

fn kid_of(token: &str) -> String {
    jsonwebtoken::decode_header(token)
        .expect("header")
        .kid
        .expect("kid")
}

/// Verifies `token` with jsonwebtoken against the pool's served JWKS and returns its
/// claims. `audience` is checked for ID tokens (access tokens have none).
async fn verify(app: &TestApp, pool: &str, token: &str, audience: Option<&str>) -> Value {
    let set = jwks(app, pool).await;
    let kid = kid_of(token);
    let jwk = set["keys"]
        .as_array()
        .expect("keys")
        .iter()
        .find(|k| k["kid"] == kid.as_str())
        .unwrap_or_else(|| panic!("kid {kid} not in the JWKS {set}"));
    let key = DecodingKey::from_rsa_components(
        jwk["n"].as_str().expect("n"),
        jwk["e"].as_str().expect("e"),
    )
    .expect("RSA key");
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_issuer(&[format!("{}/{pool}", app.endpoint())]);
    match audience {
        Some(aud) => validation.set_audience(&[aud]),
        None => validation.validate_aud = false,
    }
    validation.set_required_spec_claims(&["exp", "iss", "sub"]);
    jsonwebtoken::decode::<Value>(token, &key, &validation)
        .unwrap_or_else(|e| panic!("token does not verify: {e}"))
        .claims
}

fn is_uuid(v: &Value) -> bool {
    v.as_str()
        .is_some_and(|s| uuid::Uuid::parse_str(s).is_ok() && s.len() == 36)
}

fn now_s(app: &TestApp) -> i64 {
    app.cx().now_ms() / 1000
}

#[tokio::test]
async fn tokens_verify_against_the_served_jwks_and_carry_cognitos_claims() {
    each_backend(|app| async move {
        let f = fixture(&app).await;
        let t = sign_in(&app, &f.pool, &f.client, &f.username).await;
        let now = now_s(&app);

        // Header exactly {"kid","alg":"RS256"}; separate keys for the two token types.
        for token in [&t.id, &t.access] {
            let header = token.split('.').next().unwrap();
            let header: Value =
                serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).unwrap()).unwrap();
            assert_eq!(header.as_object().unwrap().len(), 2, "{header}");
            assert_eq!(header["alg"], "RS256");
            assert!(header["kid"].is_string());
        }
        assert_ne!(kid_of(&t.id), kid_of(&t.access));
        let set = jwks(&app, &f.pool).await;
        let keys = set["keys"].as_array().unwrap();
        assert_eq!(keys.len(), 2, "{set}");
        for k in keys {
            assert_eq!(k["kty"], "RSA");
            assert_eq!(k["alg"], "RS256");
            assert_eq!(k["use"], "sig");
            assert_eq!(k["e"], "AQAB");
        }

        let id = verify(&app, &f.pool, &t.id, Some(&f.client)).await;
        let access = verify(&app, &f.pool, &t.access, None).await;
        let iss = format!("{}/{}", app.endpoint(), f.pool);

        assert_eq!(id["sub"], f.sub.as_str());
        assert_eq!(id["iss"], iss.as_str());
        assert_eq!(id["aud"], f.client.as_str());
        assert_eq!(id["token_use"], "id");
        assert_eq!(id["cognito:username"], "alice");
        assert_eq!(id["auth_time"], now);
        assert_eq!(id["iat"], now);
        assert_eq!(id["exp"], now + 3600);
        assert!(is_uuid(&id["jti"]) && is_uuid(&id["origin_jti"]) && is_uuid(&id["event_id"]));
        // Groups by precedence; roles of the groups; the best-ranked group's role.
        assert_eq!(
            id["cognito:groups"],
            serde_json::json!(["admins", "readers"])
        );
        assert_eq!(
            id["cognito:roles"],
            serde_json::json!(["arn:aws:iam::123456789012:role/admin"])
        );
        assert_eq!(
            id["cognito:preferred_role"],
            "arn:aws:iam::123456789012:role/admin"
        );
        assert_eq!(id["email"], "alice@example.com");
        assert_eq!(id["email_verified"], true, "a JSON boolean");
        assert_eq!(id["name"], "Alice");
        assert_eq!(id["custom:level"], "7", "custom attributes are strings");
        let id_claims: Vec<&String> = id.as_object().unwrap().keys().collect();
        assert_eq!(
            id_claims.len(),
            18,
            "no claim beyond Cognito's: {id_claims:?}"
        );

        assert_eq!(access["sub"], f.sub.as_str());
        assert_eq!(access["iss"], iss.as_str());
        assert_eq!(access["client_id"], f.client.as_str());
        assert!(access.get("aud").is_none());
        assert_eq!(access["token_use"], "access");
        assert_eq!(access["scope"], "aws.cognito.signin.user.admin");
        assert_eq!(access["username"], "alice");
        assert_eq!(access["auth_time"], now);
        assert_eq!(access["iat"], now);
        assert_eq!(access["exp"], now + 3600);
        assert_eq!(
            access["cognito:groups"],
            serde_json::json!(["admins", "readers"])
        );
        assert!(access.get("email").is_none() && access.get("cognito:roles").is_none());
        assert!(is_uuid(&access["jti"]));
        assert_ne!(access["jti"], id["jti"]);
        assert_eq!(access["origin_jti"], id["origin_jti"]);
        assert_eq!(access["event_id"], id["event_id"]);
        assert_eq!(access.as_object().unwrap().len(), 13, "{access}");

        // The refresh token: opaque, long, in the model's alphabet.
        assert!(t.refresh.len() >= 43, "{}", t.refresh);
        assert!(t.refresh.split('.').count() == 1);
        assert!(t
            .refresh
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_=.".contains(c)));
        // Two sign-ins are two families.
        let again = sign_in(&app, &f.pool, &f.client, &f.username).await;
        let again_id = verify(&app, &f.pool, &again.id, Some(&f.client)).await;
        assert_ne!(again_id["origin_jti"], id["origin_jti"]);
        assert_ne!(again.refresh, t.refresh);
    })
    .await;
}

#[tokio::test]
async fn validity_follows_the_client_and_read_attributes_filter_claims() {
    each_backend(|app| async move {
        let f = fixture(&app).await;
        let client = new_client(&app.idp(), &f.pool, |b| {
            b.id_token_validity(10)
                .access_token_validity(2)
                .refresh_token_validity(120)
                .token_validity_units(
                    TokenValidityUnitsType::builder()
                        .id_token(TimeUnitsType::Minutes)
                        .access_token(TimeUnitsType::Hours)
                        .refresh_token(TimeUnitsType::Minutes)
                        .build(),
                )
                .read_attributes("email")
                .read_attributes("custom:level")
        })
        .await;
        let t = sign_in(&app, &f.pool, &client, &f.username).await;
        let id = verify(&app, &f.pool, &t.id, Some(&client)).await;
        let access = verify(&app, &f.pool, &t.access, None).await;
        assert_eq!(
            id["exp"].as_i64().unwrap() - id["iat"].as_i64().unwrap(),
            600
        );
        assert_eq!(
            access["exp"].as_i64().unwrap() - access["iat"].as_i64().unwrap(),
            7200
        );
        assert_eq!(id["email"], "alice@example.com");
        assert_eq!(id["custom:level"], "7");
        assert!(id.get("name").is_none());
        assert!(id.get("email_verified").is_none());

        // The refresh token lives 120 minutes.
        app.clock().advance(Duration::from_secs(119 * 60));
        get_tokens(&app, &client, &t.refresh)
            .await
            .expect("still valid");
        app.clock().advance(Duration::from_secs(2 * 60));
        expect_code(
            get_tokens(&app, &client, &t.refresh).await,
            "NotAuthorizedException",
        )
        .assert_message_contains("Refresh Token has expired");
    })
    .await;
}

#[tokio::test]
async fn discovery_document_names_the_issuer_and_the_jwks() {
    each_backend(|app| async move {
        let f = fixture(&app).await;
        let res = app
            .send(RawRequest::new(
                "GET",
                &format!("/{}/.well-known/openid-configuration", f.pool),
            ))
            .await;
        assert_eq!(res.status, 200, "{}", res.text());
        let doc = res.json();
        let base = format!("{}/{}", app.endpoint(), f.pool);
        assert_eq!(doc["issuer"], base.as_str());
        assert_eq!(doc["jwks_uri"], format!("{base}/.well-known/jwks.json"));
        assert_eq!(doc["token_endpoint"], format!("{base}/oauth2/token"));
        assert_eq!(
            doc["authorization_endpoint"],
            format!("{base}/oauth2/authorize")
        );
        assert_eq!(doc["userinfo_endpoint"], format!("{base}/oauth2/userInfo"));
        assert_eq!(
            doc["id_token_signing_alg_values_supported"],
            serde_json::json!(["RS256"])
        );
        // The JWKS at jwks_uri is served before anyone signed in.
        assert_eq!(
            jwks(&app, &f.pool).await["keys"].as_array().unwrap().len(),
            2
        );

        for path in [
            "/us-east-1_NoSuchPoo/.well-known/jwks.json",
            "/us-east-1_NoSuchPoo/.well-known/openid-configuration",
            "/not-a-pool/.well-known/jwks.json",
        ] {
            let res = app.send(RawRequest::new("GET", path)).await;
            assert_eq!(res.status, 404, "{path}: {}", res.text());
        }
    })
    .await;
}

#[tokio::test]
async fn refresh_keeps_the_family_and_rereads_the_user() {
    each_backend(|app| async move {
        let f = fixture(&app).await;
        let t = sign_in(&app, &f.pool, &f.client, &f.username).await;
        let before = verify(&app, &f.pool, &t.id, Some(&f.client)).await;
        app.clock().advance(Duration::from_secs(600));
        app.idp()
            .admin_update_user_attributes()
            .user_pool_id(&f.pool)
            .username(&f.username)
            .user_attributes(attr("name", "Alice Liddell"))
            .send()
            .await
            .expect("AdminUpdateUserAttributes");
        app.idp()
            .admin_remove_user_from_group()
            .user_pool_id(&f.pool)
            .username(&f.username)
            .group_name("admins")
            .send()
            .await
            .expect("AdminRemoveUserFromGroup");

        let out = get_tokens(&app, &f.client, &t.refresh)
            .await
            .expect("GetTokensFromRefreshToken");
        let result = out.authentication_result.expect("result");
        assert!(
            result.refresh_token.is_none(),
            "no rotation, no new refresh token"
        );
        assert_eq!(result.expires_in, 3600);
        assert_eq!(result.token_type.as_deref(), Some("Bearer"));
        let id = verify(
            &app,
            &f.pool,
            result.id_token.as_deref().unwrap(),
            Some(&f.client),
        )
        .await;
        let access = verify(&app, &f.pool, result.access_token.as_deref().unwrap(), None).await;
        assert_eq!(id["origin_jti"], before["origin_jti"]);
        assert_eq!(access["origin_jti"], before["origin_jti"]);
        assert_eq!(id["auth_time"], before["auth_time"]);
        assert_eq!(id["iat"], before["iat"].as_i64().unwrap() + 600);
        assert_ne!(id["jti"], before["jti"]);
        assert_eq!(id["name"], "Alice Liddell");
        assert_eq!(id["cognito:groups"], serde_json::json!(["readers"]));
        assert!(id.get("cognito:preferred_role").is_none());
        assert!(get_user_works(&app, result.access_token.as_deref().unwrap()).await);

        // InitiateAuth REFRESH_TOKEN_AUTH gives the same family too.
        let result = refresh_token_auth(&app, &f.client, &t.refresh)
            .await
            .expect("REFRESH_TOKEN_AUTH")
            .authentication_result
            .expect("tokens");
        assert!(result.refresh_token.is_none());
        let access = verify(&app, &f.pool, result.access_token.as_deref().unwrap(), None).await;
        assert_eq!(access["origin_jti"], before["origin_jti"]);
        assert_eq!(access["auth_time"], before["auth_time"]);

        // A client that does not allow refreshing refuses both ways.
        let no_refresh = new_client(&app.idp(), &f.pool, |b| {
            b.set_explicit_auth_flows(Some(vec![ExplicitAuthFlowsType::AllowUserPasswordAuth]))
        })
        .await;
        let t = sign_in(&app, &f.pool, &no_refresh, &f.username).await;
        expect_code(
            get_tokens(&app, &no_refresh, &t.refresh).await,
            "InvalidParameterException",
        )
        .assert_message_contains("flow not enabled for this client");
        expect_code(
            refresh_token_auth(&app, &no_refresh, &t.refresh).await,
            "InvalidParameterException",
        );
    })
    .await;
}

#[tokio::test]
async fn refresh_tokens_are_bound_to_their_client_and_checked() {
    each_backend(|app| async move {
        let f = fixture(&app).await;
        let t = sign_in(&app, &f.pool, &f.client, &f.username).await;
        let other = new_client(&app.idp(), &f.pool, |b| b).await;
        for (client, token) in [
            (other.as_str(), t.refresh.as_str()),
            (f.client.as_str(), "bm90LWEtcmVhbC1yZWZyZXNoLXRva2Vu"),
            (f.client.as_str(), t.access.as_str()),
        ] {
            expect_code(
                get_tokens(&app, client, token).await,
                "NotAuthorizedException",
            )
            .assert_message_contains("Invalid Refresh Token");
        }

        // A client with a secret needs it, raw, in ClientSecret.
        let described = app
            .idp()
            .create_user_pool_client()
            .user_pool_id(&f.pool)
            .client_name(unique_name("secret-"))
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
            .generate_secret(true)
            .send()
            .await
            .expect("CreateUserPoolClient")
            .user_pool_client
            .unwrap();
        let (secret_client, secret) = (
            described.client_id.unwrap(),
            described.client_secret.unwrap(),
        );
        let t = sign_in_with_secret(&app, &secret_client, &f.username, Some(&secret)).await;
        let call = |secret: Option<String>| {
            app.unsigned_idp()
                .get_tokens_from_refresh_token()
                .client_id(&secret_client)
                .refresh_token(&t.refresh)
                .set_client_secret(secret)
                .send()
        };
        expect_code(call(None).await, "NotAuthorizedException");
        expect_code(
            call(Some(format!("{secret}x"))).await,
            "NotAuthorizedException",
        );
        call(Some(secret.clone())).await.expect("with the secret");
    })
    .await;
}

#[tokio::test]
async fn access_tokens_expire_on_the_clock() {
    each_backend(|app| async move {
        let f = fixture(&app).await;
        let t = sign_in(&app, &f.pool, &f.client, &f.username).await;
        assert!(get_user_works(&app, &t.access).await);
        app.clock().advance(Duration::from_secs(3601));
        expect_code(
            app.unsigned_idp()
                .get_user()
                .access_token(&t.access)
                .send()
                .await,
            "NotAuthorizedException",
        )
        .assert_message_contains("Access Token has expired");
        // The refresh token (30 days) still gives fresh ones.
        let out = get_tokens(&app, &f.client, &t.refresh)
            .await
            .expect("refresh");
        let access = out.authentication_result.unwrap().access_token.unwrap();
        assert!(get_user_works(&app, &access).await);
    })
    .await;
}

#[tokio::test]
async fn forged_and_foreign_access_tokens_are_invalid() {
    each_backend(|app| async move {
        let f = fixture(&app).await;
        let t = sign_in(&app, &f.pool, &f.client, &f.username).await;
        let [header, payload, signature]: [&str; 3] =
            t.access.split('.').collect::<Vec<_>>().try_into().unwrap();
        let mut claims: Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
        claims["username"] = "mallory".into();
        let tampered = URL_SAFE_NO_PAD.encode(claims.to_string());
        let none_header =
            URL_SAFE_NO_PAD.encode(format!(r#"{{"kid":"{}","alg":"none"}}"#, kid_of(&t.access)));

        // The same user in another pool: its key is not this pool's.
        let other = fixture(&app).await;
        let foreign = sign_in(&app, &other.pool, &other.client, &other.username).await;
        let [_, foreign_payload, foreign_sig]: [&str; 3] = foreign
            .access
            .split('.')
            .collect::<Vec<_>>()
            .try_into()
            .unwrap();

        for token in [
            format!("{header}.{tampered}.{signature}"),
            format!("{none_header}.{payload}."),
            format!("{header}.{foreign_payload}.{foreign_sig}"),
            t.id.clone(),
            "garbage".to_owned(),
            format!("{header}.{payload}"),
        ] {
            expect_code(
                app.unsigned_idp()
                    .get_user()
                    .access_token(&token)
                    .send()
                    .await,
                "NotAuthorizedException",
            )
            .assert_message_contains("Invalid Access Token");
        }
        assert!(get_user_works(&app, &t.access).await);
    })
    .await;
}

#[tokio::test]
async fn global_sign_out_revokes_every_session_of_the_user() {
    each_backend(|app| async move {
        let f = fixture(&app).await;
        let a = sign_in(&app, &f.pool, &f.client, &f.username).await;
        let b = sign_in(&app, &f.pool, &f.client, &f.username).await;
        app.unsigned_idp()
            .global_sign_out()
            .access_token(&a.access)
            .send()
            .await
            .expect("GlobalSignOut");
        for t in [&a, &b] {
            expect_code(
                app.unsigned_idp()
                    .get_user()
                    .access_token(&t.access)
                    .send()
                    .await,
                "NotAuthorizedException",
            )
            .assert_message_contains("Access Token has been revoked");
            expect_code(
                get_tokens(&app, &f.client, &t.refresh).await,
                "NotAuthorizedException",
            )
            .assert_message_contains("Refresh Token has been revoked");
        }
        expect_code(
            app.unsigned_idp()
                .global_sign_out()
                .access_token(&a.access)
                .send()
                .await,
            "NotAuthorizedException",
        );
        // Signing in again starts a live session.
        let c = sign_in(&app, &f.pool, &f.client, &f.username).await;
        assert!(get_user_works(&app, &c.access).await);
        get_tokens(&app, &f.client, &c.refresh)
            .await
            .expect("new session refreshes");
    })
    .await;
}

#[tokio::test]
async fn revoke_token_kills_that_family_only() {
    each_backend(|app| async move {
        let f = fixture(&app).await;
        let a = sign_in(&app, &f.pool, &f.client, &f.username).await;
        let b = sign_in(&app, &f.pool, &f.client, &f.username).await;
        let a2 = get_tokens(&app, &f.client, &a.refresh)
            .await
            .expect("refresh a")
            .authentication_result
            .unwrap()
            .access_token
            .unwrap();
        let revoke = |client: String, token: String| {
            app.unsigned_idp()
                .revoke_token()
                .client_id(client)
                .token(token)
                .send()
        };
        // Only refresh tokens, only by their own client.
        expect_code(
            revoke(f.client.clone(), a.access.clone()).await,
            "UnsupportedTokenTypeException",
        );
        let other = new_client(&app.idp(), &f.pool, |b| b).await;
        expect_code(
            revoke(other, a.refresh.clone()).await,
            "UnauthorizedException",
        );

        revoke(f.client.clone(), a.refresh.clone())
            .await
            .expect("RevokeToken");
        // Every access token of the family, the refreshed one too.
        for access in [&a.access, &a2] {
            expect_code(
                app.unsigned_idp()
                    .get_user()
                    .access_token(access)
                    .send()
                    .await,
                "NotAuthorizedException",
            )
            .assert_message_contains("Access Token has been revoked");
        }
        expect_code(
            get_tokens(&app, &f.client, &a.refresh).await,
            "NotAuthorizedException",
        )
        .assert_message_contains("Refresh Token has been revoked");
        // The other session lives on.
        assert!(get_user_works(&app, &b.access).await);
        get_tokens(&app, &f.client, &b.refresh)
            .await
            .expect("b refreshes");
        // Revoking again, or an unknown token, is not an error.
        revoke(f.client.clone(), a.refresh.clone())
            .await
            .expect("again");
        revoke(f.client.clone(), "dW5rbm93bi1yZWZyZXNoLXRva2Vu".to_owned())
            .await
            .expect("unknown");

        // A client with revocation off refuses.
        let no_revocation =
            new_client(&app.idp(), &f.pool, |b| b.enable_token_revocation(false)).await;
        let c = sign_in(&app, &f.pool, &no_revocation, &f.username).await;
        expect_code(
            revoke(no_revocation, c.refresh.clone()).await,
            "UnsupportedOperationException",
        );
    })
    .await;
}

#[tokio::test]
async fn admin_sign_out_disable_and_delete_revoke_tokens() {
    each_backend(|app| async move {
        let f = fixture(&app).await;
        let idp = app.idp();

        let t = sign_in(&app, &f.pool, &f.client, &f.username).await;
        idp.admin_user_global_sign_out()
            .user_pool_id(&f.pool)
            .username(&f.username)
            .send()
            .await
            .expect("AdminUserGlobalSignOut");
        assert!(!get_user_works(&app, &t.access).await);
        expect_code(
            get_tokens(&app, &f.client, &t.refresh).await,
            "NotAuthorizedException",
        );
        expect_code(
            idp.admin_user_global_sign_out()
                .user_pool_id(&f.pool)
                .username("nobody")
                .send()
                .await,
            "UserNotFoundException",
        );

        let t = sign_in(&app, &f.pool, &f.client, &f.username).await;
        idp.admin_disable_user()
            .user_pool_id(&f.pool)
            .username(&f.username)
            .send()
            .await
            .expect("AdminDisableUser");
        assert!(!get_user_works(&app, &t.access).await);
        expect_code(
            get_tokens(&app, &f.client, &t.refresh).await,
            "NotAuthorizedException",
        );
        idp.admin_enable_user()
            .user_pool_id(&f.pool)
            .username(&f.username)
            .send()
            .await
            .expect("AdminEnableUser");
        // Enabling does not bring the revoked sessions back.
        assert!(!get_user_works(&app, &t.access).await);

        let t = sign_in(&app, &f.pool, &f.client, &f.username).await;
        assert!(get_user_works(&app, &t.access).await);
        idp.admin_delete_user()
            .user_pool_id(&f.pool)
            .username(&f.username)
            .send()
            .await
            .expect("AdminDeleteUser");
        assert!(!get_user_works(&app, &t.access).await);
        expect_code(
            get_tokens(&app, &f.client, &t.refresh).await,
            "NotAuthorizedException",
        );
    })
    .await;
}

/// A user disabled without its sessions being revoked (by a store write, as an older
/// version or a direct edit might leave it) is still refused.
#[tokio::test]
async fn a_disabled_user_is_refused_even_with_live_tokens() {
    each_backend(|app| async move {
        let f = fixture(&app).await;
        let t = sign_in(&app, &f.pool, &f.client, &f.username).await;
        let cx = app.cx();
        let pool = load_pool(cx, &f.pool).await.unwrap();
        let mut user = find_user(cx, &pool, &f.username).await.unwrap();
        user.enabled = false;
        cx.store.update_user(&user).await.unwrap();
        expect_code(
            app.unsigned_idp()
                .get_user()
                .access_token(&t.access)
                .send()
                .await,
            "NotAuthorizedException",
        )
        .assert_message_contains("User is disabled.");
        expect_code(
            get_tokens(&app, &f.client, &t.refresh).await,
            "NotAuthorizedException",
        )
        .assert_message_contains("User is disabled.");
    })
    .await;
}

#[tokio::test]
async fn rotation_issues_new_refresh_tokens_and_refuses_reuse() {
    each_backend(|app| async move {
        let f = fixture(&app).await;
        let rotating = |grace: i32| {
            move |b: ClientBuilder| {
                b.refresh_token_rotation(
                    RefreshTokenRotationType::builder()
                        .feature(FeatureType::Enabled)
                        .retry_grace_period_seconds(grace)
                        .build()
                        .unwrap(),
                )
            }
        };
        let strict = new_client(&app.idp(), &f.pool, rotating(0)).await;
        let t = sign_in(&app, &f.pool, &strict, &f.username).await;
        let first = get_tokens(&app, &strict, &t.refresh)
            .await
            .expect("rotate")
            .authentication_result
            .unwrap();
        let next = first.refresh_token.clone().expect("a new refresh token");
        assert_ne!(next, t.refresh);
        let id = verify(
            &app,
            &f.pool,
            first.id_token.as_deref().unwrap(),
            Some(&strict),
        )
        .await;
        let original = verify(&app, &f.pool, &t.id, Some(&strict)).await;
        assert_eq!(id["origin_jti"], original["origin_jti"]);
        expect_code(
            get_tokens(&app, &strict, &t.refresh).await,
            "RefreshTokenReuseException",
        );
        get_tokens(&app, &strict, &next)
            .await
            .expect("the new one works");

        // REFRESH_TOKEN_AUTH is refused for a rotating client.
        let t = sign_in(&app, &f.pool, &strict, &f.username).await;
        expect_code(
            refresh_token_auth(&app, &strict, &t.refresh).await,
            "InvalidParameterException",
        );

        // With a grace period the old token works for retries, then not.
        let lenient = new_client(&app.idp(), &f.pool, rotating(30)).await;
        let t = sign_in(&app, &f.pool, &lenient, &f.username).await;
        get_tokens(&app, &lenient, &t.refresh)
            .await
            .expect("rotate");
        app.clock().advance(Duration::from_secs(20));
        let retried = get_tokens(&app, &lenient, &t.refresh)
            .await
            .expect("a retry within the grace period");
        assert!(retried
            .authentication_result
            .unwrap()
            .refresh_token
            .is_some());
        app.clock().advance(Duration::from_secs(20));
        expect_code(
            get_tokens(&app, &lenient, &t.refresh).await,
            "RefreshTokenReuseException",
        );
    })
    .await;
}

#[tokio::test]
async fn key_rotation_keeps_old_tokens_valid_and_reaches_other_nodes() {
    each_backend(|app| async move {
        let f = fixture(&app).await;
        let old = sign_in(&app, &f.pool, &f.client, &f.username).await;
        // A second node: same database, its own key cache.
        let node_b = Cx {
            keys: Default::default(),
            ..app.cx().clone()
        };
        let new_kids = tokens::rotate_keys(&node_b, &f.pool).await.expect("rotate");
        assert_eq!(new_kids.len(), 2);
        let set = jwks(&app, &f.pool).await;
        assert_eq!(
            set["keys"].as_array().unwrap().len(),
            4,
            "old and new: {set}"
        );

        // Node B signs with the new keys once they are a moment old.
        app.clock().advance(Duration::from_secs(3));
        let pool = load_pool(&node_b, &f.pool).await.unwrap();
        let client = load_client(&node_b, &f.pool, &f.client).await.unwrap();
        let user = find_user(&node_b, &pool, &f.username).await.unwrap();
        let from_b = tokens::issue(
            &node_b,
            &pool,
            &client,
            &user,
            IssueParams {
                auth_time_ms: node_b.now_ms(),
                ..IssueParams::default()
            },
        )
        .await
        .unwrap();
        let b_access = from_b.access_token.unwrap();
        assert!(new_kids.contains(&kid_of(&b_access)));
        assert!(new_kids.contains(&kid_of(from_b.id_token.as_deref().unwrap())));
        // The server (node A) has the old keys cached, meets the new kid, and reloads.
        assert!(get_user_works(&app, &b_access).await);
        assert!(get_user_works(&app, &old.access).await);
        verify(&app, &f.pool, &b_access, None).await;
        verify(&app, &f.pool, &old.id, Some(&f.client)).await;

        // Node A moves to the new keys when its cache expires.
        app.clock().advance(Duration::from_secs(61));
        let a = sign_in(&app, &f.pool, &f.client, &f.username).await;
        assert!(new_kids.contains(&kid_of(&a.access)));

        // A day and more later the old keys leave the JWKS.
        app.clock().advance(Duration::from_secs(26 * 3600));
        let set = jwks(&app, &f.pool).await;
        let kids: Vec<&str> = set["keys"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["kid"].as_str().unwrap())
            .collect();
        assert_eq!(kids.len(), 2, "{set}");
        assert!(kids.iter().all(|k| new_kids.iter().any(|n| n == k)));
    })
    .await;
}
