//! Development mode's test-support API (`/_monban/`) over plain HTTP, next to Cognito
//! operations through the SDK as an application's test suite would call them: the clock
//! expiring codes and tokens, reset, the message list with codes, seeded ids, and the API
//! refused outside development mode.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use monban_testkit::idp::types::{
    AdminCreateUserConfigType, AuthFlowType, ChallengeNameType, DeliveryMediumType,
    ExplicitAuthFlowsType, MessageActionType, MessageTemplateType, SmsConfigurationType,
    SmsMfaConfigType, SmsMfaSettingsType, UserPoolMfaType, VerificationMessageTemplateType,
    VerifiedAttributeType,
};
use monban_testkit::idp::Client;
use monban_testkit::{expect_code, unique_name, DevOptions, RawRequest, RawResponse, TestApp};
use serde_json::{json, Value};

use super::support::attr;

const PASSWORD: &str = "Passw0rd!";
const HOUR_MS: i64 = 3_600_000;

async fn dev_app() -> TestApp {
    TestApp::start_dev(DevOptions::default()).await
}

async fn get(app: &TestApp, path: &str) -> RawResponse {
    app.send(RawRequest::new("GET", path)).await
}

async fn post(app: &TestApp, path: &str, body: Value) -> RawResponse {
    app.send(
        RawRequest::new("POST", path)
            .header("content-type", "application/json")
            .body(body.to_string()),
    )
    .await
}

/// `GET /_monban/messages` with a query string (`""` for all), answered 200.
async fn messages(app: &TestApp, query: &str) -> Vec<Value> {
    let response = get(app, &format!("/_monban/messages{query}")).await;
    assert_eq!(response.status, 200, "{}", response.text());
    assert_eq!(response.header("content-type"), Some("application/json"));
    response.json()["messages"]
        .as_array()
        .expect("a messages array")
        .clone()
}

/// The code of the latest message to `to`, as a test suite reads it.
async fn latest_code(app: &TestApp, to: &str) -> String {
    let list = messages(app, &format!("?recipient={to}")).await;
    let last = list.last().unwrap_or_else(|| panic!("no message to {to}"));
    last["code"].as_str().expect("a code").to_owned()
}

async fn move_clock(app: &TestApp, body: Value) -> Value {
    let response = post(app, "/_monban/clock", body).await;
    assert_eq!(response.status, 200, "{}", response.text());
    response.json()
}

/// A pool that verifies email at sign-up, and a client allowed to sign in with a password.
async fn pool_and_client(idp: &Client) -> (String, String) {
    let pool = idp
        .create_user_pool()
        .pool_name(unique_name("dev-"))
        .auto_verified_attributes(VerifiedAttributeType::Email)
        .send()
        .await
        .expect("CreateUserPool")
        .user_pool
        .unwrap()
        .id
        .unwrap();
    let client = idp
        .create_user_pool_client()
        .user_pool_id(&pool)
        .client_name("app")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .send()
        .await
        .expect("CreateUserPoolClient")
        .user_pool_client
        .unwrap()
        .client_id
        .unwrap();
    (pool, client)
}

async fn sign_up(app: &TestApp, client: &str, email: &str) {
    app.unsigned_idp()
        .sign_up()
        .client_id(client)
        .username(email)
        .password(PASSWORD)
        .user_attributes(attr("email", email))
        .send()
        .await
        .expect("SignUp");
}

async fn confirm(app: &TestApp, client: &str, email: &str, code: &str) {
    app.unsigned_idp()
        .confirm_sign_up()
        .client_id(client)
        .username(email)
        .confirmation_code(code)
        .send()
        .await
        .expect("ConfirmSignUp");
}

async fn access_token(app: &TestApp, client: &str, username: &str) -> String {
    app.unsigned_idp()
        .initiate_auth()
        .client_id(client)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", username)
        .auth_parameters("PASSWORD", PASSWORD)
        .send()
        .await
        .expect("InitiateAuth")
        .authentication_result
        .expect("tokens")
        .access_token
        .expect("an access token")
}

