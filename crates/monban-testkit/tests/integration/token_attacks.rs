//! Attacks on access tokens, against every operation the model authorises with an
//! `AccessToken` member and against `/oauth2/userInfo`: `alg: none`, HS256 keyed with the
//! public key, a token signed by another pool's key under its `kid`, one signed by the
//! pool's ID-token key, a modified payload, an ID token, an expired token, and the tokens
//! of a disabled and of a deleted user. Each is refused (`NotAuthorizedException`, or
//! `invalid_token` at userInfo); a control token re-signed with the pool's own access key
//! is accepted, so the refusals are about the attack and not about the harness.

use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use monban_core::pool_config::load_pool;
use monban_core::users::find_user;
use monban_core::wire::schema::ShapeKind;
use monban_core::wire::IDP;
use monban_testkit::idp::types::{AuthFlowType, ExplicitAuthFlowsType};
use monban_testkit::{each_backend, unique_name, RawRequest, RawResponse, TestApp};
use serde_json::{json, Value};
use sha2::Sha256;

use super::support::create_user;

const PASSWORD: &str = "Correct-Horse-1";
/// Operations that end the session or change the credentials: no control call.
const DESTRUCTIVE: [&str; 5] = [
    "ChangePassword",
    "DeleteUser",
    "GlobalSignOut",
    "RevokeUserSession",
    "ForgetDevice",
];

struct Signed {
    pool: String,
    client: String,
    username: String,
    id: String,
    access: String,
}

async fn pool_with_user(app: &TestApp) -> Signed {
    let idp = app.idp();
    let pool = super::support::new_pool_id(&idp).await;
    let client = idp
        .create_user_pool_client()
        .user_pool_id(&pool)
        .client_name(unique_name("app-"))
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .send()
        .await
        .expect("CreateUserPoolClient")
        .user_pool_client
        .and_then(|c| c.client_id)
        .expect("client id");
    let username = "alice".to_owned();
    create_user(&idp, &pool, &username, &[("email", "alice@example.com")]).await;
    idp.admin_set_user_password()
        .user_pool_id(&pool)
        .username(&username)
        .password(PASSWORD)
        .permanent(true)
        .send()
        .await
        .expect("AdminSetUserPassword");
    let mut signed = Signed {
        pool,
        client,
        username,
        id: String::new(),
        access: String::new(),
    };
    sign_in(app, &mut signed).await;
    signed
}

async fn sign_in(app: &TestApp, s: &mut Signed) {
    let result = app
        .unsigned_idp()
        .initiate_auth()
        .client_id(&s.client)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", &s.username)
        .auth_parameters("PASSWORD", PASSWORD)
        .send()
        .await
        .expect("InitiateAuth")
        .authentication_result
        .expect("tokens");
    s.id = result.id_token.expect("id token");
    s.access = result.access_token.expect("access token");
}

/// Every user-pool operation with an `AccessToken` member.
fn access_token_operations() -> Vec<&'static str> {
    IDP.operations
        .iter()
        .filter(|op| match IDP.shapes.get(op.input).map(|s| &s.kind) {
            Some(ShapeKind::Structure(members)) => members.iter().any(|m| m.name == "AccessToken"),
            _ => false,
        })
        .map(|op| op.name)
        .collect()
}

