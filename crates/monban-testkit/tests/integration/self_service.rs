//! Self-service with an access token: GetUser, UpdateUserAttributes, DeleteUserAttributes,
//! ChangePassword, DeleteUser, GetUserAttributeVerificationCode, VerifyUserAttribute —
//! client read/write permissions, email changes with and without "keep the original value
//! until verified", verification codes, and tokens that are refused.

use std::time::Duration;

use monban_testkit::idp::operation::create_user_pool::builders::CreateUserPoolFluentBuilder;
use monban_testkit::idp::operation::get_user_attribute_verification_code::GetUserAttributeVerificationCodeOutput;
use monban_testkit::idp::types::{
    AliasAttributeType, AttributeDataType, AuthFlowType, DeliveryMediumType, ExplicitAuthFlowsType,
    SchemaAttributeType, UserAttributeUpdateSettingsType, UsernameAttributeType,
    VerifiedAttributeType,
};
use monban_testkit::idp::Client;
use monban_testkit::{
    each_backend, expect_code, service_error, unique_name, ServiceError, TestApp,
};

use super::support::{attr, attr_value, create_user};

const PASSWORD: &str = "Correct-Horse-1";
const NEW_PASSWORD: &str = "Battery-Staple-2";

/// A pool created with `configure` applied to the request.
async fn pool(
    idp: &Client,
    configure: impl FnOnce(CreateUserPoolFluentBuilder) -> CreateUserPoolFluentBuilder,
) -> String {
    configure(idp.create_user_pool().pool_name(unique_name("self-")))
        .send()
        .await
        .expect("CreateUserPool")
        .user_pool
        .and_then(|p| p.id)
        .expect("pool id")
}

/// Email as a verified sign-in alias, sent a code when it changes.
fn email_alias(b: CreateUserPoolFluentBuilder) -> CreateUserPoolFluentBuilder {
    b.alias_attributes(AliasAttributeType::Email)
        .auto_verified_attributes(VerifiedAttributeType::Email)
}

/// As [`email_alias`], keeping the original email until a new one is verified.
fn keep_original(b: CreateUserPoolFluentBuilder) -> CreateUserPoolFluentBuilder {
    email_alias(b).user_attribute_update_settings(
        UserAttributeUpdateSettingsType::builder()
            .attributes_require_verification_before_update(VerifiedAttributeType::Email)
            .build(),
    )
}

/// A client that signs in with USER_PASSWORD_AUTH, with these attribute permissions.
async fn client(idp: &Client, pool: &str, read: &[&str], write: &[&str]) -> String {
    let mut req = idp
        .create_user_pool_client()
        .user_pool_id(pool)
        .client_name(unique_name("app-"))
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth);
    for name in read {
        req = req.read_attributes(*name);
    }
    for name in write {
        req = req.write_attributes(*name);
    }
    req.send()
        .await
        .expect("CreateUserPoolClient")
        .user_pool_client
        .and_then(|c| c.client_id)
        .expect("client id")
}

/// A confirmed user with [`PASSWORD`]; returns its username.
async fn user(idp: &Client, pool: &str, username: &str, attrs: &[(&str, &str)]) -> String {
    let username = create_user(idp, pool, username, attrs).await;
    idp.admin_set_user_password()
        .user_pool_id(pool)
        .username(&username)
        .password(PASSWORD)
        .permanent(true)
        .send()
        .await
        .expect("AdminSetUserPassword");
    username
}

/// Signs in with USER_PASSWORD_AUTH; the access token.
async fn sign_in(
    app: &TestApp,
    client: &str,
    name: &str,
    password: &str,
) -> Result<String, ServiceError> {
    let result = app
        .unsigned_idp()
        .initiate_auth()
        .client_id(client)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", name)
        .auth_parameters("PASSWORD", password)
        .send()
        .await;
    match result {
        Ok(out) => Ok(out
            .authentication_result
            .and_then(|r| r.access_token)
            .expect("InitiateAuth returns an access token")),
        Err(e) => Err(service_error::<(), _, _>(Err(e))),
    }
}