fn http_date_ms(response: &RawResponse) -> i64 {
    let date = response.header("date").expect("a Date header");
    let at = httpdate::parse_http_date(date).expect("an HTTP date");
    i64::try_from(at.duration_since(UNIX_EPOCH).unwrap().as_millis()).unwrap()
}

#[tokio::test]
async fn the_test_support_api_is_refused_outside_development_mode() {
    let app = TestApp::start().await;
    let pool = super::support::new_pool_id(&app.idp()).await;
    for response in [
        post(&app, "/_monban/reset", json!({})).await,
        get(&app, "/_monban/messages").await,
        get(&app, "/_monban/clock").await,
        post(&app, "/_monban/clock", json!({ "advance_ms": HOUR_MS })).await,
        get(&app, "/_monban").await,
    ] {
        assert_eq!(response.status, 404, "{}", response.text());
        assert_eq!(
            response.error_type().as_deref(),
            Some("ResourceNotFoundException")
        );
        assert!(
            response.message().unwrap().contains("--dev"),
            "{}",
            response.text()
        );
    }
    // The reset did nothing.
    app.idp()
        .describe_user_pool()
        .user_pool_id(&pool)
        .send()
        .await
        .expect("the pool survives");
}

#[tokio::test]
async fn the_clock_expires_a_confirmation_code() {
    let app = dev_app().await;
    let (_, client) = pool_and_client(&app.idp()).await;
    let email = format!("{}@example.com", unique_name("late-"));
    sign_up(&app, &client, &email).await;
    let code = latest_code(&app, &email).await;

    let before = move_clock(&app, json!({ "advance_ms": 0 })).await;
    assert_eq!(before["offset_ms"], 0);
    // Sign-up codes live 24 hours.
    let moved = move_clock(&app, json!({ "advance_ms": 25 * HOUR_MS })).await;
    assert_eq!(moved["offset_ms"], 25 * HOUR_MS);
    let shown = get(&app, "/_monban/clock").await.json();
    assert_eq!(shown["offset_ms"], 25 * HOUR_MS);
    let server_now = shown["now_ms"].as_i64().unwrap();
    let real_now = i64::try_from(
        app.clock()
            .system_time()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_millis(),
    )
    .unwrap();
    assert_eq!(server_now - real_now, 25 * HOUR_MS);
    // The Date header follows the server's clock (SDKs correct their signing clock by it).
    let health = get(&app, "/health").await;
    assert!((http_date_ms(&health) - server_now).abs() < 2_000);

    expect_code(
        app.unsigned_idp()
            .confirm_sign_up()
            .client_id(&client)
            .username(&email)
            .confirmation_code(&code)
            .send()
            .await,
        "ExpiredCodeException",
    );

    // A fresh code, read back from the message list, works at the new time.
    app.unsigned_idp()
        .resend_confirmation_code()
        .client_id(&client)
        .username(&email)
        .send()
        .await
        .expect("ResendConfirmationCode");
    let fresh = latest_code(&app, &email).await;
    confirm(&app, &client, &email, &fresh).await;
}

#[tokio::test]
async fn the_clock_expires_an_access_token_and_goes_back() {
    let app = dev_app().await;
    let (_, client) = pool_and_client(&app.idp()).await;
    let email = format!("{}@example.com", unique_name("token-"));
    sign_up(&app, &client, &email).await;
    let code = latest_code(&app, &email).await;
    confirm(&app, &client, &email, &code).await;
    let token = access_token(&app, &client, &email).await;
    let user = app.unsigned_idp();
    user.get_user()
        .access_token(&token)
        .send()
        .await
        .expect("GetUser with a fresh token");

    // Access tokens live an hour by default.
    move_clock(&app, json!({ "advance_ms": HOUR_MS + 60_000 })).await;
    expect_code(
        user.get_user().access_token(&token).send().await,
        "NotAuthorizedException",
    )
    .assert_message_contains("expired");

    move_clock(&app, json!({ "offset_ms": 0 })).await;
    user.get_user()
        .access_token(&token)
        .send()
        .await
        .expect("back in time, the token is good again");
}