/// A body for `op` whose only possible fault is the token: its other required members
/// hold values the model accepts.
fn body(op: &str, token: &str) -> String {
    let device = "us-east-1_00000000-0000-0000-0000-000000000000";
    let extra = match op {
        "ChangePassword" => {
            json!({"PreviousPassword": PASSWORD, "ProposedPassword": "Other-Horse-22"})
        }
        "CompleteWebAuthnRegistration" => json!({"Credential": {}}),
        "ConfirmDevice" => json!({"DeviceKey": device}),
        "DeleteUserAttributes" => json!({"UserAttributeNames": ["name"]}),
        "DeleteWebAuthnCredential" => json!({"CredentialId": "credential"}),
        "ForgetDevice" | "GetDevice" => json!({"DeviceKey": device}),
        "UpdateDeviceStatus" => {
            json!({"DeviceKey": device, "DeviceRememberedStatus": "remembered"})
        }
        "GetUserAttributeVerificationCode" => json!({"AttributeName": "email"}),
        "RevokeUserSession" => json!({"SessionId": "tkn0123456789abcdefghijklmn"}),
        "SetUserSettings" => json!({"MFAOptions": []}),
        "UpdateUserAttributes" => json!({"UserAttributes": [{"Name": "name", "Value": "Alice"}]}),
        "VerifySoftwareToken" => json!({"UserCode": "123456"}),
        "VerifyUserAttribute" => json!({"AttributeName": "email", "Code": "123456"}),
        _ => json!({}),
    };
    let mut obj = extra;
    obj["AccessToken"] = token.into();
    obj.to_string()
}

async fn call(app: &TestApp, op: &str, token: &str) -> RawResponse {
    app.send(RawRequest::idp(op, body(op, token))).await
}

/// Whether the answer refuses the token itself (not the rest of the request).
fn refuses_token(resp: &RawResponse) -> bool {
    resp.status == 400
        && matches!(
            resp.error_type().as_deref(),
            Some("NotAuthorizedException") | Some("OperationNotEnabledException")
        )
        && !resp
            .message()
            .unwrap_or_default()
            .contains("Incorrect username or password")
}

async fn assert_refused_everywhere(app: &TestApp, pool: &str, what: &str, token: &str) {
    for op in access_token_operations() {
        let resp = call(app, op, token).await;
        assert!(
            refuses_token(&resp),
            "{op} with {what}: {} {}",
            resp.status,
            resp.text()
        );
    }
    let resp = user_info(app, pool, token).await;
    assert_eq!(resp.status, 401, "userInfo with {what}: {}", resp.text());
    assert!(
        resp.header("www-authenticate")
            .is_some_and(|v| v.contains("invalid_token")),
        "userInfo with {what}: {:?}",
        resp.headers
    );
}

async fn user_info(app: &TestApp, pool: &str, token: &str) -> RawResponse {
    app.send(
        RawRequest::new("GET", &format!("/{pool}/oauth2/userInfo"))
            .header("authorization", &format!("Bearer {token}")),
    )
    .await
}

fn segments(token: &str) -> (Value, Value) {
    let mut parts = token.split('.');
    let mut next = || -> Value {
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts.next().unwrap()).unwrap()).unwrap()
    };
    let header = next();
    let payload = next();
    (header, payload)
}

fn b64(v: &Value) -> String {
    URL_SAFE_NO_PAD.encode(v.to_string())
}

/// `header.payload` signed with HS256 under `key`.
fn hs256(header: &Value, payload: &Value, key: &[u8]) -> String {
    let input = format!("{}.{}", b64(header), b64(payload));
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
    mac.update(input.as_bytes());
    format!(
        "{input}.{}",
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    )
}

/// `payload` signed with RS256 by the stored key `kid` of `pool` (as an attacker holding
/// that key would).
async fn rs256_with(app: &TestApp, pool: &str, token_use: &str, payload: &Value) -> String {
    let key = app
        .cx()
        .store
        .list_signing_keys(pool)
        .await
        .unwrap()
        .into_iter()
        .find(|k| k.token_use == token_use)
        .unwrap_or_else(|| panic!("a {token_use} key in {pool}"));
    let encoding = jsonwebtoken::EncodingKey::from_rsa_der(pkcs1_of(&key.private_key_der));
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
    header.kid = Some(key.kid.clone());
    jsonwebtoken::encode(&header, payload, &encoding).unwrap()
}