/// An access token of `name` (with [`PASSWORD`]), signed in through the SDK.
async fn token(app: &TestApp, client: &str, name: &str) -> String {
    sign_in(app, client, name, PASSWORD)
        .await
        .unwrap_or_else(|e| panic!("sign in as {name}: {e:?}"))
}

/// The attributes GetUser returns for `token`.
async fn attributes(app: &TestApp, token: &str) -> Vec<(String, String)> {
    let out = app
        .unsigned_idp()
        .get_user()
        .access_token(token)
        .send()
        .await
        .expect("GetUser");
    out.user_attributes()
        .iter()
        .map(|a| {
            (
                a.name().to_owned(),
                a.value().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

fn value<'a>(attrs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// The six-digit code of the last email sent to `to`.
fn last_code(app: &TestApp, to: &str) -> String {
    let mail = app.mailer().emails_to(to);
    let body = &mail
        .last()
        .unwrap_or_else(|| panic!("no mail to {to}"))
        .body;
    body.split(|c: char| !c.is_ascii_digit())
        .find(|run| run.len() == 6)
        .unwrap_or_else(|| panic!("no code in {body:?}"))
        .to_owned()
}

async fn update(
    app: &TestApp,
    token: &str,
    attrs: &[(&str, &str)],
) -> Result<Vec<(String, String)>, ServiceError> {
    let mut req = app
        .unsigned_idp()
        .update_user_attributes()
        .access_token(token);
    for (n, v) in attrs {
        req = req.user_attributes(attr(n, v));
    }
    match req.send().await {
        Ok(out) => Ok(out
            .code_delivery_details_list()
            .iter()
            .map(|d| {
                assert_eq!(d.delivery_medium(), Some(&DeliveryMediumType::Email));
                (
                    d.attribute_name().unwrap_or_default().to_owned(),
                    d.destination().unwrap_or_default().to_owned(),
                )
            })
            .collect()),
        Err(e) => Err(service_error::<(), _, _>(Err(e))),
    }
}

async fn verify(app: &TestApp, token: &str, code: &str) -> Result<(), ServiceError> {
    match app
        .unsigned_idp()
        .verify_user_attribute()
        .access_token(token)
        .attribute_name("email")
        .code(code)
        .send()
        .await
    {
        Ok(_) => Ok(()),
        Err(e) => Err(service_error::<(), _, _>(Err(e))),
    }
}

async fn request_code(
    app: &TestApp,
    token: &str,
    attribute: &str,
) -> Result<GetUserAttributeVerificationCodeOutput, ServiceError> {
    app.unsigned_idp()
        .get_user_attribute_verification_code()
        .access_token(token)
        .attribute_name(attribute)
        .send()
        .await
        .map_err(|e| service_error::<(), _, _>(Err(e)))
}

#[tokio::test]
async fn get_user_returns_what_the_client_may_read() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = pool(&idp, |b| {
            b.schema(
                SchemaAttributeType::builder()
                    .name("tier")
                    .attribute_data_type(AttributeDataType::String)
                    .mutable(true)
                    .build(),
            )
        })
        .await;
        let name = user(
            &idp,
            &pool,
            "alice",
            &[
                ("email", "alice@example.com"),
                ("email_verified", "true"),
                ("name", "Alice"),
                ("custom:tier", "gold"),
            ],
        )
        .await;

        // Default permissions: the standard attributes with their flags, no custom ones.
        let default_client = client(&idp, &pool, &[], &[]).await;
        let t = token(&app, &default_client, &name).await;
        let out = app
            .unsigned_idp()
            .get_user()
            .access_token(&t)
            .send()
            .await
            .unwrap();
        assert_eq!(out.username(), "alice");
        let attrs = out.user_attributes();
        assert_eq!(attrs[0].name(), "sub", "sub comes first");
        assert_eq!(attr_value(attrs, "email"), Some("alice@example.com"));
        assert_eq!(attr_value(attrs, "email_verified"), Some("true"));
        assert_eq!(attr_value(attrs, "name"), Some("Alice"));
        assert_eq!(attr_value(attrs, "custom:tier"), None);
        assert!(out.mfa_options().is_empty());
        assert!(out.user_mfa_setting_list().is_empty());

        // A client that names what it reads sees that and `sub`, nothing else.
        let narrow = client(&idp, &pool, &["email", "custom:tier"], &[]).await;
        let t = token(&app, &narrow, &name).await;
        let attrs = attributes(&app, &t).await;
        let mut names: Vec<&str> = attrs.iter().map(|(n, _)| n.as_str()).collect();
        names.sort_unstable();
        assert_eq!(names, vec!["custom:tier", "email", "sub"]);
        assert_eq!(value(&attrs, "custom:tier"), Some("gold"));
    })
    .await;
}

#[tokio::test]
async fn updates_respect_write_permissions_and_the_schema() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = pool(&idp, |b| {
            b.schema(
                SchemaAttributeType::builder()
                    .name("tier")
                    .attribute_data_type(AttributeDataType::String)
                    .mutable(true)
                    .build(),
            )
        })
        .await;
        let name = user(&idp, &pool, "bob", &[("name", "Bob")]).await;
        let narrow = client(&idp, &pool, &[], &["name"]).await;
        let t = token(&app, &narrow, &name).await;

        assert_eq!(
            update(&app, &t, &[("name", "Robert")]).await.unwrap(),
            vec![]
        );
        assert_eq!(value(&attributes(&app, &t).await, "name"), Some("Robert"));
        update(&app, &t, &[("name", "Bobby"), ("family_name", "Builder")])
            .await
            .unwrap_err()
            .assert_code("NotAuthorizedException")
            .assert_message_contains("A client attempted to write unauthorized attribute");
        assert_eq!(
            value(&attributes(&app, &t).await, "name"),
            Some("Robert"),
            "a refused request changes nothing"
        );

        // Default write permissions: standard attributes, not the verification flags and
        // not custom attributes.
        let default_client = client(&idp, &pool, &[], &[]).await;
        let t = token(&app, &default_client, &name).await;
        update(&app, &t, &[("family_name", "Builder")])
            .await
            .unwrap();
        for denied in [("email_verified", "true"), ("custom:tier", "gold")] {
            update(&app, &t, &[denied])
                .await
                .unwrap_err()
                .assert_code("NotAuthorizedException");
        }
        let wide = client(&idp, &pool, &[], &["custom:tier", "phone_number"]).await;
        let t = token(&app, &wide, &name).await;
        update(&app, &t, &[("custom:tier", "gold")]).await.unwrap();
        update(&app, &t, &[("phone_number", "555-0100")])
            .await
            .unwrap_err()
            .assert_code("InvalidParameterException")
            .assert_message_contains("Invalid phone number format.");
        update(&app, &t, &[("custom:nope", "x")])
            .await
            .unwrap_err()
            .assert_code("InvalidParameterException")
            .assert_message_contains("Attribute does not exist in the schema.");
        update(&app, &t, &[("sub", "x")])
            .await
            .unwrap_err()
            .assert_code("InvalidParameterException");
        // A blank value deletes.
        update(&app, &t, &[("custom:tier", "")]).await.unwrap();
        let admin = idp
            .admin_get_user()
            .user_pool_id(&pool)
            .username(&name)
            .send()
            .await
            .unwrap();
        assert_eq!(attr_value(admin.user_attributes(), "custom:tier"), None);
        assert_eq!(
            attr_value(admin.user_attributes(), "family_name"),
            Some("Builder")
        );
    })
    .await;
}

