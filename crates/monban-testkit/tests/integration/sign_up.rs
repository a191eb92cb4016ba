//! Self-service sign-up and account recovery through the unsigned SDK client: SignUp,
//! ConfirmSignUp, ResendConfirmationCode, ForgotPassword, ConfirmForgotPassword, with the
//! codes read from the mail the server sent; PreventUserExistenceErrors both ways;
//! clients with a secret.

use std::time::Duration;

use monban_core::auth::secret_hash::secret_hash;
use monban_testkit::idp::types::{
    AccountRecoverySettingType, AdminCreateUserConfigType, AliasAttributeType, AttributeType,
    AuthFlowType, DeliveryMediumType, ExplicitAuthFlowsType, PreventUserExistenceErrorTypes,
    RecoveryOptionNameType, RecoveryOptionType, SchemaAttributeType, UserPoolClientType,
    UserStatusType, UsernameAttributeType, VerificationMessageTemplateType, VerifiedAttributeType,
};
use monban_testkit::idp::Client;
use monban_testkit::{each_backend, expect_code, service_error, unique_name, TestApp};

use super::support::{attr, attr_value};

const PASSWORD: &str = "Passw0rd!";
const NEW_PASSWORD: &str = "N3w-Passw0rd";

/// A pool that verifies emails on sign-up and recovers accounts by verified email.
async fn email_pool(idp: &Client) -> String {
    idp.create_user_pool()
        .pool_name(unique_name("signup-"))
        .auto_verified_attributes(VerifiedAttributeType::Email)
        .account_recovery_setting(recovery(&[RecoveryOptionNameType::VerifiedEmail]))
        .send()
        .await
        .expect("CreateUserPool")
        .user_pool
        .unwrap()
        .id
        .unwrap()
}

fn recovery(names: &[RecoveryOptionNameType]) -> AccountRecoverySettingType {
    let mut setting = AccountRecoverySettingType::builder();
    for (i, name) in names.iter().enumerate() {
        setting = setting.recovery_mechanisms(
            RecoveryOptionType::builder()
                .priority(i32::try_from(i).unwrap() + 1)
                .name(name.clone())
                .build()
                .unwrap(),
        );
    }
    setting.build()
}

/// An app client allowed to sign in with a password, hiding user existence or not.
async fn client(idp: &Client, pool: &str, hide: bool, secret: bool) -> UserPoolClientType {
    idp.create_user_pool_client()
        .user_pool_id(pool)
        .client_name(unique_name("app-"))
        .generate_secret(secret)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .prevent_user_existence_errors(if hide {
            PreventUserExistenceErrorTypes::Enabled
        } else {
            PreventUserExistenceErrorTypes::Legacy
        })
        .send()
        .await
        .expect("CreateUserPoolClient")
        .user_pool_client
        .unwrap()
}

async fn client_id(idp: &Client, pool: &str, hide: bool) -> String {
    client(idp, pool, hide, false)
        .await
        .client_id()
        .unwrap()
        .to_owned()
}

/// The six-digit code in the latest mail to `to`.
pub(super) fn last_code(app: &TestApp, to: &str) -> String {
    let mail = app.mailer().emails_to(to);
    let last = mail
        .last()
        .unwrap_or_else(|| panic!("no mail to {to}: {:?}", app.mail()));
    last.body
        .split(|c: char| !c.is_ascii_digit())
        .find(|run| run.len() == 6)
        .unwrap_or_else(|| panic!("no code in {:?}", last.body))
        .to_owned()
}

/// A six-digit code different from `code`.
fn other_code(code: &str) -> String {
    let n: u32 = code.parse().unwrap();
    format!("{:06}", (n + 1) % 1_000_000)
}

async fn sign_up(app: &TestApp, client: &str, username: &str, email: &str) -> String {
    app.unsigned_idp()
        .sign_up()
        .client_id(client)
        .username(username)
        .password(PASSWORD)
        .user_attributes(attr("email", email))
        .send()
        .await
        .unwrap_or_else(|e| panic!("SignUp {username}: {e:?}"))
        .user_sub()
        .to_owned()
}

async fn confirm(app: &TestApp, client: &str, username: &str, code: &str) {
    app.unsigned_idp()
        .confirm_sign_up()
        .client_id(client)
        .username(username)
        .confirmation_code(code)
        .send()
        .await
        .unwrap_or_else(|e| panic!("ConfirmSignUp {username}: {e:?}"));
}