#[tokio::test]
async fn bad_clock_requests_are_refused() {
    let app = dev_app().await;
    for body in [
        json!({}),
        json!({ "offset_ms": 1, "advance_ms": 1 }),
        json!({ "offset_ms": "soon" }),
        json!({ "offsetMs": 1 }),
    ] {
        let response = post(&app, "/_monban/clock", body.clone()).await;
        assert_eq!(response.status, 400, "{body}: {}", response.text());
        assert_eq!(
            response.error_type().as_deref(),
            Some("InvalidParameterException")
        );
    }
    let unknown = get(&app, "/_monban/nothing-here").await;
    assert_eq!(unknown.status, 404);
    assert!(unknown.message().unwrap().contains("/_monban/reset"));
}

#[tokio::test]
async fn reset_leaves_a_clean_server() {
    let app = dev_app().await;
    let idp = app.idp();
    let (pool, client) = pool_and_client(&idp).await;
    let email = format!("{}@example.com", unique_name("gone-"));
    sign_up(&app, &client, &email).await;
    move_clock(&app, json!({ "advance_ms": HOUR_MS })).await;
    assert_eq!(messages(&app, "").await.len(), 1);

    let response = post(&app, "/_monban/reset", json!({})).await;
    assert_eq!(response.status, 200, "{}", response.text());
    assert_eq!(response.json(), json!({}));

    let pools = idp.list_user_pools().max_results(60).send().await.unwrap();
    assert!(pools.user_pools().is_empty(), "{pools:?}");
    expect_code(
        idp.describe_user_pool().user_pool_id(&pool).send().await,
        "ResourceNotFoundException",
    );
    expect_code(
        app.unsigned_idp()
            .sign_up()
            .client_id(&client)
            .username(&email)
            .password(PASSWORD)
            .send()
            .await,
        "ResourceNotFoundException",
    );
    assert!(messages(&app, "").await.is_empty());
    assert_eq!(get(&app, "/_monban/clock").await.json()["offset_ms"], 0);

    // Everything works again from scratch, sign-in and its keys included.
    let (_, client) = pool_and_client(&idp).await;
    sign_up(&app, &client, &email).await;
    let code = latest_code(&app, &email).await;
    confirm(&app, &client, &email, &code).await;
    let token = access_token(&app, &client, &email).await;
    app.unsigned_idp()
        .get_user()
        .access_token(token)
        .send()
        .await
        .expect("GetUser after a reset");
    let list = messages(&app, "").await;
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["id"], 1, "message ids start over");
}