/// The PKCS#1 `RSAPrivateKey` inside a PKCS#8 `PrivateKeyInfo` (the store's form):
/// SEQUENCE { INTEGER version, SEQUENCE algorithm, OCTET STRING key }.
fn pkcs1_of(pkcs8: &[u8]) -> &[u8] {
    /// (tag, content, rest) of the DER element at the start of `der`.
    fn element(der: &[u8]) -> (u8, &[u8], &[u8]) {
        let (tag, first) = (der[0], der[1]);
        let (len, header) = if first < 0x80 {
            (usize::from(first), 2)
        } else {
            let n = usize::from(first & 0x7f);
            let len = der[2..2 + n]
                .iter()
                .fold(0, |acc, b| (acc << 8) | usize::from(*b));
            (len, 2 + n)
        };
        (tag, &der[header..header + len], &der[header + len..])
    }
    let (tag, info, _) = element(pkcs8);
    assert_eq!(tag, 0x30, "PrivateKeyInfo is a SEQUENCE");
    let (_, _, rest) = element(info); // version
    let (_, _, rest) = element(rest); // algorithm
    let (tag, key, _) = element(rest);
    assert_eq!(tag, 0x04, "the private key is an OCTET STRING");
    key
}

async fn jwks(app: &TestApp, pool: &str) -> Value {
    app.send(RawRequest::new(
        "GET",
        &format!("/{pool}/.well-known/jwks.json"),
    ))
    .await
    .json()
}

#[tokio::test]
async fn every_access_token_operation_refuses_forged_and_misused_tokens() {
    each_backend(|app| async move {
        let ops = access_token_operations();
        for op in [
            "GetUser",
            "UpdateUserAttributes",
            "DeleteUser",
            "ChangePassword",
            "GlobalSignOut",
            "AssociateSoftwareToken",
            "ListDevices",
            "VerifyUserAttribute",
        ] {
            assert!(ops.contains(&op), "{op} is among {ops:?}");
        }
        let a = pool_with_user(&app).await;
        let b = pool_with_user(&app).await;
        let (header, claims) = segments(&a.access);
        let kid = header["kid"].as_str().unwrap().to_owned();

        // Control: the pool's own access key over the same claims is accepted, so the
        // signer below is right and a refusal is about what changed.
        let control = rs256_with(&app, &a.pool, "access", &claims).await;
        let resp = call(&app, "GetUser", &control).await;
        assert_eq!(resp.status, 200, "re-signed control token: {}", resp.text());
        let mut openid = claims.clone();
        openid["scope"] = "openid email aws.cognito.signin.user.admin".into();
        let openid_control = rs256_with(&app, &a.pool, "access", &openid).await;
        let resp = user_info(&app, &a.pool, &openid_control).await;
        assert_eq!(resp.status, 200, "userInfo control: {}", resp.text());

        let mut attacks: Vec<(String, String)> = Vec::new();
        let none = json!({"kid": kid, "alg": "none"});
        attacks.push((
            "alg none".into(),
            format!("{}.{}.", b64(&none), b64(&claims)),
        ));
        let none_upper = json!({"kid": kid, "alg": "NONE"});
        attacks.push(("alg NONE with the original signature".into(), {
            let sig = a.access.rsplit('.').next().unwrap();
            format!("{}.{}.{sig}", b64(&none_upper), b64(&claims))
        }));
        let jwks = jwks(&app, &a.pool).await;
        let jwk = jwks["keys"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["kid"] == kid)
            .unwrap()
            .clone();
        let hs = json!({"kid": kid, "alg": "HS256"});
        let n = URL_SAFE_NO_PAD.decode(jwk["n"].as_str().unwrap()).unwrap();
        for (what, key) in [
            ("the JWK", jwk.to_string().into_bytes()),
            ("the JWKS", jwks.to_string().into_bytes()),
            ("the modulus", n),
            (
                "the modulus in base64url",
                jwk["n"].as_str().unwrap().as_bytes().to_vec(),
            ),
        ] {
            attacks.push((
                format!("HS256 keyed with {what}"),
                hs256(&hs, &claims, &key),
            ));
        }
        let mut tampered = claims.clone();
        tampered["username"] = "mallory".into();
        tampered["exp"] = (claims["exp"].as_i64().unwrap() + 86_400).into();
        let [h, _, sig]: [&str; 3] = a.access.split('.').collect::<Vec<_>>().try_into().unwrap();
        attacks.push((
            "a modified payload".into(),
            format!("{h}.{}.{sig}", b64(&tampered)),
        ));
        attacks.push((
            "another pool's key under its own kid".into(),
            rs256_with(&app, &b.pool, "access", &claims).await,
        ));
        attacks.push((
            "the pool's ID-token key".into(),
            rs256_with(&app, &a.pool, "id", &claims).await,
        ));
        let (_, foreign) = segments(&b.access);
        let mut mixed = foreign.clone();
        mixed["iss"] = claims["iss"].clone();
        attacks.push((
            "another pool's token claiming this pool's issuer".into(),
            rs256_with(&app, &b.pool, "access", &mixed).await,
        ));
        let mut no_use = claims.clone();
        no_use["token_use"] = "id".into();
        attacks.push((
            "token_use id signed by the access key".into(),
            rs256_with(&app, &a.pool, "access", &no_use).await,
        ));
        attacks.push(("an ID token".into(), a.id.clone()));
        attacks.push(("two segments".into(), format!("{h}.{}", b64(&claims))));
        attacks.push((
            "an empty signature".into(),
            format!("{h}.{}.", b64(&claims)),
        ));
        attacks.push(("four segments".into(), format!("{}.x", a.access)));
        attacks.push((
            "a 20 kB token".into(),
            format!("{h}.{}.{sig}", "A".repeat(20_000)),
        ));

        for (what, token) in &attacks {
            assert_refused_everywhere(&app, &a.pool, what, token).await;
        }

        // The genuine token still works wherever it is not destructive.
        for op in access_token_operations() {
            if DESTRUCTIVE.contains(&op) {
                continue;
            }
            let resp = call(&app, op, &a.access).await;
            assert!(
                resp.status == 200
                    || !refuses_token(&resp)
                    || resp.error_type().as_deref() == Some("OperationNotEnabledException"),
                "{op} with the genuine token: {}",
                resp.text()
            );
        }
    })
    .await;
}