/// Signs up and confirms a user; returns its sub.
async fn confirmed_user(app: &TestApp, client: &str, username: &str, email: &str) -> String {
    let sub = sign_up(app, client, username, email).await;
    confirm(app, client, username, &last_code(app, email)).await;
    sub
}

struct Fetched {
    status: Option<UserStatusType>,
    attributes: Vec<AttributeType>,
}

async fn get_user(idp: &Client, pool: &str, username: &str) -> Fetched {
    let out = idp
        .admin_get_user()
        .user_pool_id(pool)
        .username(username)
        .send()
        .await
        .unwrap_or_else(|e| panic!("AdminGetUser {username}: {e:?}"));
    Fetched {
        status: out.user_status().cloned(),
        attributes: out.user_attributes().to_vec(),
    }
}

async fn sign_in(app: &TestApp, client: &str, username: &str, password: &str) -> bool {
    app.unsigned_idp()
        .initiate_auth()
        .client_id(client)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", username)
        .auth_parameters("PASSWORD", password)
        .send()
        .await
        .map(|out| out.authentication_result().is_some())
        .unwrap_or(false)
}

#[tokio::test]
async fn sign_up_confirm_and_sign_in() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = email_pool(&idp).await;
        let client = client_id(&idp, &pool, false).await;
        let out = app
            .unsigned_idp()
            .sign_up()
            .client_id(&client)
            .username("jane")
            .password(PASSWORD)
            .user_attributes(attr("email", "jane@example.com"))
            .user_attributes(attr("given_name", "Jane"))
            .validation_data(attr("source", "test"))
            .client_metadata("k", "v")
            .send()
            .await
            .expect("SignUp");
        assert!(!out.user_confirmed());
        assert_eq!(out.user_sub().len(), 36);
        let details = out.code_delivery_details().expect("CodeDeliveryDetails");
        assert_eq!(details.destination(), Some("j***@e***"));
        assert_eq!(details.delivery_medium(), Some(&DeliveryMediumType::Email));
        assert_eq!(details.attribute_name(), Some("email"));

        let mail = app.mailer().emails_to("jane@example.com");
        assert_eq!(mail.len(), 1);
        assert_eq!(mail[0].subject, "Your verification code");
        let code = last_code(&app, "jane@example.com");
        assert_eq!(mail[0].body, format!("Your verification code is {code}. "));

        let user = get_user(&idp, &pool, "jane").await;
        assert_eq!(user.status, Some(UserStatusType::Unconfirmed));
        assert_eq!(attr_value(&user.attributes, "sub"), Some(out.user_sub()));
        assert_eq!(attr_value(&user.attributes, "email_verified"), None);
        assert!(!sign_in(&app, &client, "jane", PASSWORD).await);

        let err = expect_code(
            app.unsigned_idp()
                .confirm_sign_up()
                .client_id(&client)
                .username("jane")
                .confirmation_code(other_code(&code))
                .send()
                .await,
            "CodeMismatchException",
        );
        assert_eq!(
            err.message,
            "Invalid verification code provided, please try again."
        );
        confirm(&app, &client, "jane", &code).await;
        let user = get_user(&idp, &pool, "jane").await;
        assert_eq!(user.status, Some(UserStatusType::Confirmed));
        assert_eq!(attr_value(&user.attributes, "email_verified"), Some("true"));
        assert_eq!(attr_value(&user.attributes, "given_name"), Some("Jane"));

        let err = expect_code(
            app.unsigned_idp()
                .confirm_sign_up()
                .client_id(&client)
                .username("jane")
                .confirmation_code(&code)
                .send()
                .await,
            "NotAuthorizedException",
        );
        assert_eq!(
            err.message,
            "User cannot be confirmed. Current status is CONFIRMED"
        );
        assert!(sign_in(&app, &client, "jane", PASSWORD).await);
        assert!(!sign_in(&app, &client, "jane", "Wr0ng-Password").await);
    })
    .await;
}