#[tokio::test]
async fn messages_are_listed_with_their_codes_and_filtered() {
    let app = dev_app().await;
    let idp = app.idp();
    let (pool, client) = pool_and_client(&idp).await;
    let alice = format!("{}@example.com", unique_name("alice-"));
    sign_up(&app, &client, &alice).await;

    // Another pool with its own templates: a code and an invitation.
    let other = idp
        .create_user_pool()
        .pool_name(unique_name("dev-templates-"))
        .auto_verified_attributes(VerifiedAttributeType::Email)
        .verification_message_template(
            VerificationMessageTemplateType::builder()
                .email_subject("Welcome")
                .email_message("Hi {username}! Your code: {####}. Bye 2024.")
                .build(),
        )
        .admin_create_user_config(
            AdminCreateUserConfigType::builder()
                .invite_message_template(
                    MessageTemplateType::builder()
                        .email_subject("Come in")
                        .email_message("User {username}, password {####} (temporary)")
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap()
        .id
        .unwrap();
    let other_client = idp
        .create_user_pool_client()
        .user_pool_id(&other)
        .client_name("app")
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap()
        .client_id
        .unwrap();
    let bob = format!("{}@example.com", unique_name("bob-"));
    sign_up(&app, &other_client, &bob).await;
    let carol = format!("{}@example.com", unique_name("carol-"));
    idp.admin_create_user()
        .user_pool_id(&other)
        .username("carol")
        .temporary_password("Tmp-Passw0rd#1")
        .user_attributes(attr("email", &carol))
        .desired_delivery_mediums(DeliveryMediumType::Email)
        .send()
        .await
        .expect("AdminCreateUser");

    let all = messages(&app, "").await;
    assert_eq!(all.len(), 3, "{all:?}");
    let recorded = app.mail();
    for (listed, sent) in all.iter().zip(&recorded) {
        assert_eq!(listed["channel"], "email");
        assert_eq!(listed["recipient"], sent.to.as_str());
        assert_eq!(listed["subject"], sent.subject.as_str());
        assert_eq!(listed["body"], sent.body.as_str());
        assert_eq!(listed["from"], sent.from.as_str());
        assert!(listed["created_ms"].is_i64());
        let code = listed["code"].as_str().expect("every message has a code");
        assert!(sent.body.contains(code), "{code} in {}", sent.body);
    }
    assert_eq!(all[0]["pool_id"], pool.as_str());
    assert_eq!(all[1]["pool_id"], other.as_str());
    assert_eq!(all[2]["code"], "Tmp-Passw0rd#1", "the temporary password");

    // Filters: recipient (any case), pool, channel; together they narrow.
    let to_bob = messages(&app, &format!("?recipient={}", bob.to_uppercase())).await;
    assert_eq!(to_bob.len(), 1);
    assert_eq!(to_bob[0]["recipient"], bob.as_str());
    assert_eq!(messages(&app, &format!("?pool_id={other}")).await.len(), 2);
    assert_eq!(
        messages(&app, &format!("?pool_id={other}&recipient={alice}"))
            .await
            .len(),
        0
    );
    assert_eq!(messages(&app, "?channel=email").await.len(), 3);
    assert!(messages(&app, "?channel=sms").await.is_empty());
    for bad in ["?to=someone", "?channel=pigeon"] {
        let response = get(&app, &format!("/_monban/messages{bad}")).await;
        assert_eq!(response.status, 400, "{bad}");
        assert_eq!(
            response.error_type().as_deref(),
            Some("InvalidParameterException")
        );
    }

    // The listed code confirms the sign-up.
    let code = latest_code(&app, &bob).await;
    confirm(&app, &other_client, &bob, &code).await;
}

#[tokio::test]
async fn text_messages_are_listed_with_their_codes() {
    const PHONE: &str = "+15555550199";
    let app = dev_app().await;
    let idp = app.idp();
    let (pool, client) = pool_and_client(&idp).await;
    idp.set_user_pool_mfa_config()
        .user_pool_id(&pool)
        .mfa_configuration(UserPoolMfaType::Optional)
        .sms_mfa_configuration(
            SmsMfaConfigType::builder()
                .sms_authentication_message("{####} is your sign-in code")
                .sms_configuration(
                    SmsConfigurationType::builder()
                        .sns_caller_arn("arn:aws:iam::000000000000:role/sns")
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .expect("SetUserPoolMfaConfig");
    idp.admin_create_user()
        .user_pool_id(&pool)
        .username("dana")
        .user_attributes(attr("phone_number", PHONE))
        .user_attributes(attr("phone_number_verified", "true"))
        .message_action(MessageActionType::Suppress)
        .send()
        .await
        .expect("AdminCreateUser");
    idp.admin_set_user_password()
        .user_pool_id(&pool)
        .username("dana")
        .password(PASSWORD)
        .permanent(true)
        .send()
        .await
        .expect("AdminSetUserPassword");
    idp.admin_set_user_mfa_preference()
        .user_pool_id(&pool)
        .username("dana")
        .sms_mfa_settings(
            SmsMfaSettingsType::builder()
                .enabled(true)
                .preferred_mfa(true)
                .build(),
        )
        .send()
        .await
        .expect("AdminSetUserMFAPreference");

    let public = app.unsigned_idp();
    let challenge = public
        .initiate_auth()
        .client_id(&client)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", "dana")
        .auth_parameters("PASSWORD", PASSWORD)
        .send()
        .await
        .expect("InitiateAuth");
    assert_eq!(challenge.challenge_name, Some(ChallengeNameType::SmsMfa));

    // An unencoded `+` in the query reads as a space: the filter takes the number either way.
    for query in [
        "?channel=sms&recipient=%2B15555550199",
        "?recipient=+15555550199",
    ] {
        let texts = messages(&app, query).await;
        assert_eq!(texts.len(), 1, "{query}: {texts:?}");
        assert_eq!(texts[0]["channel"], "sms");
        assert_eq!(texts[0]["recipient"], PHONE);
        assert_eq!(texts[0]["pool_id"], pool.as_str());
        assert_eq!(texts[0]["subject"], Value::Null);
    }
    assert!(messages(&app, "?channel=email").await.is_empty());
    let text = &messages(&app, "?channel=sms").await[0];
    let code = text["code"].as_str().expect("the code").to_owned();
    assert_eq!(text["body"], format!("{code} is your sign-in code"));

    let signed_in = public
        .respond_to_auth_challenge()
        .client_id(&client)
        .challenge_name(ChallengeNameType::SmsMfa)
        .session(challenge.session.unwrap())
        .challenge_responses("USERNAME", "dana")
        .challenge_responses("SMS_MFA_CODE", code)
        .send()
        .await
        .expect("SMS_MFA with the listed code");
    assert!(signed_in.authentication_result.is_some());
}

/// What a seeded server hands out for the same requests.
async fn seeded_ids(app: &TestApp) -> (String, String, String) {
    let idp = app.idp();
    let pool = idp
        .create_user_pool()
        .pool_name("snapshot")
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap()
        .id
        .unwrap();
    let client = idp
        .create_user_pool_client()
        .user_pool_id(&pool)
        .client_name("web")
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap()
        .client_id
        .unwrap();
    let user = idp
        .admin_create_user()
        .user_pool_id(&pool)
        .username("alice")
        .message_action(MessageActionType::Suppress)
        .send()
        .await
        .unwrap()
        .user
        .unwrap();
    let sub = user
        .attributes()
        .iter()
        .find(|a| a.name() == "sub")
        .and_then(|a| a.value())
        .unwrap()
        .to_owned();
    (pool, client, sub)
}

#[tokio::test]
async fn a_random_seed_gives_the_same_ids_again() {
    let seeded = DevOptions {
        random_seed: Some(42),
    };
    let one = TestApp::start_dev(seeded).await;
    let two = TestApp::start_dev(seeded).await;
    let first = seeded_ids(&one).await;
    assert_eq!(seeded_ids(&two).await, first, "same seed, same ids");
    assert!(first.0.starts_with("us-east-1_"), "{first:?}");

    // After a reset the sequence starts over.
    assert_eq!(post(&one, "/_monban/reset", json!({})).await.status, 200);
    assert_eq!(seeded_ids(&one).await, first);

    let other_seed = TestApp::start_dev(DevOptions {
        random_seed: Some(43),
    })
    .await;
    let unseeded = dev_app().await;
    for app in [&other_seed, &unseeded] {
        let ids = seeded_ids(app).await;
        assert_ne!(ids.0, first.0);
        assert_ne!(ids.1, first.1);
        assert_ne!(ids.2, first.2);
    }
}

/// The harness's own clock stays put; only the offset moves the server.
#[tokio::test]
async fn the_offset_adds_to_the_base_clock() {
    let app = dev_app().await;
    let base = app.clock().system_time();
    app.clock().advance(Duration::from_secs(10));
    let shown = move_clock(&app, json!({ "offset_ms": -HOUR_MS })).await;
    let expected = base + Duration::from_secs(10) - Duration::from_secs(3600);
    let expected_ms = expected
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_millis();
    assert_eq!(
        shown["now_ms"].as_i64().unwrap(),
        i64::try_from(expected_ms).unwrap()
    );
    assert_eq!(shown["offset_ms"], -HOUR_MS);
}
