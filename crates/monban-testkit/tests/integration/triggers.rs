//! The Lambda triggers that do not belong to sign-in (PreSignUp, PostConfirmation,
//! CustomMessage, CustomEmailSender, PreTokenGeneration V1 and V2), run as webhooks,
//! through the AWS SDK for Rust: a [`Receiver`] plays the application, checks the exact
//! events and answers; the tests check the answer's effect (auto-confirmation, message
//! texts, token claims), Cognito's errors, and the signature of every call.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use monban_core::triggers::signing;
use monban_core::Clock;
use monban_testkit::idp::types::{
    AuthFlowType, ChallengeNameType, CustomEmailLambdaVersionConfigType,
    CustomEmailSenderLambdaVersionType, CustomSmsLambdaVersionConfigType,
    CustomSmsSenderLambdaVersionType, DeliveryMediumType, ExplicitAuthFlowsType, LambdaConfigType,
    PreTokenGenerationLambdaVersionType, PreTokenGenerationVersionConfigType, UserStatusType,
    VerifiedAttributeType,
};
use monban_testkit::webhook::{Call, Receiver, Reply};
use monban_testkit::{each_backend, expect_code, unique_name, TestApp};
use serde_json::{json, Value};
use sha2::Sha256;

use super::support::attr;

const PASSWORD: &str = "Correct-Horse-9";
const SDK_VERSION: &str = "aws-sdk-unknown-unknown";

/// A pool with email auto-verified whose `LambdaConfig` is `lambda`, and a client that
/// allows password sign-in and refresh.
struct Fixture<'a> {
    app: &'a TestApp,
    pool: String,
    client: String,
}

impl<'a> Fixture<'a> {
    async fn new(app: &'a TestApp, lambda: LambdaConfigType) -> Fixture<'a> {
        Self::verifying(app, lambda, VerifiedAttributeType::Email).await
    }

    /// A pool that auto-verifies `verified` instead of email.
    async fn verifying(
        app: &'a TestApp,
        lambda: LambdaConfigType,
        verified: VerifiedAttributeType,
    ) -> Fixture<'a> {
        let pool = app
            .idp()
            .create_user_pool()
            .pool_name(unique_name("triggers-"))
            .auto_verified_attributes(verified)
            .lambda_config(lambda)
            .send()
            .await
            .expect("CreateUserPool")
            .user_pool
            .and_then(|p| p.id)
            .expect("pool id");
        let client = app
            .idp()
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
        Fixture { app, pool, client }
    }

    /// `LambdaConfig` with each named trigger pointing at its path on `receiver`.
    fn lambda(receiver: &Receiver, triggers: &[&str]) -> LambdaConfigType {
        let mut lambda = LambdaConfigType::builder();
        for trigger in triggers {
            let url = receiver.url(trigger);
            lambda = match *trigger {
                "PreSignUp" => lambda.pre_sign_up(url),
                "PostConfirmation" => lambda.post_confirmation(url),
                "CustomMessage" => lambda.custom_message(url),
                "PreTokenGeneration" => lambda.pre_token_generation(url),
                "CustomEmailSender" => lambda.custom_email_sender(
                    CustomEmailLambdaVersionConfigType::builder()
                        .lambda_arn(url)
                        .lambda_version(CustomEmailSenderLambdaVersionType::V10)
                        .build()
                        .expect("sender config"),
                ),
                "CustomSMSSender" => lambda.custom_sms_sender(
                    CustomSmsLambdaVersionConfigType::builder()
                        .lambda_arn(url)
                        .lambda_version(CustomSmsSenderLambdaVersionType::V10)
                        .build()
                        .expect("sender config"),
                ),
                other => panic!("no trigger {other} in these tests"),
            };
        }
        lambda.build()
    }

    async fn sign_up(
        &self,
        username: &str,
        email: &str,
    ) -> Result<bool, monban_testkit::ServiceError> {
        self.app
            .unsigned_idp()
            .sign_up()
            .client_id(&self.client)
            .username(username)
            .password(PASSWORD)
            .user_attributes(attr("email", email))
            .validation_data(attr("captcha", "ok"))
            .client_metadata("app", "web")
            .send()
            .await
            .map(|r| r.user_confirmed)
            .map_err(|e| monban_testkit::service_error::<(), _, _>(Err(e)))
    }

    async fn status(&self, username: &str) -> (UserStatusType, Vec<(String, String)>) {
        let user = self
            .app
            .idp()
            .admin_get_user()
            .user_pool_id(&self.pool)
            .username(username)
            .send()
            .await
            .expect("AdminGetUser");
        let attrs = user
            .user_attributes()
            .iter()
            .map(|a| {
                (
                    a.name().to_owned(),
                    a.value().unwrap_or_default().to_owned(),
                )
            })
            .collect();
        (user.user_status.expect("status"), attrs)
    }

    /// USER_PASSWORD_AUTH: (id token, access token, refresh token).
    async fn sign_in(&self, username: &str) -> (String, String, String) {
        let result = self
            .app
            .unsigned_idp()
            .initiate_auth()
            .client_id(&self.client)
            .auth_flow(AuthFlowType::UserPasswordAuth)
            .auth_parameters("USERNAME", username)
            .auth_parameters("PASSWORD", PASSWORD)
            .send()
            .await
            .expect("InitiateAuth")
            .authentication_result
            .expect("tokens");
        (
            result.id_token.expect("id"),
            result.access_token.expect("access"),
            result.refresh_token.expect("refresh"),
        )
    }

    /// A confirmed user with a password, made without triggers' help.
    async fn confirmed_user(&self, username: &str, email: &str) {
        let idp = self.app.idp();
        idp.admin_create_user()
            .user_pool_id(&self.pool)
            .username(username)
            .user_attributes(attr("email", email))
            .user_attributes(attr("email_verified", "true"))
            .message_action(monban_testkit::idp::types::MessageActionType::Suppress)
            .send()
            .await
            .expect("AdminCreateUser");
        idp.admin_set_user_password()
            .user_pool_id(&self.pool)
            .username(username)
            .password(PASSWORD)
            .permanent(true)
            .send()
            .await
            .expect("AdminSetUserPassword");
    }