#[tokio::test]
async fn sign_up_checks_the_pool_s_rules() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = email_pool(&idp).await;
        let client = client_id(&idp, &pool, false).await;
        let public = app.unsigned_idp();
        let attempt = |username: &str, password: &str, attributes: Vec<AttributeType>| {
            public
                .sign_up()
                .client_id(&client)
                .username(username)
                .password(password)
                .set_user_attributes(Some(attributes))
                .send()
        };
        let err = expect_code(
            attempt("weak", "password", vec![]).await,
            "InvalidPasswordException",
        );
        assert!(err
            .message
            .starts_with("Password did not conform with policy"));
        expect_code(
            attempt("bad", PASSWORD, vec![attr("email", "not-an-email")]).await,
            "InvalidParameterException",
        );
        expect_code(
            attempt("bad", PASSWORD, vec![attr("custom:nope", "x")]).await,
            "InvalidParameterException",
        );
        // The verification flags are the pool's to set, not the client's.
        let err = expect_code(
            attempt(
                "sneaky",
                PASSWORD,
                vec![
                    attr("email", "s@example.com"),
                    attr("email_verified", "true"),
                ],
            )
            .await,
            "NotAuthorizedException",
        );
        assert_eq!(
            err.message,
            "A client attempted to write unauthorized attribute"
        );
        let err = expect_code(
            public
                .sign_up()
                .client_id("nosuchclient0000000000000a")
                .username("x")
                .password(PASSWORD)
                .send()
                .await,
            "ResourceNotFoundException",
        );
        assert!(err.message.contains("nosuchclient"));

        sign_up(&app, &client, "kim", "kim@example.com").await;
        let err = expect_code(
            attempt("kim", PASSWORD, vec![attr("email", "kim2@example.com")]).await,
            "UsernameExistsException",
        );
        assert_eq!(err.message, "User already exists");
        // Nothing was left behind by the refused attempts.
        for name in ["weak", "bad", "sneaky"] {
            expect_code(
                idp.admin_get_user()
                    .user_pool_id(&pool)
                    .username(name)
                    .send()
                    .await,
                "UserNotFoundException",
            );
        }
    })
    .await;
}

#[tokio::test]
async fn required_attributes_and_admin_only_pools() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = idp
            .create_user_pool()
            .pool_name(unique_name("required-"))
            .schema(
                SchemaAttributeType::builder()
                    .name("family_name")
                    .required(true)
                    .mutable(true)
                    .build(),
            )
            .send()
            .await
            .unwrap()
            .user_pool
            .unwrap()
            .id
            .unwrap();
        let client = client_id(&idp, &pool, false).await;
        let err = expect_code(
            app.unsigned_idp()
                .sign_up()
                .client_id(&client)
                .username("lee")
                .password(PASSWORD)
                .send()
                .await,
            "InvalidParameterException",
        );
        assert!(
            err.message
                .contains("family_name: The attribute is required"),
            "{}",
            err.message
        );
        // No auto-verified attribute: the user waits unconfirmed, and no code goes out.
        let out = app
            .unsigned_idp()
            .sign_up()
            .client_id(&client)
            .username("lee")
            .password(PASSWORD)
            .user_attributes(attr("family_name", "Lee"))
            .user_attributes(attr("email", "lee@example.com"))
            .send()
            .await
            .expect("SignUp");
        assert!(!out.user_confirmed());
        assert!(out.code_delivery_details().is_none());
        assert!(app.mail().is_empty());
        assert_eq!(
            get_user(&idp, &pool, "lee").await.status,
            Some(UserStatusType::Unconfirmed)
        );
        expect_code(
            app.unsigned_idp()
                .resend_confirmation_code()
                .client_id(&client)
                .username("lee")
                .send()
                .await,
            "InvalidParameterException",
        );

        let closed = idp
            .create_user_pool()
            .pool_name(unique_name("closed-"))
            .admin_create_user_config(
                AdminCreateUserConfigType::builder()
                    .allow_admin_create_user_only(true)
                    .build(),
            )
            .send()
            .await
            .unwrap()
            .user_pool
            .unwrap()
            .id
            .unwrap();
        let closed_client = client_id(&idp, &closed, false).await;
        let err = expect_code(
            app.unsigned_idp()
                .sign_up()
                .client_id(&closed_client)
                .username("lee")
                .password(PASSWORD)
                .send()
                .await,
            "NotAuthorizedException",
        );
        assert_eq!(err.message, "SignUp is not permitted for this user pool");
    })
    .await;
}