#[tokio::test]
async fn an_email_change_applies_at_once_unverified_without_keep_original() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = pool(&idp, email_alias).await;
        let c = client(&idp, &pool, &[], &[]).await;
        let name = user(
            &idp,
            &pool,
            "carol",
            &[("email", "old@example.com"), ("email_verified", "true")],
        )
        .await;
        sign_in(&app, &c, "old@example.com", PASSWORD)
            .await
            .unwrap();
        let t = token(&app, &c, &name).await;

        let sent = update(&app, &t, &[("email", "new@example.net")])
            .await
            .unwrap();
        assert_eq!(sent, vec![("email".to_owned(), "n***@e***".to_owned())]);
        let attrs = attributes(&app, &t).await;
        assert_eq!(value(&attrs, "email"), Some("new@example.net"));
        assert_eq!(value(&attrs, "email_verified"), Some("false"));
        // Neither address signs in: the old one is gone, the new one is unverified.
        for address in ["old@example.com", "new@example.net"] {
            let err = sign_in(&app, &c, address, PASSWORD).await.unwrap_err();
            assert!(
                err.code == "NotAuthorizedException" || err.code == "UserNotFoundException",
                "{address}: {err:?}"
            );
        }
        sign_in(&app, &c, &name, PASSWORD).await.unwrap();
        // Nor can the unverified one reset the password.
        let reset = app
            .unsigned_idp()
            .forgot_password()
            .client_id(&c)
            .username(&name)
            .send()
            .await;
        expect_code(reset, "InvalidParameterException");

        verify(&app, &t, &last_code(&app, "new@example.net"))
            .await
            .unwrap();
        let attrs = attributes(&app, &t).await;
        assert_eq!(value(&attrs, "email_verified"), Some("true"));
        sign_in(&app, &c, "new@example.net", PASSWORD)
            .await
            .unwrap();
    })
    .await;
}