    fn caller(&self) -> Value {
        json!({"awsSdkVersion": SDK_VERSION, "clientId": self.client})
    }
}

/// The claims of a JWT (not verified: the token tests do that).
fn claims(token: &str) -> Value {
    let payload = token.split('.').nth(1).expect("a JWT");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("base64url")).expect("JSON")
}

/// The six-digit code in the latest mail to `to`.
fn last_code(app: &TestApp, to: &str) -> String {
    let mail = app.mailer().emails_to(to);
    let last = mail.last().unwrap_or_else(|| panic!("no mail to {to}"));
    last.body
        .split(|c: char| !c.is_ascii_digit())
        .find(|run| run.len() == 6)
        .unwrap_or_else(|| panic!("no code in {:?}", last.body))
        .to_owned()
}

/// The (trigger path, triggerSource) of each call.
fn sources(calls: &[Call]) -> Vec<(String, String)> {
    calls
        .iter()
        .map(|c| {
            (
                c.trigger.clone(),
                c.event["triggerSource"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            )
        })
        .collect()
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

/// A receiver where CustomMessage rewrites every message (naming its source) and every
/// other trigger returns the event unchanged.
fn rewriting_messages() -> impl Fn(&str, &Value) -> Reply + Send + Sync + 'static {
    |trigger: &str, event: &Value| match trigger {
        "CustomMessage" => {
            let source = event["triggerSource"].as_str().unwrap_or_default();
            Reply::Respond(json!({
                "emailSubject": format!("[{source}] your code"),
                "emailMessage": format!("<p>{source}: {{####}}</p>"),
                "smsMessage": null,
            }))
        }
        _ => Reply::Respond(json!({})),
    }
}

#[tokio::test]
async fn pre_sign_up_can_confirm_and_verify_and_post_confirmation_follows() {
    each_backend(|app| async move {
        let receiver = Receiver::start(|trigger, _| match trigger {
            "PreSignUp" => Reply::Respond(json!({"autoConfirmUser": true, "autoVerifyEmail": true})),
            _ => Reply::Respond(json!({})),
        })
        .await;
        let lambda = Fixture::lambda(&receiver, &["PreSignUp", "PostConfirmation", "CustomMessage"]);
        let f = Fixture::new(&app, lambda).await;
        let name = unique_name("alice-");
        let email = format!("{name}@example.com");

        assert!(f.sign_up(&name, &email).await.unwrap(), "UserConfirmed");
        assert!(app.mailer().emails_to(&email).is_empty(), "an auto-confirmed user gets no code");
        let (status, attrs) = f.status(&name).await;
        assert_eq!(status, UserStatusType::Confirmed);
        let sub = attrs.iter().find(|(n, _)| n == "sub").unwrap().1.clone();
        assert!(attrs.contains(&("email_verified".to_owned(), "true".to_owned())));

        let calls = receiver.take();
        assert_eq!(calls.len(), 2, "{:?}", sources(&calls));
        assert_eq!(
            calls[0].event,
            json!({
                "version": "1",
                "triggerSource": "PreSignUp_SignUp",
                "region": "us-east-1",
                "userPoolId": f.pool,
                "userName": name,
                "callerContext": f.caller(),
                "request": {
                    "userAttributes": {"email": email},
                    "validationData": {"captcha": "ok"},
                    "clientMetadata": {"app": "web"},
                },
                "response": {"autoConfirmUser": false, "autoVerifyEmail": false, "autoVerifyPhone": false},
            })
        );
        assert_eq!(calls[1].trigger, "PostConfirmation");
        assert_eq!(
            calls[1].event,
            json!({
                "version": "1",
                "triggerSource": "PostConfirmation_ConfirmSignUp",
                "region": "us-east-1",
                "userPoolId": f.pool,
                "userName": name,
                "callerContext": f.caller(),
                "request": {
                    "userAttributes": {
                        "sub": sub,
                        "email": email,
                        "email_verified": "true",
                        "cognito:user_status": "CONFIRMED",
                    },
                    "clientMetadata": {"app": "web"},
                },
                "response": {},
            })
        );
        // Confirmed means signed in at once.
        f.sign_in(&name).await;
    })
    .await;
}

#[tokio::test]
async fn pre_sign_up_failures_are_cognitos_errors_and_create_nobody() {
    each_backend(|app| async move {
        let receiver = Receiver::start(|trigger, event| {
            let name = event["userName"].as_str().unwrap_or_default();
            match (trigger, name.split('-').next().unwrap_or_default()) {
                (_, "bot") => Reply::Throw("no bots allowed".to_owned()),
                (_, "garbled") => Reply::Raw(200, "this is not JSON".to_owned()),
                (_, "typo") => Reply::Respond(json!({"autoConfirmUser": "yes"})),
                (_, "crash") => Reply::Raw(502, "Bad Gateway".to_owned()),
                _ => Reply::Respond(json!({})),
            }
        })
        .await;
        let f = Fixture::new(&app, Fixture::lambda(&receiver, &["PreSignUp"])).await;
        let cases = [
            (
                "bot",
                "UserLambdaValidationException",
                "PreSignUp failed with error no bots allowed.",
            ),
            (
                "garbled",
                "InvalidLambdaResponseException",
                "Unrecognizable lambda output",
            ),
            (
                "typo",
                "InvalidLambdaResponseException",
                "Unrecognizable lambda output",
            ),
            (
                "crash",
                "UnexpectedLambdaException",
                "PreSignUp invocation failed due to error",
            ),
        ];
        for (prefix, code, message) in cases {
            let name = unique_name(&format!("{prefix}-"));
            let err = f
                .sign_up(&name, &format!("{name}@example.com"))
                .await
                .unwrap_err();
            err.assert_code(code).assert_message_contains(message);
            expect_code(
                app.idp()
                    .admin_get_user()
                    .user_pool_id(&f.pool)
                    .username(&name)
                    .send()
                    .await,
                "UserNotFoundException",
            );
        }
        // A function error on AdminCreateUser refuses the user too.
        let name = unique_name("bot-");
        expect_code(
            app.idp()
                .admin_create_user()
                .user_pool_id(&f.pool)
                .username(&name)
                .send()
                .await,
            "UserLambdaValidationException",
        )
        .assert_message_contains("PreSignUp failed with error no bots allowed.");

        // Nobody listening: UnexpectedLambdaException.
        let closed = {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            format!("http://{}/PreSignUp", listener.local_addr().unwrap())
        };
        let f = Fixture::new(
            &app,
            LambdaConfigType::builder().pre_sign_up(closed).build(),
        )
        .await;
        let name = unique_name("alice-");
        f.sign_up(&name, &format!("{name}@example.com"))
            .await
            .unwrap_err()
            .assert_code("UnexpectedLambdaException")
            .assert_message_contains("PreSignUp invocation failed due to error");
    })
    .await;
}

#[tokio::test]
async fn admin_create_user_runs_pre_sign_up_and_the_invitation_message() {
    each_backend(|app| async move {
        let receiver = Receiver::start(|trigger, _| match trigger {
            // Ignored for AdminCreateUser, as in Cognito.
            "PreSignUp" => Reply::Respond(json!({"autoConfirmUser": true})),
            _ => Reply::Respond(json!({
                "emailSubject": "Welcome aboard",
                "emailMessage": "Sign in as {username} with {####}.",
            })),
        })
        .await;
        let f = Fixture::new(&app, Fixture::lambda(&receiver, &["PreSignUp", "CustomMessage"])).await;
        let name = unique_name("bob-");
        let email = format!("{name}@example.com");
        app.idp()
            .admin_create_user()
            .user_pool_id(&f.pool)
            .username(&name)
            .user_attributes(attr("email", &email))
            .desired_delivery_mediums(DeliveryMediumType::Email)
            .temporary_password("Temp-Pass-123")
            .validation_data(attr("invited_by", "ops"))
            .client_metadata("source", "admin")
            .send()
            .await
            .expect("AdminCreateUser");
        let (status, attrs) = f.status(&name).await;
        assert_eq!(status, UserStatusType::ForceChangePassword);
        let sub = attrs.iter().find(|(n, _)| n == "sub").unwrap().1.clone();

        let mail = app.mailer().emails_to(&email);
        assert_eq!(mail.len(), 1);
        assert_eq!(mail[0].subject, "Welcome aboard");
        assert_eq!(mail[0].body, format!("Sign in as {name} with Temp-Pass-123."));

        let calls = receiver.take();
        let admin = json!({"awsSdkVersion": SDK_VERSION, "clientId": "CLIENT_ID_NOT_APPLICABLE"});
        assert_eq!(
            calls[0].event,
            json!({
                "version": "1",
                "triggerSource": "PreSignUp_AdminCreateUser",
                "region": "us-east-1",
                "userPoolId": f.pool,
                "userName": name,
                "callerContext": admin,
                "request": {
                    "userAttributes": {"email": email},
                    "validationData": {"invited_by": "ops"},
                    "clientMetadata": {"source": "admin"},
                },
                "response": {"autoConfirmUser": false, "autoVerifyEmail": false, "autoVerifyPhone": false},
            })
        );
        assert_eq!(
            calls[1].event,
            json!({
                "version": "1",
                "triggerSource": "CustomMessage_AdminCreateUser",
                "region": "us-east-1",
                "userPoolId": f.pool,
                "userName": name,
                "callerContext": admin,
                "request": {
                    "userAttributes": {
                        "sub": sub,
                        "email": email,
                        "cognito:user_status": "FORCE_CHANGE_PASSWORD",
                    },
                    "codeParameter": "{####}",
                    "linkParameter": "{##Click Here##}",
                    "usernameParameter": "{username}",
                    "clientMetadata": {"source": "admin"},
                },
                "response": {"smsMessage": null, "emailMessage": null, "emailSubject": null},
            })
        );
        assert_eq!(calls.len(), 2);
    })
    .await;
}

#[tokio::test]
async fn custom_message_rewrites_every_code_message() {
    each_backend(|app| async move {
        let receiver = Receiver::start(rewriting_messages()).await;
        let lambda = Fixture::lambda(&receiver, &["CustomMessage", "PostConfirmation"]);
        let f = Fixture::new(&app, lambda).await;
        let name = unique_name("carol-");
        let email = format!("{name}@example.com");
        let idp = app.unsigned_idp();

        // SignUp: the mail is the function's, with the code in place of {####}.
        assert!(!f.sign_up(&name, &email).await.unwrap());
        let mail = app.mailer().emails_to(&email);
        assert_eq!(mail.len(), 1);
        assert_eq!(mail[0].subject, "[CustomMessage_SignUp] your code");
        let code = last_code(&app, &email);
        assert_eq!(mail[0].body, format!("<p>CustomMessage_SignUp: {code}</p>"));
        let calls = receiver.take();
        assert_eq!(calls.len(), 1);
        let sub = calls[0].event["request"]["userAttributes"]["sub"].clone();
        assert_eq!(
            calls[0].event,
            json!({
                "version": "1",
                "triggerSource": "CustomMessage_SignUp",
                "region": "us-east-1",
                "userPoolId": f.pool,
                "userName": name,
                "callerContext": f.caller(),
                "request": {
                    "userAttributes": {
                        "sub": sub,
                        "email": email,
                        "cognito:user_status": "UNCONFIRMED",
                    },
                    "codeParameter": "{####}",
                    "linkParameter": "{##Click Here##}",
                    "usernameParameter": null,
                    "clientMetadata": {"app": "web"},
                },
                "response": {"smsMessage": null, "emailMessage": null, "emailSubject": null},
            })
        );

        idp.resend_confirmation_code()
            .client_id(&f.client)
            .username(&name)
            .send()
            .await
            .expect("ResendConfirmationCode");
        let code = last_code(&app, &email);
        idp.confirm_sign_up()
            .client_id(&f.client)
            .username(&name)
            .confirmation_code(&code)
            .client_metadata("step", "confirm")
            .send()
            .await
            .expect("ConfirmSignUp with the code of the custom message");
        let calls = receiver.take();
        assert_eq!(
            sources(&calls),
            pairs(&[
                ("CustomMessage", "CustomMessage_ResendCode"),
                ("PostConfirmation", "PostConfirmation_ConfirmSignUp"),
            ])
        );
        assert!(
            calls[0].event["request"].get("clientMetadata").is_none(),
            "none was given"
        );
        assert_eq!(calls[1].event["callerContext"], f.caller());
        assert_eq!(
            calls[1].event["request"]["clientMetadata"],
            json!({"step": "confirm"})
        );
        assert_eq!(
            calls[1].event["request"]["userAttributes"]["cognito:user_status"],
            "CONFIRMED"
        );
        assert_eq!(
            calls[1].event["request"]["userAttributes"]["email_verified"],
            "true"
        );

        // Password reset: ForgotPassword and AdminResetUserPassword, then the confirmation.
        idp.forgot_password()
            .client_id(&f.client)
            .username(&name)
            .send()
            .await
            .expect("ForgotPassword");
        app.idp()
            .admin_reset_user_password()
            .user_pool_id(&f.pool)
            .username(&name)
            .send()
            .await
            .expect("AdminResetUserPassword");
        let code = last_code(&app, &email);
        assert_eq!(
            app.mailer().emails_to(&email).last().unwrap().subject,
            "[CustomMessage_ForgotPassword] your code"
        );
        idp.confirm_forgot_password()
            .client_id(&f.client)
            .username(&name)
            .confirmation_code(&code)
            .password(PASSWORD)
            .send()
            .await
            .expect("ConfirmForgotPassword");
        let calls = receiver.take();
        assert_eq!(
            sources(&calls),
            pairs(&[
                ("CustomMessage", "CustomMessage_ForgotPassword"),
                ("CustomMessage", "CustomMessage_ForgotPassword"),
                ("PostConfirmation", "PostConfirmation_ConfirmForgotPassword"),
            ])
        );
        assert_eq!(calls[0].event["callerContext"], f.caller());
        assert_eq!(
            calls[1].event["callerContext"]["clientId"],
            "CLIENT_ID_NOT_APPLICABLE"
        );

        // Attribute verification, with an access token.
        let (_, access, _) = f.sign_in(&name).await;
        let new_email = format!("new-{name}@example.com");
        idp.update_user_attributes()
            .access_token(&access)
            .user_attributes(attr("email", &new_email))
            .send()
            .await
            .expect("UpdateUserAttributes");
        assert_eq!(
            app.mailer().emails_to(&new_email).last().unwrap().subject,
            "[CustomMessage_UpdateUserAttribute] your code"
        );
        idp.get_user_attribute_verification_code()
            .access_token(&access)
            .attribute_name("email")
            .send()
            .await
            .expect("GetUserAttributeVerificationCode");
        let calls = receiver.take();
        assert_eq!(
            sources(&calls),
            pairs(&[
                ("CustomMessage", "CustomMessage_UpdateUserAttribute"),
                ("CustomMessage", "CustomMessage_VerifyUserAttribute"),
            ])
        );
        assert_eq!(calls[0].event["callerContext"], f.caller());
    })
    .await;
}

#[tokio::test]
async fn a_custom_message_must_keep_the_code() {
    each_backend(|app| async move {
        let receiver = Receiver::start(|_, _| {
            Reply::Respond(json!({"emailSubject": "Hi", "emailMessage": "No code here."}))
        })
        .await;
        let f = Fixture::new(&app, Fixture::lambda(&receiver, &["CustomMessage"])).await;
        let name = unique_name("dave-");
        f.sign_up(&name, &format!("{name}@example.com"))
            .await
            .unwrap_err()
            .assert_code("InvalidLambdaResponseException");
    })
    .await;
}

#[tokio::test]
async fn custom_email_sender_gets_the_code_instead_of_a_mail() {
    each_backend(|app| async move {
        let receiver = Receiver::start(rewriting_messages()).await;
        let lambda = Fixture::lambda(&receiver, &["CustomEmailSender", "CustomMessage"]);
        let f = Fixture::new(&app, lambda).await;
        let name = unique_name("erin-");
        let email = format!("{name}@example.com");

        f.sign_up(&name, &email).await.unwrap();
        let calls = receiver.wait_for(1).await;
        assert!(
            app.mailer().emails_to(&email).is_empty(),
            "the sender delivers, not monban"
        );
        assert_eq!(
            sources(&calls),
            pairs(&[("CustomEmailSender", "CustomEmailSender_SignUp")])
        );
        let event = &calls[0].event;
        assert_eq!(event["version"], "1");
        assert_eq!(event["userName"], name.as_str());
        assert_eq!(event["callerContext"], f.caller());
        assert_eq!(event["request"]["type"], "customEmailSenderRequestV1");
        assert_eq!(event["request"]["clientMetadata"], json!({"app": "web"}));
        assert_eq!(event["request"]["userAttributes"]["email"], email.as_str());
        let code = event["request"]["code"].as_str().unwrap().to_owned();
        assert_eq!(code.len(), 6);
        app.unsigned_idp()
            .confirm_sign_up()
            .client_id(&f.client)
            .username(&name)
            .confirmation_code(&code)
            .send()
            .await
            .expect("the sender's code confirms");

        // An invitation: the sender gets the temporary password.
        let invited = unique_name("frank-");
        app.idp()
            .admin_create_user()
            .user_pool_id(&f.pool)
            .username(&invited)
            .user_attributes(attr("email", &format!("{invited}@example.com")))
            .desired_delivery_mediums(DeliveryMediumType::Email)
            .send()
            .await
            .expect("AdminCreateUser");
        let calls = receiver.wait_for(1).await;
        assert_eq!(
            sources(&calls),
            pairs(&[("CustomEmailSender", "CustomEmailSender_AdminCreateUser")])
        );
        let temporary = calls[0].event["request"]["code"].as_str().unwrap();
        let challenge = app
            .unsigned_idp()
            .initiate_auth()
            .client_id(&f.client)
            .auth_flow(AuthFlowType::UserPasswordAuth)
            .auth_parameters("USERNAME", &invited)
            .auth_parameters("PASSWORD", temporary)
            .send()
            .await
            .expect("sign-in with the temporary password");
        assert_eq!(
            challenge.challenge_name,
            Some(ChallengeNameType::NewPasswordRequired)
        );
    })
    .await;
}

#[tokio::test]
async fn custom_sms_sender_carries_codes_for_phone_numbers() {
    each_backend(|app| async move {
        let receiver = Receiver::accepting().await;
        let lambda = Fixture::lambda(&receiver, &["CustomSMSSender"]);
        let f = Fixture::verifying(&app, lambda, VerifiedAttributeType::PhoneNumber).await;
        let name = unique_name("jill-");
        let details = app
            .unsigned_idp()
            .sign_up()
            .client_id(&f.client)
            .username(&name)
            .password(PASSWORD)
            .user_attributes(attr("phone_number", "+15555550123"))
            .send()
            .await
            .expect("SignUp with a phone number only")
            .code_delivery_details
            .expect("delivery details");
        assert_eq!(details.delivery_medium, Some(DeliveryMediumType::Sms));
        assert_eq!(details.destination.as_deref(), Some("+*******0123"));
        let calls = receiver.wait_for(1).await;
        assert_eq!(
            sources(&calls),
            pairs(&[("CustomSMSSender", "CustomSMSSender_SignUp")])
        );
        let request = &calls[0].event["request"];
        assert_eq!(request["type"], "customSMSSenderRequestV1");
        assert_eq!(request["userAttributes"]["phone_number"], "+15555550123");
        app.unsigned_idp()
            .confirm_sign_up()
            .client_id(&f.client)
            .username(&name)
            .confirmation_code(request["code"].as_str().unwrap())
            .send()
            .await
            .expect("the sender's code confirms");
        let (status, attrs) = f.status(&name).await;
        assert_eq!(status, UserStatusType::Confirmed);
        assert!(attrs.contains(&("phone_number_verified".to_owned(), "true".to_owned())));

        // Without a sender, a code only an SMS could carry is refused, as before.
        let plain = Fixture::verifying(
            &app,
            LambdaConfigType::builder().build(),
            VerifiedAttributeType::PhoneNumber,
        )
        .await;
        expect_code(
            app.unsigned_idp()
                .sign_up()
                .client_id(&plain.client)
                .username(unique_name("kim-"))
                .password(PASSWORD)
                .user_attributes(attr("phone_number", "+15555550124"))
                .send()
                .await,
            "CodeDeliveryFailureException",
        );
    })
    .await;
}

#[tokio::test]
async fn pre_token_generation_v1_edits_the_id_token_and_groups() {
    each_backend(|app| async move {
        let receiver = Receiver::start(|_, event| {
            if event["request"]["clientMetadata"]["fail"] == "yes" {
                return Reply::Throw("token refused".to_owned());
            }
            Reply::Respond(json!({"claimsOverrideDetails": {
                "claimsToAddOrOverride": {"tier": "gold", "email": "masked@example.com", "sub": "forged"},
                "claimsToSuppress": ["email"],
                "groupOverrideDetails": {
                    "groupsToOverride": ["readers"],
                    "iamRolesToOverride": ["arn:aws:iam::123456789012:role/readers"],
                    "preferredRole": "arn:aws:iam::123456789012:role/readers",
                },
            }}))
        })
        .await;
        let f = Fixture::new(&app, Fixture::lambda(&receiver, &["PreTokenGeneration"])).await;
        let name = unique_name("gina-");
        let email = format!("{name}@example.com");
        f.confirmed_user(&name, &email).await;
        app.idp()
            .create_group()
            .user_pool_id(&f.pool)
            .group_name("admins")
            .send()
            .await
            .expect("CreateGroup");
        app.idp()
            .admin_add_user_to_group()
            .user_pool_id(&f.pool)
            .username(&name)
            .group_name("admins")
            .send()
            .await
            .expect("AdminAddUserToGroup");

        let (id, access, refresh) = f.sign_in(&name).await;
        let (id, access) = (claims(&id), claims(&access));
        assert_eq!(id["tier"], "gold");
        assert!(id.get("email").is_none(), "suppression wins over the override");
        assert_ne!(id["sub"], "forged", "sub cannot be changed");
        assert_eq!(id["cognito:groups"], json!(["readers"]));
        assert_eq!(id["cognito:roles"], json!(["arn:aws:iam::123456789012:role/readers"]));
        assert_eq!(id["cognito:preferred_role"], "arn:aws:iam::123456789012:role/readers");
        assert_eq!(access["cognito:groups"], json!(["readers"]));
        assert!(access.get("tier").is_none(), "V1 changes the ID token only");

        let calls = receiver.take();
        assert_eq!(calls.len(), 1);
        let event = &calls[0].event;
        assert_eq!(event["version"], "1");
        assert_eq!(event["triggerSource"], "TokenGeneration_Authentication");
        assert_eq!(event["userName"], name.as_str());
        assert_eq!(event["callerContext"], f.caller());
        assert_eq!(
            event["request"]["groupConfiguration"],
            json!({"groupsToOverride": ["admins"], "iamRolesToOverride": [], "preferredRole": null})
        );
        assert_eq!(event["request"]["userAttributes"]["email"], email.as_str());
        assert_eq!(event["request"]["userAttributes"]["cognito:user_status"], "CONFIRMED");
        assert!(event["request"].get("clientMetadata").is_none(), "InitiateAuth passes none");
        assert_eq!(event["response"], json!({"claimsOverrideDetails": null}));

        // Refreshing runs it again, with the call's ClientMetadata.
        let refreshed = app
            .unsigned_idp()
            .get_tokens_from_refresh_token()
            .client_id(&f.client)
            .refresh_token(&refresh)
            .client_metadata("device", "tablet")
            .send()
            .await
            .expect("GetTokensFromRefreshToken")
            .authentication_result
            .expect("tokens");
        assert_eq!(claims(refreshed.id_token().unwrap())["tier"], "gold");
        let calls = receiver.take();
        assert_eq!(calls[0].event["triggerSource"], "TokenGeneration_RefreshTokens");
        assert_eq!(calls[0].event["request"]["clientMetadata"], json!({"device": "tablet"}));

        let err = app
            .unsigned_idp()
            .get_tokens_from_refresh_token()
            .client_id(&f.client)
            .refresh_token(&refresh)
            .client_metadata("fail", "yes")
            .send()
            .await;
        expect_code(err, "UserLambdaValidationException")
            .assert_message_contains("PreTokenGeneration failed with error token refused.");
    })
    .await;
}

#[tokio::test]
async fn pre_token_generation_v2_customises_the_access_token_and_scopes() {
    each_backend(|app| async move {
        let receiver = Receiver::start(|_, _| {
            Reply::Respond(json!({"claimsAndScopeOverrideDetails": {
                "idTokenGeneration": {"claimsToAddOrOverride": {"level": 3, "tags": ["a", "b"]}},
                "accessTokenGeneration": {
                    "claimsToAddOrOverride": {"tenant": {"id": "t1"}},
                    "claimsToSuppress": ["username"],
                    "scopesToAdd": ["photos/read"],
                },
            }}))
        })
        .await;
        let lambda = LambdaConfigType::builder()
            .pre_token_generation_config(
                PreTokenGenerationVersionConfigType::builder()
                    .lambda_arn(receiver.url("PreTokenGeneration"))
                    .lambda_version(PreTokenGenerationLambdaVersionType::V20)
                    .build()
                    .expect("config"),
            )
            .build();
        let f = Fixture::new(&app, lambda).await;
        let name = unique_name("hank-");
        f.confirmed_user(&name, &format!("{name}@example.com"))
            .await;
        let (id, access, _) = f.sign_in(&name).await;
        let id_claims = claims(&id);
        let access_claims = claims(&access);
        assert_eq!(id_claims["level"], 3);
        assert_eq!(id_claims["tags"], json!(["a", "b"]));
        assert_eq!(access_claims["tenant"], json!({"id": "t1"}));
        assert!(access_claims.get("username").is_none());
        assert_eq!(
            access_claims["scope"],
            "aws.cognito.signin.user.admin photos/read"
        );
        // Still an access token the user can use.
        let user = app
            .unsigned_idp()
            .get_user()
            .access_token(&access)
            .send()
            .await
            .expect("GetUser");
        assert_eq!(user.username(), name);

        let calls = receiver.take();
        let event = &calls[0].event;
        assert_eq!(event["version"], "2");
        assert_eq!(event["triggerSource"], "TokenGeneration_Authentication");
        assert_eq!(
            event["request"]["scopes"],
            json!(["aws.cognito.signin.user.admin"])
        );
        assert_eq!(
            event["response"],
            json!({"claimsAndScopeOverrideDetails": null})
        );
    })
    .await;
}

#[tokio::test]
async fn trigger_calls_are_signed_with_the_pool_secret() {
    each_backend(|app| async move {
        let receiver = Receiver::accepting().await;
        let f = Fixture::new(&app, Fixture::lambda(&receiver, &["PreSignUp"])).await;
        let name = unique_name("ivy-");
        f.sign_up(&name, &format!("{name}@example.com"))
            .await
            .unwrap();
        let call = receiver.take().pop().expect("a call");

        let secret = signing::signing_secret(app.cx(), &f.pool).await.unwrap();
        let timestamp = &call.headers["x-monban-timestamp"];
        assert_eq!(
            timestamp.parse::<i64>().unwrap(),
            app.clock().now_ms().div_euclid(1000),
            "the service clock"
        );
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
        mac.update(format!("{timestamp}.").as_bytes());
        mac.update(&call.body);
        let hex: String = mac
            .finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(call.headers["x-monban-signature"], format!("v1={hex}"));
        assert_eq!(call.headers["content-type"], "application/json");
        assert!(!call.headers["x-monban-delivery"].is_empty());

        // Another pool signs with another secret.
        let other = Fixture::new(&app, Fixture::lambda(&receiver, &["PreSignUp"])).await;
        let other_secret = signing::signing_secret(app.cx(), &other.pool)
            .await
            .unwrap();
        assert_ne!(secret, other_secret);
    })
    .await;
}

/// A confirmed user with a permanent password and these attributes, made without triggers.
async fn user_with(f: &Fixture<'_>, username: &str, attributes: &[(&str, &str)]) {
    let idp = f.app.idp();
    let mut create = idp
        .admin_create_user()
        .user_pool_id(&f.pool)
        .username(username)
        .message_action(monban_testkit::idp::types::MessageActionType::Suppress);
    for (name, value) in attributes {
        create = create.user_attributes(attr(name, value));
    }
    create.send().await.expect("AdminCreateUser");
    idp.admin_set_user_password()
        .user_pool_id(&f.pool)
        .username(username)
        .password(PASSWORD)
        .permanent(true)
        .send()
        .await
        .expect("AdminSetUserPassword");
}

#[tokio::test]
async fn mfa_codes_go_through_the_message_triggers() {
    use monban_testkit::idp::types::{
        EmailMfaConfigType, EmailMfaSettingsType, SmsConfigurationType, SmsMfaConfigType,
        SmsMfaSettingsType, UserPoolMfaType,
    };
    each_backend(|app| async move {
        let receiver = Receiver::start(rewriting_messages()).await;
        let lambda = Fixture::lambda(&receiver, &["CustomSMSSender", "CustomMessage"]);
        let f = Fixture::new(&app, lambda).await;
        app.idp()
            .set_user_pool_mfa_config()
            .user_pool_id(&f.pool)
            .mfa_configuration(UserPoolMfaType::Optional)
            .sms_mfa_configuration(
                SmsMfaConfigType::builder()
                    .sms_configuration(
                        SmsConfigurationType::builder()
                            .sns_caller_arn("arn:aws:iam::000000000000:role/sns")
                            .build(),
                    )
                    .build(),
            )
            .email_mfa_configuration(EmailMfaConfigType::builder().build())
            .send()
            .await
            .expect("SetUserPoolMfaConfig");
        let name = unique_name("mfa-");
        let email = format!("{name}@example.com");
        user_with(
            &f,
            &name,
            &[
                ("email", &email),
                ("email_verified", "true"),
                ("phone_number", "+15555550177"),
                ("phone_number_verified", "true"),
            ],
        )
        .await;
        let sign_in = || {
            app.unsigned_idp()
                .initiate_auth()
                .client_id(&f.client)
                .auth_flow(AuthFlowType::UserPasswordAuth)
                .auth_parameters("USERNAME", &name)
                .auth_parameters("PASSWORD", PASSWORD)
                .send()
        };
        let answer = |challenge: ChallengeNameType, session: String, key: &str, code: String| {
            app.unsigned_idp()
                .respond_to_auth_challenge()
                .client_id(&f.client)
                .challenge_name(challenge)
                .session(session)
                .challenge_responses("USERNAME", &name)
                .challenge_responses(key, code)
                .send()
        };

        // SMS_MFA: the CustomSMSSender gets the code; no CustomMessage runs for it.
        app.idp()
            .admin_set_user_mfa_preference()
            .user_pool_id(&f.pool)
            .username(&name)
            .sms_mfa_settings(
                SmsMfaSettingsType::builder()
                    .enabled(true)
                    .preferred_mfa(true)
                    .build(),
            )
            .send()
            .await
            .expect("AdminSetUserMFAPreference");
        let out = sign_in().await.expect("InitiateAuth");
        assert_eq!(out.challenge_name, Some(ChallengeNameType::SmsMfa));
        let calls = receiver.wait_for(1).await;
        assert_eq!(
            sources(&calls),
            pairs(&[("CustomSMSSender", "CustomSMSSender_Authentication")])
        );
        let event = &calls[0].event;
        assert_eq!(event["callerContext"], f.caller());
        assert_eq!(event["request"]["type"], "customSMSSenderRequestV1");
        assert_eq!(
            event["request"]["userAttributes"]["phone_number"],
            "+15555550177"
        );
        let code = event["request"]["code"].as_str().unwrap().to_owned();
        let done = answer(
            ChallengeNameType::SmsMfa,
            out.session.unwrap(),
            "SMS_MFA_CODE",
            code,
        )
        .await
        .expect("the sender's code signs in");
        assert!(done.authentication_result.is_some());

        // EMAIL_OTP without a CustomEmailSender: CustomMessage_Authentication writes the mail.
        app.idp()
            .admin_set_user_mfa_preference()
            .user_pool_id(&f.pool)
            .username(&name)
            .email_mfa_settings(
                EmailMfaSettingsType::builder()
                    .enabled(true)
                    .preferred_mfa(true)
                    .build(),
            )
            .send()
            .await
            .expect("AdminSetUserMFAPreference");
        let out = sign_in().await.expect("InitiateAuth");
        assert_eq!(out.challenge_name, Some(ChallengeNameType::EmailOtp));
        let calls = receiver.wait_for(1).await;
        assert_eq!(
            sources(&calls),
            pairs(&[("CustomMessage", "CustomMessage_Authentication")])
        );
        assert_eq!(calls[0].event["callerContext"], f.caller());
        let mail = app.mailer().emails_to(&email);
        let last = mail.last().expect("the EMAIL_OTP mail");
        assert_eq!(last.subject, "[CustomMessage_Authentication] your code");
        assert!(last.body.starts_with("<p>CustomMessage_Authentication: "));
        let code = last_code(&app, &email);
        let done = answer(
            ChallengeNameType::EmailOtp,
            out.session.unwrap(),
            "EMAIL_OTP_CODE",
            code,
        )
        .await
        .expect("the mailed code signs in");
        assert!(done.authentication_result.is_some());
    })
    .await;
}

#[tokio::test]
async fn admin_update_user_attributes_sends_a_code_for_a_new_auto_verified_email() {
    each_backend(|app| async move {
        let receiver = Receiver::start(rewriting_messages()).await;
        let lambda = Fixture::lambda(&receiver, &["CustomMessage"]);
        let f = Fixture::new(&app, lambda).await;
        let name = unique_name("moved-");
        f.confirmed_user(&name, &format!("{name}@example.com"))
            .await;

        let new_email = format!("{name}@new.example.com");
        app.idp()
            .admin_update_user_attributes()
            .user_pool_id(&f.pool)
            .username(&name)
            .user_attributes(attr("email", &new_email))
            .client_metadata("app", "admin")
            .send()
            .await
            .expect("AdminUpdateUserAttributes");
        let calls = receiver.wait_for(1).await;
        assert_eq!(
            sources(&calls),
            pairs(&[("CustomMessage", "CustomMessage_UpdateUserAttribute")])
        );
        assert_eq!(
            calls[0].event["request"]["clientMetadata"],
            json!({"app": "admin"})
        );
        let mail = app.mailer().emails_to(&new_email);
        assert_eq!(mail.len(), 1, "one code to the new address");
        assert_eq!(
            mail[0].subject,
            "[CustomMessage_UpdateUserAttribute] your code"
        );
        let (_, attrs) = f.status(&name).await;
        assert!(attrs.contains(&("email".to_owned(), new_email.clone())));
        assert!(attrs.contains(&("email_verified".to_owned(), "false".to_owned())));

        // The code verifies the new address.
        let (_, access, _) = f.sign_in(&name).await;
        app.unsigned_idp()
            .verify_user_attribute()
            .access_token(access)
            .attribute_name("email")
            .code(last_code(&app, &new_email))
            .send()
            .await
            .expect("VerifyUserAttribute with the admin update's code");
        let (_, attrs) = f.status(&name).await;
        assert!(attrs.contains(&("email_verified".to_owned(), "true".to_owned())));

        // Verified by the request, or not an email change: no code.
        let verified_email = format!("{name}@third.example.com");
        app.idp()
            .admin_update_user_attributes()
            .user_pool_id(&f.pool)
            .username(&name)
            .user_attributes(attr("email", &verified_email))
            .user_attributes(attr("email_verified", "true"))
            .send()
            .await
            .expect("AdminUpdateUserAttributes");
        app.idp()
            .admin_update_user_attributes()
            .user_pool_id(&f.pool)
            .username(&name)
            .user_attributes(attr("name", "Moved"))
            .send()
            .await
            .expect("AdminUpdateUserAttributes");
        assert!(app.mailer().emails_to(&verified_email).is_empty());
        assert!(receiver.take().is_empty(), "no message trigger ran");
    })
    .await;
}

#[tokio::test]
async fn phone_only_password_resets_go_to_the_custom_sms_sender() {
    each_backend(|app| async move {
        let receiver = Receiver::accepting().await;
        let lambda = Fixture::lambda(&receiver, &["CustomSMSSender"]);
        let f = Fixture::verifying(&app, lambda, VerifiedAttributeType::PhoneNumber).await;
        let name = unique_name("phone-");
        user_with(
            &f,
            &name,
            &[
                ("phone_number", "+15555550188"),
                ("phone_number_verified", "true"),
            ],
        )
        .await;

        let details = app
            .unsigned_idp()
            .forgot_password()
            .client_id(&f.client)
            .username(&name)
            .send()
            .await
            .expect("ForgotPassword for a phone-only user")
            .code_delivery_details
            .expect("delivery details");
        assert_eq!(details.delivery_medium, Some(DeliveryMediumType::Sms));
        assert_eq!(details.attribute_name.as_deref(), Some("phone_number"));
        assert_eq!(details.destination.as_deref(), Some("+*******0188"));
        let calls = receiver.wait_for(1).await;
        assert_eq!(
            sources(&calls),
            pairs(&[("CustomSMSSender", "CustomSMSSender_ForgotPassword")])
        );
        let code = calls[0].event["request"]["code"].as_str().unwrap();
        app.unsigned_idp()
            .confirm_forgot_password()
            .client_id(&f.client)
            .username(&name)
            .confirmation_code(code)
            .password("Another-Horse-8")
            .send()
            .await
            .expect("the sender's code resets the password");

        app.idp()
            .admin_reset_user_password()
            .user_pool_id(&f.pool)
            .username(&name)
            .send()
            .await
            .expect("AdminResetUserPassword");
        let calls = receiver.wait_for(1).await;
        assert_eq!(
            sources(&calls),
            pairs(&[("CustomSMSSender", "CustomSMSSender_ForgotPassword")])
        );
        let (status, _) = f.status(&name).await;
        assert_eq!(status, UserStatusType::ResetRequired);

        // Without a sender, a phone-only reset is still refused.
        let plain = Fixture::verifying(
            &app,
            LambdaConfigType::builder().build(),
            VerifiedAttributeType::PhoneNumber,
        )
        .await;
        let other = unique_name("phone-");
        user_with(
            &plain,
            &other,
            &[
                ("phone_number", "+15555550189"),
                ("phone_number_verified", "true"),
            ],
        )
        .await;
        expect_code(
            app.unsigned_idp()
                .forgot_password()
                .client_id(&plain.client)
                .username(&other)
                .send()
                .await,
            "CodeDeliveryFailureException",
        );
    })
    .await;
}

#[tokio::test]
async fn pre_token_generation_after_a_new_password_says_so() {
    each_backend(|app| async move {
        let receiver = Receiver::start(|_, _| Reply::Respond(json!({}))).await;
        let f = Fixture::new(&app, Fixture::lambda(&receiver, &["PreTokenGeneration"])).await;
        let name = unique_name("nora-");
        app.idp()
            .admin_create_user()
            .user_pool_id(&f.pool)
            .username(&name)
            .temporary_password("Temp0rary!pass")
            .message_action(monban_testkit::idp::types::MessageActionType::Suppress)
            .send()
            .await
            .expect("AdminCreateUser");
        let challenge = app
            .unsigned_idp()
            .initiate_auth()
            .client_id(&f.client)
            .auth_flow(AuthFlowType::UserPasswordAuth)
            .auth_parameters("USERNAME", &name)
            .auth_parameters("PASSWORD", "Temp0rary!pass")
            .send()
            .await
            .expect("InitiateAuth");
        assert_eq!(
            challenge.challenge_name,
            Some(ChallengeNameType::NewPasswordRequired)
        );
        assert!(
            receiver.take().is_empty(),
            "no tokens yet, so no PreTokenGeneration"
        );
        app.unsigned_idp()
            .respond_to_auth_challenge()
            .client_id(&f.client)
            .challenge_name(ChallengeNameType::NewPasswordRequired)
            .session(challenge.session.expect("session"))
            .challenge_responses("USERNAME", &name)
            .challenge_responses("NEW_PASSWORD", PASSWORD)
            .send()
            .await
            .expect("RespondToAuthChallenge")
            .authentication_result
            .expect("tokens");
        let calls = receiver.take();
        assert_eq!(calls.len(), 1);
        assert_eq!(
            calls[0].event["triggerSource"],
            "TokenGeneration_NewPasswordChallenge"
        );
    })
    .await;
}