#[tokio::test]
async fn email_as_username() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = idp
            .create_user_pool()
            .pool_name(unique_name("by-email-"))
            .username_attributes(UsernameAttributeType::Email)
            .auto_verified_attributes(VerifiedAttributeType::Email)
            .send()
            .await
            .unwrap()
            .user_pool
            .unwrap()
            .id
            .unwrap();
        let client = client_id(&idp, &pool, false).await;
        let err = expect_code(
            app.unsigned_idp()
                .sign_up()
                .client_id(&client)
                .username("ana")
                .password(PASSWORD)
                .send()
                .await,
            "InvalidParameterException",
        );
        assert_eq!(err.message, "Username should be an email.");
        let out = app
            .unsigned_idp()
            .sign_up()
            .client_id(&client)
            .username("ana@example.com")
            .password(PASSWORD)
            .send()
            .await
            .expect("SignUp");
        assert_eq!(
            out.code_delivery_details().unwrap().destination(),
            Some("a***@e***")
        );
        let fetched = get_user(&idp, &pool, "ana@example.com").await;
        assert_eq!(
            attr_value(&fetched.attributes, "email"),
            Some("ana@example.com")
        );
        let err = expect_code(
            app.unsigned_idp()
                .sign_up()
                .client_id(&client)
                .username("ana@example.com")
                .password(PASSWORD)
                .send()
                .await,
            "UsernameExistsException",
        );
        assert_eq!(
            err.message,
            "An account with the given email already exists."
        );
        confirm(
            &app,
            &client,
            "ana@example.com",
            &last_code(&app, "ana@example.com"),
        )
        .await;
        let fetched = get_user(&idp, &pool, out.user_sub()).await;
        assert_eq!(fetched.status, Some(UserStatusType::Confirmed));
        assert!(sign_in(&app, &client, "ana@example.com", PASSWORD).await);
    })
    .await;
}

#[tokio::test]
async fn concurrent_sign_ups_of_one_name_make_one_user() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = email_pool(&idp).await;
        let client = client_id(&idp, &pool, false).await;
        let tasks: Vec<_> = (0..8)
            .map(|i| {
                let public = app.unsigned_idp();
                let client = client.clone();
                tokio::spawn(async move {
                    public
                        .sign_up()
                        .client_id(client)
                        .username("sam")
                        .password(PASSWORD)
                        .user_attributes(attr("email", &format!("sam{i}@example.com")))
                        .send()
                        .await
                })
            })
            .collect();
        let mut created = 0;
        for task in tasks {
            match task.await.unwrap() {
                Ok(_) => created += 1,
                Err(e) => {
                    service_error::<(), _, _>(Err(e)).assert_code("UsernameExistsException");
                }
            }
        }
        assert_eq!(created, 1);
        let listed = idp.list_users().user_pool_id(&pool).send().await.unwrap();
        assert_eq!(listed.users().len(), 1);
    })
    .await;
}

#[tokio::test]
async fn resend_replaces_the_code() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = email_pool(&idp).await;
        let client = client_id(&idp, &pool, false).await;
        sign_up(&app, &client, "ray", "ray@example.com").await;
        let first = last_code(&app, "ray@example.com");
        let out = app
            .unsigned_idp()
            .resend_confirmation_code()
            .client_id(&client)
            .username("ray")
            .send()
            .await
            .expect("ResendConfirmationCode");
        let details = out.code_delivery_details().unwrap();
        assert_eq!(details.destination(), Some("r***@e***"));
        assert_eq!(details.attribute_name(), Some("email"));
        assert_eq!(app.mailer().emails_to("ray@example.com").len(), 2);
        let second = last_code(&app, "ray@example.com");
        if first != second {
            expect_code(
                app.unsigned_idp()
                    .confirm_sign_up()
                    .client_id(&client)
                    .username("ray")
                    .confirmation_code(&first)
                    .send()
                    .await,
                "CodeMismatchException",
            );
        }
        confirm(&app, &client, "ray", &second).await;
        let err = expect_code(
            app.unsigned_idp()
                .resend_confirmation_code()
                .client_id(&client)
                .username("ray")
                .send()
                .await,
            "InvalidParameterException",
        );
        assert_eq!(err.message, "User is already confirmed.");
    })
    .await;
}