#[tokio::test]
async fn with_keep_original_the_old_email_stays_until_the_new_one_is_verified() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = pool(&idp, keep_original).await;
        let c = client(&idp, &pool, &[], &[]).await;
        let name = user(
            &idp,
            &pool,
            "dave",
            &[("email", "old@example.com"), ("email_verified", "true")],
        )
        .await;
        let t = token(&app, &c, &name).await;

        let sent = update(&app, &t, &[("email", "new@example.net"), ("name", "Dave")])
            .await
            .unwrap();
        assert_eq!(sent, vec![("email".to_owned(), "n***@e***".to_owned())]);
        assert_eq!(app.mailer().emails_to("new@example.net").len(), 1);
        assert!(app.mailer().emails_to("old@example.com").is_empty());
        let attrs = attributes(&app, &t).await;
        assert_eq!(value(&attrs, "email"), Some("old@example.com"));
        assert_eq!(value(&attrs, "email_verified"), Some("true"));
        assert_eq!(
            value(&attrs, "name"),
            Some("Dave"),
            "other attributes apply"
        );
        sign_in(&app, &c, "old@example.com", PASSWORD)
            .await
            .unwrap();
        sign_in(&app, &c, "new@example.net", PASSWORD)
            .await
            .unwrap_err();
        // A password reset still goes to the original address.
        let reset = app
            .unsigned_idp()
            .forgot_password()
            .client_id(&c)
            .username("old@example.com")
            .send()
            .await
            .expect("ForgotPassword");
        let details = reset.code_delivery_details().expect("delivery details");
        assert_eq!(details.destination(), Some("o***@e***"));
        assert_eq!(app.mailer().emails_to("old@example.com").len(), 1);

        // Asking again resends to the pending address.
        let again = request_code(&app, &t, "email").await.unwrap();
        assert_eq!(
            again.code_delivery_details().and_then(|d| d.destination()),
            Some("n***@e***")
        );
        assert_eq!(app.mailer().emails_to("new@example.net").len(), 2);

        verify(&app, &t, &last_code(&app, "new@example.net"))
            .await
            .unwrap();
        let attrs = attributes(&app, &t).await;
        assert_eq!(value(&attrs, "email"), Some("new@example.net"));
        assert_eq!(value(&attrs, "email_verified"), Some("true"));
        sign_in(&app, &c, "new@example.net", PASSWORD)
            .await
            .unwrap();
        sign_in(&app, &c, "old@example.com", PASSWORD)
            .await
            .unwrap_err();
    })
    .await;
}