#[tokio::test]
async fn tokens_of_disabled_deleted_and_expired_sessions_are_refused_everywhere() {
    each_backend(|app| async move {
        let mut a = pool_with_user(&app).await;
        let cx = app.cx();

        // Disabled by a direct store write, so no revocation hides the check.
        let pool = load_pool(cx, &a.pool).await.unwrap();
        let mut user = find_user(cx, &pool, &a.username).await.unwrap();
        user.enabled = false;
        cx.store.update_user(&user).await.unwrap();
        assert_refused_everywhere(&app, &a.pool, "a disabled user's token", &a.access).await;
        let mut user = find_user(cx, &pool, &a.username).await.unwrap();
        user.enabled = true;
        cx.store.update_user(&user).await.unwrap();
        assert_eq!(call(&app, "GetUser", &a.access).await.status, 200);

        // Expired: an hour is the default access-token validity.
        app.clock().advance(Duration::from_secs(3_600 + 60));
        assert_refused_everywhere(&app, &a.pool, "an expired token", &a.access).await;

        // Deleted.
        sign_in(&app, &mut a).await;
        assert_eq!(call(&app, "GetUser", &a.access).await.status, 200);
        app.idp()
            .admin_delete_user()
            .user_pool_id(&a.pool)
            .username(&a.username)
            .send()
            .await
            .expect("AdminDeleteUser");
        assert_refused_everywhere(&app, &a.pool, "a deleted user's token", &a.access).await;
    })
    .await;
}