#[tokio::test]
async fn sign_up_codes_expire_and_die_after_too_many_wrong_tries() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = email_pool(&idp).await;
        let client = client_id(&idp, &pool, false).await;
        let public = app.unsigned_idp();
        let try_code = |username: &str, code: &str| {
            public
                .confirm_sign_up()
                .client_id(&client)
                .username(username)
                .confirmation_code(code)
                .send()
        };

        sign_up(&app, &client, "old", "old@example.com").await;
        let code = last_code(&app, "old@example.com");
        app.clock().advance(Duration::from_secs(24 * 3600));
        let err = expect_code(try_code("old", &code).await, "ExpiredCodeException");
        assert_eq!(
            err.message,
            "Invalid code provided, please request a code again."
        );

        sign_up(&app, &client, "guess", "guess@example.com").await;
        let code = last_code(&app, "guess@example.com");
        for _ in 0..5 {
            expect_code(
                try_code("guess", &other_code(&code)).await,
                "CodeMismatchException",
            );
        }
        let err = expect_code(try_code("guess", &code).await, "LimitExceededException");
        assert_eq!(
            err.message,
            "Attempt limit exceeded, please try after some time."
        );
        // A new code starts afresh.
        public
            .resend_confirmation_code()
            .client_id(&client)
            .username("guess")
            .send()
            .await
            .unwrap();
        confirm(
            &app,
            &client,
            "guess",
            &last_code(&app, "guess@example.com"),
        )
        .await;
    })
    .await;
}

#[tokio::test]
async fn forgot_password_and_confirm() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = email_pool(&idp).await;
        let client = client_id(&idp, &pool, false).await;
        confirmed_user(&app, &client, "fay", "fay@example.com").await;
        let public = app.unsigned_idp();
        let out = public
            .forgot_password()
            .client_id(&client)
            .username("fay")
            .send()
            .await
            .expect("ForgotPassword");
        let details = out.code_delivery_details().unwrap();
        assert_eq!(details.destination(), Some("f***@e***"));
        assert_eq!(details.delivery_medium(), Some(&DeliveryMediumType::Email));
        let code = last_code(&app, "fay@example.com");
        let reset = |code: &str, password: &str| {
            public
                .confirm_forgot_password()
                .client_id(&client)
                .username("fay")
                .confirmation_code(code)
                .password(password)
                .send()
        };
        let err = expect_code(reset(&code, "weakpass").await, "InvalidPasswordException");
        assert!(err
            .message
            .starts_with("Password did not conform with policy"));
        expect_code(
            reset(&other_code(&code), NEW_PASSWORD).await,
            "CodeMismatchException",
        );
        reset(&code, NEW_PASSWORD)
            .await
            .expect("ConfirmForgotPassword");
        // A code works once.
        expect_code(reset(&code, NEW_PASSWORD).await, "ExpiredCodeException");
        assert_eq!(
            get_user(&idp, &pool, "fay").await.status,
            Some(UserStatusType::Confirmed)
        );
        assert!(sign_in(&app, &client, "fay", NEW_PASSWORD).await);
        assert!(!sign_in(&app, &client, "fay", PASSWORD).await);

        // Reset codes live an hour.
        public
            .forgot_password()
            .client_id(&client)
            .username("fay")
            .send()
            .await
            .unwrap();
        let code = last_code(&app, "fay@example.com");
        app.clock().advance(Duration::from_secs(3600));
        expect_code(reset(&code, NEW_PASSWORD).await, "ExpiredCodeException");
    })
    .await;
}

#[tokio::test]
async fn only_verified_addresses_reset_passwords() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = email_pool(&idp).await;
        let client = client_id(&idp, &pool, false).await;
        let public = app.unsigned_idp();
        let forgot = |username: &str| {
            public
                .forgot_password()
                .client_id(&client)
                .username(username)
                .send()
        };
        // Unconfirmed.
        sign_up(&app, &client, "una", "una@example.com").await;
        let err = expect_code(forgot("una").await, "NotAuthorizedException");
        assert_eq!(
            err.message,
            "User password cannot be reset in the current state."
        );
        // Confirmed by an admin: the email was never verified.
        idp.admin_confirm_sign_up()
            .user_pool_id(&pool)
            .username("una")
            .send()
            .await
            .unwrap();
        app.mailer().take();
        let err = expect_code(forgot("una").await, "InvalidParameterException");
        assert_eq!(
            err.message,
            "Cannot reset password for the user as there is no registered/verified email or \
             phone_number"
        );
        assert!(app.mail().is_empty());
        // Created by an admin with a verified email, still on its temporary password.
        idp.admin_create_user()
            .user_pool_id(&pool)
            .username("tom")
            .user_attributes(attr("email", "tom@example.com"))
            .user_attributes(attr("email_verified", "true"))
            .message_action(monban_testkit::idp::types::MessageActionType::Suppress)
            .send()
            .await
            .unwrap();
        let err = expect_code(forgot("tom").await, "NotAuthorizedException");
        assert_eq!(
            err.message,
            "User password cannot be reset in the current state."
        );
        // Unknown and disabled users, without PreventUserExistenceErrors.
        let err = expect_code(forgot("nobody").await, "UserNotFoundException");
        assert_eq!(err.message, "User does not exist.");
        confirmed_user(&app, &client, "dee", "dee@example.com").await;
        idp.admin_disable_user()
            .user_pool_id(&pool)
            .username("dee")
            .send()
            .await
            .unwrap();
        let err = expect_code(forgot("dee").await, "NotAuthorizedException");
        assert_eq!(err.message, "User is disabled.");
    })
    .await;
}