#[tokio::test]
async fn verification_codes_wrong_expired_right_and_once() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = pool(&idp, email_alias).await;
        let c = client(&idp, &pool, &[], &[]).await;
        let name = user(&idp, &pool, "erin", &[("email", "erin@example.com")]).await;
        let t = token(&app, &c, &name).await;
        // No code yet.
        verify(&app, &t, "123456")
            .await
            .unwrap_err()
            .assert_code("ExpiredCodeException");
        let out = request_code(&app, &t, "email").await.unwrap();
        let details = out.code_delivery_details().unwrap();
        assert_eq!(details.attribute_name(), Some("email"));
        assert_eq!(details.delivery_medium(), Some(&DeliveryMediumType::Email));
        assert_eq!(details.destination(), Some("e***@e***"));
        let code = last_code(&app, "erin@example.com");
        let wrong = if code == "000000" { "111111" } else { "000000" };
        verify(&app, &t, wrong)
            .await
            .unwrap_err()
            .assert_code("CodeMismatchException");

        // Expired after 24 hours (a fresh token: the first one has expired too).
        app.clock().advance(Duration::from_secs(24 * 3600 + 1));
        let t = token(&app, &c, &name).await;
        verify(&app, &t, &code)
            .await
            .unwrap_err()
            .assert_code("ExpiredCodeException")
            .assert_message_contains("Invalid code provided, please request a code again.");

        request_code(&app, &t, "email").await.unwrap();
        let code = last_code(&app, "erin@example.com");
        verify(&app, &t, &code).await.unwrap();
        assert_eq!(
            value(&attributes(&app, &t).await, "email_verified"),
            Some("true")
        );
        sign_in(&app, &c, "erin@example.com", PASSWORD)
            .await
            .unwrap();
        verify(&app, &t, &code)
            .await
            .unwrap_err()
            .assert_code("ExpiredCodeException");

        // Only email and phone_number are verified; monban sends no SMS.
        request_code(&app, &t, "name")
            .await
            .unwrap_err()
            .assert_code("InvalidParameterException");
        update(&app, &t, &[("phone_number", "+15555550100")])
            .await
            .unwrap();
        request_code(&app, &t, "phone_number")
            .await
            .unwrap_err()
            .assert_code("CodeDeliveryFailureException");
    })
    .await;
}

#[tokio::test]
async fn a_verified_alias_moves_to_the_last_verifier() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = pool(&idp, email_alias).await;
        let c = client(&idp, &pool, &[], &[]).await;
        let first = user(
            &idp,
            &pool,
            "frank",
            &[("email", "shared@example.com"), ("email_verified", "true")],
        )
        .await;
        let second = user(&idp, &pool, "grace", &[]).await;
        let t = token(&app, &c, &second).await;
        update(&app, &t, &[("email", "shared@example.com")])
            .await
            .unwrap();
        verify(&app, &t, &last_code(&app, "shared@example.com"))
            .await
            .unwrap();

        let t2 = sign_in(&app, &c, "shared@example.com", PASSWORD)
            .await
            .unwrap();
        assert_eq!(
            value(&attributes(&app, &t2).await, "sub"),
            value(&attributes(&app, &t).await, "sub")
        );
        let previous = idp
            .admin_get_user()
            .user_pool_id(&pool)
            .username(&first)
            .send()
            .await
            .unwrap();
        assert_eq!(
            attr_value(previous.user_attributes(), "email_verified"),
            Some("false")
        );
    })
    .await;
}

#[tokio::test]
async fn an_email_username_taken_by_another_user_is_refused() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = pool(&idp, |b| {
            keep_original(b.username_attributes(UsernameAttributeType::Email))
                .set_alias_attributes(None)
        })
        .await;
        let c = client(&idp, &pool, &[], &[]).await;
        user(
            &idp,
            &pool,
            "taken@example.com",
            &[("email_verified", "true")],
        )
        .await;
        user(
            &idp,
            &pool,
            "mine@example.com",
            &[("email_verified", "true")],
        )
        .await;
        let t = token(&app, &c, "mine@example.com").await;
        update(&app, &t, &[("email", "taken@example.com")])
            .await
            .unwrap_err()
            .assert_code("AliasExistsException");
        // A free address waits for verification, then becomes the sign-in name.
        update(&app, &t, &[("email", "next@example.com")])
            .await
            .unwrap();
        sign_in(&app, &c, "mine@example.com", PASSWORD)
            .await
            .unwrap();
        verify(&app, &t, &last_code(&app, "next@example.com"))
            .await
            .unwrap();
        sign_in(&app, &c, "next@example.com", PASSWORD)
            .await
            .unwrap();
        sign_in(&app, &c, "mine@example.com", PASSWORD)
            .await
            .unwrap_err();
    })
    .await;
}