#[tokio::test]
async fn admin_reset_sends_a_code_that_confirm_forgot_password_accepts() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = email_pool(&idp).await;
        let client = client_id(&idp, &pool, false).await;
        confirmed_user(&app, &client, "ivy", "ivy@example.com").await;
        idp.admin_reset_user_password()
            .user_pool_id(&pool)
            .username("ivy")
            .send()
            .await
            .unwrap();
        assert_eq!(
            get_user(&idp, &pool, "ivy").await.status,
            Some(UserStatusType::ResetRequired)
        );
        let code = last_code(&app, "ivy@example.com");
        app.unsigned_idp()
            .confirm_forgot_password()
            .client_id(&client)
            .username("ivy")
            .confirmation_code(code)
            .password(NEW_PASSWORD)
            .send()
            .await
            .expect("ConfirmForgotPassword");
        assert_eq!(
            get_user(&idp, &pool, "ivy").await.status,
            Some(UserStatusType::Confirmed)
        );
        assert!(sign_in(&app, &client, "ivy", NEW_PASSWORD).await);
    })
    .await;
}

#[tokio::test]
async fn prevent_user_existence_errors_hides_unknown_users() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = email_pool(&idp).await;
        let hiding = client_id(&idp, &pool, true).await;
        let legacy = client_id(&idp, &pool, false).await;
        let public = app.unsigned_idp();
        confirmed_user(&app, &hiding, "vic", "vic@example.com").await;
        app.mailer().take();

        for name in ["ghost", "ghost@example.com"] {
            let out = public
                .forgot_password()
                .client_id(&hiding)
                .username(name)
                .send()
                .await
                .expect("ForgotPassword answers for an unknown user");
            let details = out.code_delivery_details().unwrap();
            assert_eq!(details.delivery_medium(), Some(&DeliveryMediumType::Email));
            assert_eq!(details.attribute_name(), Some("email"));
            let destination = details.destination().unwrap();
            assert!(destination.contains("***@"), "{destination}");
            // The same answer every time, as a real user's would be.
            let again = public
                .forgot_password()
                .client_id(&hiding)
                .username(name)
                .send()
                .await
                .unwrap();
            assert_eq!(
                again.code_delivery_details().unwrap().destination(),
                Some(destination)
            );
            let out = public
                .resend_confirmation_code()
                .client_id(&hiding)
                .username(name)
                .send()
                .await
                .expect("ResendConfirmationCode answers for an unknown user");
            assert!(out.code_delivery_details().is_some());
        }
        assert_eq!(
            public
                .forgot_password()
                .client_id(&hiding)
                .username("ghost@example.com")
                .send()
                .await
                .unwrap()
                .code_delivery_details()
                .unwrap()
                .destination(),
            Some("g***@e***")
        );
        let err = expect_code(
            public
                .confirm_forgot_password()
                .client_id(&hiding)
                .username("ghost")
                .confirmation_code("123456")
                .password(NEW_PASSWORD)
                .send()
                .await,
            "CodeMismatchException",
        );
        assert_eq!(
            err.message,
            "Invalid verification code provided, please try again."
        );
        expect_code(
            public
                .confirm_sign_up()
                .client_id(&hiding)
                .username("ghost")
                .confirmation_code("123456")
                .send()
                .await,
            "CodeMismatchException",
        );
        // A known user with no code outstanding answers as an unknown name does (Cognito
        // says ExpiredCodeException here, which tells the name exists)...
        let known = expect_code(
            public
                .confirm_forgot_password()
                .client_id(&hiding)
                .username("vic")
                .confirmation_code("123456")
                .password(NEW_PASSWORD)
                .send()
                .await,
            "CodeMismatchException",
        );
        assert_eq!(known.message, err.message);
        // ...and, without hiding, as Cognito does.
        expect_code(
            public
                .confirm_forgot_password()
                .client_id(&legacy)
                .username("vic")
                .confirmation_code("123456")
                .password(NEW_PASSWORD)
                .send()
                .await,
            "ExpiredCodeException",
        );
        // Disabled users look unknown.
        idp.admin_disable_user()
            .user_pool_id(&pool)
            .username("vic")
            .send()
            .await
            .unwrap();
        public
            .forgot_password()
            .client_id(&hiding)
            .username("vic")
            .send()
            .await
            .expect("ForgotPassword answers for a disabled user");
        assert!(app.mail().is_empty(), "nothing is sent: {:?}", app.mail());

        // LEGACY says so.
        for result in [
            service_error(
                public
                    .forgot_password()
                    .client_id(&legacy)
                    .username("ghost")
                    .send()
                    .await,
            ),
            service_error(
                public
                    .resend_confirmation_code()
                    .client_id(&legacy)
                    .username("ghost")
                    .send()
                    .await,
            ),
            service_error(
                public
                    .confirm_forgot_password()
                    .client_id(&legacy)
                    .username("ghost")
                    .confirmation_code("123456")
                    .password(NEW_PASSWORD)
                    .send()
                    .await,
            ),
            service_error(
                public
                    .confirm_sign_up()
                    .client_id(&legacy)
                    .username("ghost")
                    .confirmation_code("123456")
                    .send()
                    .await,
            ),
        ] {
            let err = result.assert_code("UserNotFoundException");
            assert_eq!(err.message, "User does not exist.");
        }
    })
    .await;
}