#[tokio::test]
async fn change_password_then_sign_in_with_the_new_one() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = pool(&idp, |b| b).await;
        let c = client(&idp, &pool, &[], &[]).await;
        let name = user(&idp, &pool, "heidi", &[]).await;
        let t = token(&app, &c, &name).await;
        let change = |previous: &str, proposed: &str| {
            app.unsigned_idp()
                .change_password()
                .access_token(&t)
                .previous_password(previous)
                .proposed_password(proposed)
                .send()
        };

        let err = service_error(change("Wrong-Password-9", NEW_PASSWORD).await);
        assert_eq!(err.code, "NotAuthorizedException");
        assert_eq!(err.message, "Incorrect username or password.");
        let err = service_error(change(PASSWORD, "weakpassword").await);
        assert_eq!(err.code, "InvalidPasswordException");
        assert!(
            err.message
                .starts_with("Password did not conform with policy"),
            "{err:?}"
        );

        change(PASSWORD, NEW_PASSWORD).await.unwrap();
        sign_in(&app, &c, &name, NEW_PASSWORD).await.unwrap();
        let err = sign_in(&app, &c, &name, PASSWORD).await.unwrap_err();
        assert_eq!(err.code, "NotAuthorizedException");
        // Other sessions are not signed out.
        attributes(&app, &t).await;
    })
    .await;
}

#[tokio::test]
async fn wrong_previous_passwords_lock_change_password_for_a_while() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = pool(&idp, |b| b).await;
        let c = client(&idp, &pool, &[], &[]).await;
        let name = user(&idp, &pool, "kim", &[]).await;
        let t = token(&app, &c, &name).await;
        let change = |previous: &'static str| {
            app.unsigned_idp()
                .change_password()
                .access_token(&t)
                .previous_password(previous)
                .proposed_password(NEW_PASSWORD)
                .send()
        };
        for _ in 0..5 {
            expect_code(change("Wrong-Password-9").await, "NotAuthorizedException");
        }
        let err = service_error(change(PASSWORD).await);
        assert_eq!(err.code, "LimitExceededException");
        assert_eq!(
            err.message,
            "Attempt limit exceeded, please try after some time."
        );
        app.clock().advance(Duration::from_secs(2));
        change(PASSWORD).await.unwrap();
        sign_in(&app, &c, &name, NEW_PASSWORD).await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn delete_user_attributes_refuses_required_and_unwritable_ones() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = pool(&idp, |b| {
            b.schema(
                SchemaAttributeType::builder()
                    .name("family_name")
                    .attribute_data_type(AttributeDataType::String)
                    .required(true)
                    .mutable(true)
                    .build(),
            )
        })
        .await;
        let c = client(&idp, &pool, &[], &["name", "family_name"]).await;
        let name = user(
            &idp,
            &pool,
            "ivan",
            &[
                ("family_name", "Ivanov"),
                ("name", "Ivan"),
                ("nickname", "Vanya"),
            ],
        )
        .await;
        let t = token(&app, &c, &name).await;
        let delete = |names: &[&str]| {
            let mut req = app.unsigned_idp().delete_user_attributes().access_token(&t);
            for n in names {
                req = req.user_attribute_names(*n);
            }
            req.send()
        };
        let err = service_error(delete(&["family_name"]).await);
        assert_eq!(err.code, "InvalidParameterException");
        assert_eq!(
            err.message,
            "user.family_name: Required attribute cannot be deleted."
        );
        let err = service_error(delete(&["nickname"]).await);
        assert_eq!(err.code, "NotAuthorizedException");
        delete(&["name"]).await.unwrap();
        let attrs = attributes(&app, &t).await;
        assert_eq!(value(&attrs, "name"), None);
        assert_eq!(value(&attrs, "nickname"), Some("Vanya"));
        assert_eq!(value(&attrs, "family_name"), Some("Ivanov"));
    })
    .await;
}