#[tokio::test]
async fn unverified_users_get_a_simulated_answer_when_existence_is_hidden() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = email_pool(&idp).await;
        let hiding = client_id(&idp, &pool, true).await;
        sign_up(&app, &hiding, "uma", "uma@example.com").await;
        idp.admin_confirm_sign_up()
            .user_pool_id(&pool)
            .username("uma")
            .send()
            .await
            .unwrap();
        app.mailer().take();
        app.unsigned_idp()
            .forgot_password()
            .client_id(&hiding)
            .username("uma")
            .send()
            .await
            .expect("simulated");
        assert!(app.mail().is_empty(), "an unverified email is never used");
    })
    .await;
}

#[tokio::test]
async fn clients_with_a_secret_need_the_secret_hash() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = email_pool(&idp).await;
        let client = client(&idp, &pool, false, true).await;
        let id = client.client_id().unwrap().to_owned();
        let secret = client.client_secret().unwrap().to_owned();
        let public = app.unsigned_idp();
        let sign_up = |hash: Option<String>| {
            public
                .sign_up()
                .client_id(&id)
                .username("sec")
                .password(PASSWORD)
                .user_attributes(attr("email", "sec@example.com"))
                .set_secret_hash(hash)
                .send()
        };
        let err = expect_code(sign_up(None).await, "NotAuthorizedException");
        assert_eq!(
            err.message,
            format!("Client {id} is configured with secret but SECRET_HASH was not received")
        );
        let err = expect_code(
            sign_up(Some(secret_hash(&secret, "other", &id))).await,
            "NotAuthorizedException",
        );
        assert_eq!(
            err.message,
            format!("Unable to verify secret hash for client {id}")
        );
        sign_up(Some(secret_hash(&secret, "sec", &id)))
            .await
            .expect("SignUp with SECRET_HASH");
        let code = last_code(&app, "sec@example.com");
        expect_code(
            public
                .confirm_sign_up()
                .client_id(&id)
                .username("sec")
                .confirmation_code(&code)
                .send()
                .await,
            "NotAuthorizedException",
        );
        public
            .confirm_sign_up()
            .client_id(&id)
            .username("sec")
            .confirmation_code(&code)
            .secret_hash(secret_hash(&secret, "sec", &id))
            .send()
            .await
            .expect("ConfirmSignUp with SECRET_HASH");
        public
            .forgot_password()
            .client_id(&id)
            .username("sec")
            .secret_hash(secret_hash(&secret, "sec", &id))
            .send()
            .await
            .expect("ForgotPassword with SECRET_HASH");
        let code = last_code(&app, "sec@example.com");
        expect_code(
            public
                .confirm_forgot_password()
                .client_id(&id)
                .username("sec")
                .confirmation_code(&code)
                .password(NEW_PASSWORD)
                .send()
                .await,
            "NotAuthorizedException",
        );
        public
            .confirm_forgot_password()
            .client_id(&id)
            .username("sec")
            .confirmation_code(&code)
            .password(NEW_PASSWORD)
            .secret_hash(secret_hash(&secret, "sec", &id))
            .send()
            .await
            .expect("ConfirmForgotPassword with SECRET_HASH");

        // A client without a secret refuses one.
        let plain = client_id(&idp, &pool, false).await;
        let err = expect_code(
            public
                .resend_confirmation_code()
                .client_id(&plain)
                .username("sec")
                .secret_hash("c2VjcmV0")
                .send()
                .await,
            "InvalidParameterException",
        );
        assert_eq!(
            err.message,
            format!("Client {plain} is not configured for secret but secret hash was received")
        );
    })
    .await;
}