#[tokio::test]
async fn delete_user_removes_the_user_and_its_tokens() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = pool(&idp, |b| b).await;
        let c = client(&idp, &pool, &[], &[]).await;
        let name = user(&idp, &pool, "judy", &[]).await;
        let t = token(&app, &c, &name).await;
        let other = token(&app, &c, &name).await;
        app.unsigned_idp()
            .delete_user()
            .access_token(&t)
            .send()
            .await
            .unwrap();

        for token in [&t, &other] {
            let err = service_error(
                app.unsigned_idp()
                    .get_user()
                    .access_token(token)
                    .send()
                    .await,
            );
            assert_eq!(err.code, "NotAuthorizedException");
            assert_eq!(err.message, "Access Token has been revoked");
        }
        expect_code(
            idp.admin_get_user()
                .user_pool_id(&pool)
                .username(&name)
                .send()
                .await,
            "UserNotFoundException",
        );
        // The name is free again.
        user(&idp, &pool, "judy", &[]).await;
    })
    .await;
}

/// Every self-service operation, called with `token`: each must fail.
async fn every_operation(app: &TestApp, token: &str) -> Vec<(&'static str, ServiceError)> {
    let idp = app.unsigned_idp();
    vec![
        (
            "GetUser",
            service_error(idp.get_user().access_token(token).send().await),
        ),
        (
            "UpdateUserAttributes",
            service_error(
                idp.update_user_attributes()
                    .access_token(token)
                    .user_attributes(attr("name", "x"))
                    .send()
                    .await,
            ),
        ),
        (
            "DeleteUserAttributes",
            service_error(
                idp.delete_user_attributes()
                    .access_token(token)
                    .user_attribute_names("name")
                    .send()
                    .await,
            ),
        ),
        (
            "ChangePassword",
            service_error(
                idp.change_password()
                    .access_token(token)
                    .previous_password(PASSWORD)
                    .proposed_password(NEW_PASSWORD)
                    .send()
                    .await,
            ),
        ),
        (
            "GetUserAttributeVerificationCode",
            service_error(
                idp.get_user_attribute_verification_code()
                    .access_token(token)
                    .attribute_name("email")
                    .send()
                    .await,
            ),
        ),
        (
            "VerifyUserAttribute",
            service_error(
                idp.verify_user_attribute()
                    .access_token(token)
                    .attribute_name("email")
                    .code("123456")
                    .send()
                    .await,
            ),
        ),
        (
            "DeleteUser",
            service_error(idp.delete_user().access_token(token).send().await),
        ),
    ]
}

#[tokio::test]
async fn revoked_expired_and_bad_tokens_are_refused_by_every_operation() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = pool(&idp, |b| b).await;
        let c = client(&idp, &pool, &[], &[]).await;
        let name = user(&idp, &pool, "mallory", &[("email", "m@example.com")]).await;

        let check = |refusals: Vec<(&'static str, ServiceError)>, message: &'static str| {
            for (op, err) in refusals {
                assert_eq!(err.code, "NotAuthorizedException", "{op}: {err:?}");
                assert_eq!(err.message, message, "{op}");
            }
        };

        let revoked = token(&app, &c, &name).await;
        idp.admin_user_global_sign_out()
            .user_pool_id(&pool)
            .username(&name)
            .send()
            .await
            .expect("AdminUserGlobalSignOut");
        check(
            every_operation(&app, &revoked).await,
            "Access Token has been revoked",
        );

        let expiring = token(&app, &c, &name).await;
        app.clock().advance(Duration::from_secs(3600 + 1));
        check(
            every_operation(&app, &expiring).await,
            "Access Token has expired",
        );

        check(
            every_operation(&app, "not-a-token").await,
            "Invalid Access Token",
        );

        // Disabled users' tokens die too. (A new admin client per signed call from here:
        // the SDK corrects its signing time by the skew it sees in the server's `Date`
        // header, which follows the wall clock, not the test's.)
        let live = token(&app, &c, &name).await;
        app.idp()
            .admin_disable_user()
            .user_pool_id(&pool)
            .username(&name)
            .send()
            .await
            .unwrap();
        let err = service_error(
            app.unsigned_idp()
                .get_user()
                .access_token(&live)
                .send()
                .await,
        );
        assert_eq!(err.code, "NotAuthorizedException");
        // Nothing was changed by the refused calls.
        let admin = app
            .idp()
            .admin_get_user()
            .user_pool_id(&pool)
            .username(&name)
            .send()
            .await
            .unwrap();
        assert_eq!(
            attr_value(admin.user_attributes(), "email"),
            Some("m@example.com")
        );
    })
    .await;
}