#[tokio::test]
async fn confirming_a_taken_alias_needs_force_alias_creation() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = idp
            .create_user_pool()
            .pool_name(unique_name("alias-"))
            .alias_attributes(AliasAttributeType::Email)
            .auto_verified_attributes(VerifiedAttributeType::Email)
            .send()
            .await
            .unwrap()
            .user_pool
            .unwrap()
            .id
            .unwrap();
        let client = client_id(&idp, &pool, false).await;
        confirmed_user(&app, &client, "first", "shared@example.com").await;
        sign_up(&app, &client, "second", "shared@example.com").await;
        let code = last_code(&app, "shared@example.com");
        let confirm_with = |force: Option<bool>| {
            app.unsigned_idp()
                .confirm_sign_up()
                .client_id(&client)
                .username("second")
                .confirmation_code(&code)
                .set_force_alias_creation(force)
                .send()
        };
        let err = expect_code(confirm_with(None).await, "AliasExistsException");
        assert_eq!(err.message, "An account with the email already exists.");
        assert_eq!(
            get_user(&idp, &pool, "second").await.status,
            Some(UserStatusType::Unconfirmed)
        );
        // The same code works for the retry.
        confirm_with(Some(true)).await.expect("ForceAliasCreation");
        let second = get_user(&idp, &pool, "second").await;
        assert_eq!(second.status, Some(UserStatusType::Confirmed));
        assert_eq!(
            attr_value(&second.attributes, "email_verified"),
            Some("true")
        );
        let first = get_user(&idp, &pool, "first").await;
        assert_eq!(
            attr_value(&first.attributes, "email_verified"),
            Some("false")
        );
        // The alias now names the second user.
        let by_alias = idp
            .admin_get_user()
            .user_pool_id(&pool)
            .username("shared@example.com")
            .send()
            .await
            .unwrap();
        assert_eq!(by_alias.username(), "second");
    })
    .await;
}

#[tokio::test]
async fn the_pool_s_template_shapes_the_mail() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = idp
            .create_user_pool()
            .pool_name(unique_name("template-"))
            .auto_verified_attributes(VerifiedAttributeType::Email)
            .verification_message_template(
                VerificationMessageTemplateType::builder()
                    .email_subject("Welcome aboard")
                    .email_message("Hi {username}, your code is {####}")
                    .build(),
            )
            .send()
            .await
            .unwrap()
            .user_pool
            .unwrap()
            .id
            .unwrap();
        let client = client_id(&idp, &pool, false).await;
        sign_up(&app, &client, "pat", "pat@example.com").await;
        let mail = app.mailer().emails_to("pat@example.com");
        assert_eq!(mail[0].subject, "Welcome aboard");
        let code = last_code(&app, "pat@example.com");
        assert_eq!(mail[0].body, format!("Hi pat, your code is {code}"));
    })
    .await;
}

#[tokio::test]
async fn codes_that_only_an_sms_could_carry_are_refused() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = idp
            .create_user_pool()
            .pool_name(unique_name("phone-"))
            .auto_verified_attributes(VerifiedAttributeType::PhoneNumber)
            .send()
            .await
            .unwrap()
            .user_pool
            .unwrap()
            .id
            .unwrap();
        let client = client_id(&idp, &pool, false).await;
        let err = expect_code(
            app.unsigned_idp()
                .sign_up()
                .client_id(&client)
                .username("phil")
                .password(PASSWORD)
                .user_attributes(attr("phone_number", "+15555550100"))
                .send()
                .await,
            "CodeDeliveryFailureException",
        );
        assert!(err.message.contains("SMS"), "{}", err.message);
        expect_code(
            idp.admin_get_user()
                .user_pool_id(&pool)
                .username("phil")
                .send()
                .await,
            "UserNotFoundException",
        );
        assert!(app.mail().is_empty());
    })
    .await;
}
