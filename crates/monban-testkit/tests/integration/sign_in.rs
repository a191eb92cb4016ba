//! Sign-in through the AWS SDK for Rust: InitiateAuth / AdminInitiateAuth with
//! USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, USER_SRP_AUTH (with a client-side SRP
//! computed here) and REFRESH_TOKEN_AUTH; RespondToAuthChallenge /
//! AdminRespondToAuthChallenge with PASSWORD_VERIFIER and NEW_PASSWORD_REQUIRED; client
//! secrets, flows, Cognito's errors, sessions and lockout (with the fake clock).

pub(super) mod srp_client;

use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use monban_core::auth::secret_hash::secret_hash;
use monban_core::auth::srp::render_timestamp;
use monban_core::Clock;
use monban_testkit::idp::error::SdkError;
use monban_testkit::idp::operation::initiate_auth::{InitiateAuthError, InitiateAuthOutput};
use monban_testkit::idp::operation::respond_to_auth_challenge::{
    RespondToAuthChallengeError, RespondToAuthChallengeOutput,
};
use monban_testkit::idp::types::{
    AliasAttributeType, AttributeDataType, AuthFlowType, AuthenticationResultType,
    ChallengeNameType, ExplicitAuthFlowsType, PreventUserExistenceErrorTypes, SchemaAttributeType,
    UserStatusType, UsernameAttributeType, UsernameConfigurationType,
};
use monban_testkit::{each_backend, service_error, unique_name, TestApp};
use serde_json::Value;
use srp_client::{ServerChallenge, SrpClient};

use super::support::{attr, attr_value, create_user, new_pool_id};

const PASSWORD: &str = "Correct-Horse-9";
const TEMPORARY: &str = "Temp-Pass-1";
const NEW_PASSWORD: &str = "Brand-New-Pass-2";
const INCORRECT: &str = "Incorrect username or password.";

type Initiated = Result<InitiateAuthOutput, SdkError<InitiateAuthError>>;
type Responded = Result<RespondToAuthChallengeOutput, SdkError<RespondToAuthChallengeError>>;

/// How the app client under test is made.
#[derive(Clone)]
struct ClientOptions {
    secret: bool,
    prevent_existence_errors: bool,
    flows: Option<Vec<ExplicitAuthFlowsType>>,
    session_minutes: Option<i32>,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            secret: false,
            prevent_existence_errors: false,
            flows: Some(vec![
                ExplicitAuthFlowsType::AllowUserPasswordAuth,
                ExplicitAuthFlowsType::AllowAdminUserPasswordAuth,
                ExplicitAuthFlowsType::AllowUserSrpAuth,
                ExplicitAuthFlowsType::AllowRefreshTokenAuth,
            ]),
            session_minutes: None,
        }
    }
}

/// An app client of a pool, and the calls a client application makes with it.
struct App<'a> {
    app: &'a TestApp,
    pool: String,
    client: String,
    secret: Option<String>,
}

impl<'a> App<'a> {
    async fn new(app: &'a TestApp, pool: &str, options: ClientOptions) -> App<'a> {
        let mut req = app
            .idp()
            .create_user_pool_client()
            .user_pool_id(pool)
            .client_name(unique_name("app-"))
            .generate_secret(options.secret)
            .set_explicit_auth_flows(options.flows)
            .set_auth_session_validity(options.session_minutes);
        if options.prevent_existence_errors {
            req = req.prevent_user_existence_errors(PreventUserExistenceErrorTypes::Enabled);
        }
        let client = req
            .send()
            .await
            .expect("CreateUserPoolClient")
            .user_pool_client
            .expect("client");
        App {
            app,
            pool: pool.to_owned(),
            client: client.client_id.expect("client id"),
            secret: client.client_secret,
        }
    }

    fn hash(&self, username: &str) -> Option<String> {
        self.secret
            .as_deref()
            .map(|secret| secret_hash(secret, username, &self.client))
    }

    fn initiate(
        &self,
        flow: AuthFlowType,
    ) -> monban_testkit::idp::operation::initiate_auth::builders::InitiateAuthFluentBuilder {
        self.app
            .unsigned_idp()
            .initiate_auth()
            .client_id(&self.client)
            .auth_flow(flow)
    }

    async fn sign_in(&self, username: &str, password: &str) -> Initiated {
        let mut req = self
            .initiate(AuthFlowType::UserPasswordAuth)
            .auth_parameters("USERNAME", username)
            .auth_parameters("PASSWORD", password);
        if let Some(hash) = self.hash(username) {
            req = req.auth_parameters("SECRET_HASH", hash);
        }
        req.send().await
    }

    async fn new_password(
        &self,
        session: &str,
        username: &str,
        password: &str,
        attributes: &[(&str, &str)],
    ) -> Responded {
        let mut req = self
            .app
            .unsigned_idp()
            .respond_to_auth_challenge()
            .client_id(&self.client)
            .challenge_name(ChallengeNameType::NewPasswordRequired)
            .session(session)
            .challenge_responses("USERNAME", username)
            .challenge_responses("NEW_PASSWORD", password);
        for (name, value) in attributes {
            req = req.challenge_responses(format!("userAttributes.{name}"), *value);
        }
        if let Some(hash) = self.hash(username) {
            req = req.challenge_responses("SECRET_HASH", hash);
        }
        req.send().await
    }

    /// USER_SRP_AUTH's first step, with the client that made `SRP_A`.
    async fn srp_start(&self, username: &str) -> (SrpClient, Initiated) {
        let srp = SrpClient::new();
        let mut req = self
            .initiate(AuthFlowType::UserSrpAuth)
            .auth_parameters("USERNAME", username)
            .auth_parameters("SRP_A", srp.srp_a());
        if let Some(hash) = self.hash(username) {
            req = req.auth_parameters("SECRET_HASH", hash);
        }
        (srp, req.send().await)
    }

    /// The PASSWORD_VERIFIER answer's responses for `password`, as the SDKs build them
    /// (USERNAME = USER_ID_FOR_SRP, TIMESTAMP of the test's clock).
    fn claim(
        &self,
        srp: &SrpClient,
        challenge: &InitiateAuthOutput,
        password: &str,
    ) -> Vec<(String, String)> {
        assert_eq!(
            challenge.challenge_name(),
            Some(&ChallengeNameType::PasswordVerifier)
        );
        let p = challenge
            .challenge_parameters()
            .expect("challenge parameters");
        let timestamp = render_timestamp(self.app.clock().now_ms());
        let signature = srp.signature(
            &ServerChallenge {
                pool_id: &self.pool,
                user_id_for_srp: &p["USER_ID_FOR_SRP"],
                salt_hex: &p["SALT"],
                srp_b_hex: &p["SRP_B"],
                secret_block: &p["SECRET_BLOCK"],
            },
            password,
            &timestamp,
        );
        let username = p["USER_ID_FOR_SRP"].clone();
        let mut responses = vec![
            ("USERNAME".to_owned(), username.clone()),
            (
                "PASSWORD_CLAIM_SECRET_BLOCK".to_owned(),
                p["SECRET_BLOCK"].clone(),
            ),
            ("PASSWORD_CLAIM_SIGNATURE".to_owned(), signature),
            ("TIMESTAMP".to_owned(), timestamp),
        ];
        if let Some(hash) = self.hash(&username) {
            responses.push(("SECRET_HASH".to_owned(), hash));
        }
        responses
    }

    async fn srp_answer(&self, responses: &[(String, String)], session: Option<&str>) -> Responded {
        let mut req = self
            .app
            .unsigned_idp()
            .respond_to_auth_challenge()
            .client_id(&self.client)
            .challenge_name(ChallengeNameType::PasswordVerifier)
            .set_session(session.map(str::to_owned));
        for (name, value) in responses {
            req = req.challenge_responses(name, value);
        }
        req.send().await
    }

    /// A whole SRP sign-in; `with_session` as amazon-cognito-identity-js does, without as
    /// pycognito does.
    async fn srp_sign_in(&self, username: &str, password: &str, with_session: bool) -> Responded {
        let (srp, started) = self.srp_start(username).await;
        let started = started.expect("USER_SRP_AUTH");
        let responses = self.claim(&srp, &started, password);
        let session = started.session().filter(|_| with_session);
        self.srp_answer(&responses, session).await
    }

    async fn refresh(&self, flow: AuthFlowType, token: &str, hash_user: Option<&str>) -> Initiated {
        let mut req = self.initiate(flow).auth_parameters("REFRESH_TOKEN", token);
        if let Some(hash) = hash_user.and_then(|user| self.hash(user)) {
            req = req.auth_parameters("SECRET_HASH", hash);
        }
        req.send().await
    }
}

/// A CONFIRMED user with `PASSWORD`.
async fn confirmed_user(
    app: &TestApp,
    pool: &str,
    username: &str,
    attrs: &[(&str, &str)],
) -> String {
    let name = create_user(&app.idp(), pool, username, attrs).await;
    app.idp()
        .admin_set_user_password()
        .user_pool_id(pool)
        .username(&name)
        .password(PASSWORD)
        .permanent(true)
        .send()
        .await
        .expect("AdminSetUserPassword");
    name
}

/// An admin-created user (FORCE_CHANGE_PASSWORD) with `TEMPORARY`.
async fn invited_user(app: &TestApp, pool: &str, username: &str, attrs: &[(&str, &str)]) {
    let mut req = app
        .idp()
        .admin_create_user()
        .user_pool_id(pool)
        .username(username)
        .temporary_password(TEMPORARY)
        .message_action(monban_testkit::idp::types::MessageActionType::Suppress);
    for (name, value) in attrs {
        req = req.user_attributes(attr(name, value));
    }
    req.send().await.expect("AdminCreateUser");
}

/// The payload of a JWT.
fn claims(jwt: &str) -> Value {
    let payload = jwt.split('.').nth(1).expect("a JWT");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("base64url")).expect("JSON")
}

/// Asserts a full sign-in result (with a refresh token) for `username`; returns it.
#[track_caller]
fn tokens_for(
    result: Option<&AuthenticationResultType>,
    username: &str,
) -> AuthenticationResultType {
    let result = result.expect("an AuthenticationResult").clone();
    assert_eq!(result.token_type(), Some("Bearer"));
    assert_eq!(result.expires_in(), 3600);
    assert!(result.refresh_token().is_some_and(|t| t.len() >= 20));
    let id = claims(result.id_token().expect("an ID token"));
    assert_eq!(id["cognito:username"], username, "{id}");
    assert_eq!(id["token_use"], "id");
    let access = claims(result.access_token().expect("an access token"));
    assert_eq!(access["username"], username, "{access}");
    result
}

/// Exact type and message: clients match on both.
#[track_caller]
fn assert_error(err: monban_testkit::ServiceError, code: &str, message: &str) {
    assert_eq!((err.code.as_str(), err.message.as_str()), (code, message));
}

async fn status(app: &TestApp, pool: &str, username: &str) -> Option<UserStatusType> {
    app.idp()
        .admin_get_user()
        .user_pool_id(pool)
        .username(username)
        .send()
        .await
        .expect("AdminGetUser")
        .user_status
}

#[tokio::test]
async fn admin_created_user_chooses_a_password_then_gets_tokens() {
    each_backend(|app| async move {
        let pool = app
            .idp()
            .create_user_pool()
            .pool_name(unique_name("invite-"))
            .schema(
                SchemaAttributeType::builder()
                    .name("given_name")
                    .attribute_data_type(AttributeDataType::String)
                    .required(true)
                    .mutable(true)
                    .build(),
            )
            .send()
            .await
            .expect("CreateUserPool")
            .user_pool
            .and_then(|p| p.id)
            .expect("pool id");
        let c = App::new(&app, &pool, ClientOptions::default()).await;
        invited_user(&app, &pool, "newbie", &[("email", "newbie@example.com")]).await;

        let started = c
            .sign_in("newbie", TEMPORARY)
            .await
            .expect("USER_PASSWORD_AUTH");
        assert_eq!(
            started.challenge_name(),
            Some(&ChallengeNameType::NewPasswordRequired)
        );
        assert!(started.authentication_result().is_none());
        let params = started.challenge_parameters().expect("parameters");
        assert_eq!(params["USER_ID_FOR_SRP"], "newbie");
        assert_eq!(
            params["requiredAttributes"],
            r#"["userAttributes.given_name"]"#
        );
        let current: Value = serde_json::from_str(&params["userAttributes"]).unwrap();
        assert_eq!(current["email"], "newbie@example.com");
        let session = started.session().expect("a Session").to_owned();
        assert!((20..=4096).contains(&session.len()));

        // A required attribute left out: refused, and the session is spent.
        assert_error(
            service_error(c.new_password(&session, "newbie", NEW_PASSWORD, &[]).await),
            "InvalidParameterException",
            "Invalid attributes given, given_name is missing",
        );
        assert_error(
            service_error(
                c.new_password(&session, "newbie", NEW_PASSWORD, &[("given_name", "Neo")])
                    .await,
            ),
            "NotAuthorizedException",
            "Invalid session for the user.",
        );

        // The new password is held to the policy.
        let session = c
            .sign_in("newbie", TEMPORARY)
            .await
            .unwrap()
            .session
            .unwrap();
        service_error(
            c.new_password(
                &session,
                "newbie",
                "lowercaseonly1!",
                &[("given_name", "Neo")],
            )
            .await,
        )
        .assert_code("InvalidPasswordException")
        .assert_message_contains("uppercase");

        let session = c
            .sign_in("newbie", TEMPORARY)
            .await
            .unwrap()
            .session
            .unwrap();
        let done = c
            .new_password(&session, "newbie", NEW_PASSWORD, &[("given_name", "Neo")])
            .await
            .expect("NEW_PASSWORD_REQUIRED answered");
        assert!(done.challenge_name().is_none());
        tokens_for(done.authentication_result(), "newbie");

        let user = app
            .idp()
            .admin_get_user()
            .user_pool_id(&pool)
            .username("newbie")
            .send()
            .await
            .unwrap();
        assert_eq!(user.user_status(), Some(&UserStatusType::Confirmed));
        assert_eq!(
            attr_value(user.user_attributes(), "given_name"),
            Some("Neo")
        );

        // The new password works with both flows; the temporary one is gone.
        tokens_for(
            c.sign_in("newbie", NEW_PASSWORD)
                .await
                .unwrap()
                .authentication_result(),
            "newbie",
        );
        tokens_for(
            c.srp_sign_in("newbie", NEW_PASSWORD, true)
                .await
                .expect("SRP with the new password")
                .authentication_result(),
            "newbie",
        );
        assert_error(
            service_error(c.sign_in("newbie", TEMPORARY).await),
            "NotAuthorizedException",
            INCORRECT,
        );
    })
    .await;
}

#[tokio::test]
async fn admin_created_user_can_start_with_srp() {
    each_backend(|app| async move {
        let pool = new_pool_id(&app.idp()).await;
        let c = App::new(&app, &pool, ClientOptions::default()).await;
        invited_user(&app, &pool, "srpnew", &[]).await;
        let answered = c
            .srp_sign_in("srpnew", TEMPORARY, false)
            .await
            .expect("PASSWORD_VERIFIER with the temporary password");
        assert_eq!(
            answered.challenge_name(),
            Some(&ChallengeNameType::NewPasswordRequired)
        );
        assert_eq!(
            answered.challenge_parameters().unwrap()["requiredAttributes"],
            "[]"
        );
        let done = c
            .new_password(answered.session().unwrap(), "srpnew", NEW_PASSWORD, &[])
            .await
            .unwrap();
        tokens_for(done.authentication_result(), "srpnew");
    })
    .await;
}

#[tokio::test]
async fn user_password_auth_gives_tokens() {
    each_backend(|app| async move {
        let pool = new_pool_id(&app.idp()).await;
        let c = App::new(&app, &pool, ClientOptions::default()).await;
        confirmed_user(&app, &pool, "alice", &[]).await;
        let out = c
            .sign_in("alice", PASSWORD)
            .await
            .expect("USER_PASSWORD_AUTH");
        assert!(out.challenge_name().is_none());
        assert!(out.session().is_none());
        assert_eq!(out.challenge_parameters().map(|p| p.len()), Some(0));
        tokens_for(out.authentication_result(), "alice");
        assert_error(
            service_error(c.sign_in("alice", "Wrong-Horse-9").await),
            "NotAuthorizedException",
            INCORRECT,
        );
        assert_error(
            service_error(
                c.initiate(AuthFlowType::UserPasswordAuth)
                    .auth_parameters("PASSWORD", PASSWORD)
                    .send()
                    .await,
            ),
            "InvalidParameterException",
            "Missing required parameter USERNAME",
        );
    })
    .await;
}

#[tokio::test]
async fn admin_user_password_auth_gives_tokens() {
    each_backend(|app| async move {
        let pool = new_pool_id(&app.idp()).await;
        let c = App::new(&app, &pool, ClientOptions::default()).await;
        confirmed_user(&app, &pool, "admin-alice", &[]).await;
        for flow in [
            AuthFlowType::AdminUserPasswordAuth,
            AuthFlowType::AdminNoSrpAuth,
        ] {
            let out = app
                .idp()
                .admin_initiate_auth()
                .user_pool_id(&pool)
                .client_id(&c.client)
                .auth_flow(flow.clone())
                .auth_parameters("USERNAME", "admin-alice")
                .auth_parameters("PASSWORD", PASSWORD)
                .send()
                .await
                .unwrap_or_else(|e| panic!("{flow:?}: {e:?}"));
            tokens_for(out.authentication_result(), "admin-alice");
            // Not through the public API.
            assert_error(
                service_error(
                    c.initiate(flow)
                        .auth_parameters("USERNAME", "admin-alice")
                        .auth_parameters("PASSWORD", PASSWORD)
                        .send()
                        .await,
                ),
                "InvalidParameterException",
                "Initiate Auth method not supported.",
            );
        }
        let err = service_error(
            app.idp()
                .admin_initiate_auth()
                .user_pool_id(&pool)
                .client_id(&c.client)
                .auth_flow(AuthFlowType::AdminUserPasswordAuth)
                .auth_parameters("USERNAME", "admin-alice")
                .auth_parameters("PASSWORD", "Wrong-Horse-9")
                .send()
                .await,
        );
        assert_error(err, "NotAuthorizedException", INCORRECT);
    })
    .await;
}

#[tokio::test]
async fn srp_sign_in_with_and_without_session() {
    each_backend(|app| async move {
        let pool = new_pool_id(&app.idp()).await;
        let c = App::new(&app, &pool, ClientOptions::default()).await;
        confirmed_user(&app, &pool, "srp-user", &[]).await;

        let (srp, started) = c.srp_start("srp-user").await;
        let started = started.expect("USER_SRP_AUTH");
        let p = started.challenge_parameters().unwrap();
        assert_eq!(p["USERNAME"], "srp-user");
        assert_eq!(p["USER_ID_FOR_SRP"], "srp-user");
        for name in ["SALT", "SRP_B", "SECRET_BLOCK"] {
            assert!(!p[name].is_empty(), "{name}");
        }
        let session = started.session().expect("a Session").to_owned();
        assert!((20..=4096).contains(&session.len()));
        let responses = c.claim(&srp, &started, PASSWORD);
        let done = c
            .srp_answer(&responses, Some(&session))
            .await
            .expect("with Session");
        tokens_for(done.authentication_result(), "srp-user");

        // The same proof again: the SECRET_BLOCK works once, with or without the Session.
        for again in [Some(session.as_str()), None] {
            assert_error(
                service_error(c.srp_answer(&responses, again).await),
                "NotAuthorizedException",
                "Invalid session for the user.",
            );
        }

        // pycognito sends no Session.
        let done = c
            .srp_sign_in("srp-user", PASSWORD, false)
            .await
            .expect("without Session");
        tokens_for(done.authentication_result(), "srp-user");

        // A Session that belongs to another challenge.
        let (srp, first) = c.srp_start("srp-user").await;
        let (_, second) = c.srp_start("srp-user").await;
        let first = first.unwrap();
        let responses = c.claim(&srp, &first, PASSWORD);
        assert_error(
            service_error(c.srp_answer(&responses, second.unwrap().session()).await),
            "NotAuthorizedException",
            "Invalid session for the user.",
        );

        assert_error(
            service_error(c.srp_sign_in("srp-user", "Wrong-Horse-9", true).await),
            "NotAuthorizedException",
            INCORRECT,
        );

        // The admin API runs the same exchange.
        let srp = SrpClient::new();
        let started = app
            .idp()
            .admin_initiate_auth()
            .user_pool_id(&pool)
            .client_id(&c.client)
            .auth_flow(AuthFlowType::UserSrpAuth)
            .auth_parameters("USERNAME", "srp-user")
            .auth_parameters("SRP_A", srp.srp_a())
            .send()
            .await
            .expect("AdminInitiateAuth USER_SRP_AUTH");
        let as_public = InitiateAuthOutput::builder()
            .challenge_name(started.challenge_name().unwrap().clone())
            .set_challenge_parameters(started.challenge_parameters.clone())
            .build();
        let mut req = app
            .idp()
            .admin_respond_to_auth_challenge()
            .user_pool_id(&pool)
            .client_id(&c.client)
            .challenge_name(ChallengeNameType::PasswordVerifier);
        for (name, value) in c.claim(&srp, &as_public, PASSWORD) {
            req = req.challenge_responses(name, value);
        }
        let done = req.send().await.expect("AdminRespondToAuthChallenge");
        tokens_for(done.authentication_result(), "srp-user");
    })
    .await;
}

#[tokio::test]
async fn refresh_token_auth_gives_new_tokens() {
    each_backend(|app| async move {
        let pool = new_pool_id(&app.idp()).await;
        let c = App::new(&app, &pool, ClientOptions::default()).await;
        confirmed_user(&app, &pool, "refresher", &[]).await;
        let signed_in = c.sign_in("refresher", PASSWORD).await.unwrap();
        let first = tokens_for(signed_in.authentication_result(), "refresher");
        let refresh_token = first.refresh_token().unwrap();
        app.clock().advance(Duration::from_secs(60));
        for flow in [AuthFlowType::RefreshTokenAuth, AuthFlowType::RefreshToken] {
            let out = c.refresh(flow, refresh_token, None).await.expect("refresh");
            let result = out.authentication_result().expect("tokens");
            assert!(result.refresh_token().is_none());
            let access = claims(result.access_token().unwrap());
            assert_eq!(access["username"], "refresher");
            assert_ne!(result.access_token(), first.access_token());
        }
        assert_error(
            service_error(
                c.refresh(AuthFlowType::RefreshTokenAuth, "not-a-token", None)
                    .await,
            ),
            "NotAuthorizedException",
            "Invalid Refresh Token",
        );
        // Through the admin API too.
        let out = app
            .idp()
            .admin_initiate_auth()
            .user_pool_id(&pool)
            .client_id(&c.client)
            .auth_flow(AuthFlowType::RefreshTokenAuth)
            .auth_parameters("REFRESH_TOKEN", refresh_token)
            .send()
            .await
            .expect("admin refresh");
        assert!(out
            .authentication_result()
            .and_then(|r| r.access_token())
            .is_some());
    })
    .await;
}

#[tokio::test]
async fn sign_in_by_alias_and_in_any_case() {
    each_backend(|app| async move {
        let pool = app
            .idp()
            .create_user_pool()
            .pool_name(unique_name("alias-"))
            .alias_attributes(AliasAttributeType::Email)
            .alias_attributes(AliasAttributeType::PreferredUsername)
            .username_configuration(
                UsernameConfigurationType::builder()
                    .case_sensitive(false)
                    .build()
                    .unwrap(),
            )
            .send()
            .await
            .unwrap()
            .user_pool
            .and_then(|p| p.id)
            .unwrap();
        let c = App::new(&app, &pool, ClientOptions::default()).await;
        confirmed_user(
            &app,
            &pool,
            "Alice",
            &[
                ("email", "Alice@Example.com"),
                ("email_verified", "true"),
                ("preferred_username", "Ally"),
            ],
        )
        .await;
        confirmed_user(
            &app,
            &pool,
            "bob",
            &[("email", "bob@example.com"), ("email_verified", "false")],
        )
        .await;
        for name in [
            "Alice",
            "alice",
            "ALICE",
            "alice@example.com",
            "ALICE@EXAMPLE.COM",
            "ally",
        ] {
            let out = c
                .sign_in(name, PASSWORD)
                .await
                .unwrap_or_else(|e| panic!("{name}: {e:?}"));
            tokens_for(out.authentication_result(), "Alice");
        }
        // SRP announces the internal username, which the proof is made with.
        let (srp, started) = c.srp_start("ALICE@example.com").await;
        let started = started.unwrap();
        let p = started.challenge_parameters().unwrap();
        assert_eq!(p["USER_ID_FOR_SRP"], "Alice");
        assert_eq!(p["USERNAME"], "Alice");
        let responses = c.claim(&srp, &started, PASSWORD);
        tokens_for(
            c.srp_answer(&responses, started.session())
                .await
                .unwrap()
                .authentication_result(),
            "Alice",
        );
        // An unverified email is no alias.
        assert_error(
            service_error(c.sign_in("bob@example.com", PASSWORD).await),
            "UserNotFoundException",
            "User does not exist.",
        );
        tokens_for(
            c.sign_in("BOB", PASSWORD)
                .await
                .unwrap()
                .authentication_result(),
            "bob",
        );

        // A case-sensitive pool (the API default) tells names apart.
        let strict = new_pool_id(&app.idp()).await;
        let s = App::new(&app, &strict, ClientOptions::default()).await;
        confirmed_user(&app, &strict, "Carol", &[]).await;
        assert_error(
            service_error(s.sign_in("carol", PASSWORD).await),
            "UserNotFoundException",
            "User does not exist.",
        );
        tokens_for(
            s.sign_in("Carol", PASSWORD)
                .await
                .unwrap()
                .authentication_result(),
            "Carol",
        );
    })
    .await;
}

#[tokio::test]
async fn sign_in_with_an_email_as_username() {
    each_backend(|app| async move {
        let pool = app
            .idp()
            .create_user_pool()
            .pool_name(unique_name("email-"))
            .username_attributes(UsernameAttributeType::Email)
            .send()
            .await
            .unwrap()
            .user_pool
            .and_then(|p| p.id)
            .unwrap();
        let c = App::new(&app, &pool, ClientOptions::default()).await;
        let internal = confirmed_user(&app, &pool, "dave@example.com", &[]).await;
        assert!(uuid::Uuid::parse_str(&internal).is_ok(), "{internal}");
        tokens_for(
            c.sign_in("dave@example.com", PASSWORD)
                .await
                .unwrap()
                .authentication_result(),
            &internal,
        );
        let (srp, started) = c.srp_start("dave@example.com").await;
        let started = started.unwrap();
        assert_eq!(
            started.challenge_parameters().unwrap()["USER_ID_FOR_SRP"],
            internal
        );
        let responses = c.claim(&srp, &started, PASSWORD);
        tokens_for(
            c.srp_answer(&responses, None)
                .await
                .unwrap()
                .authentication_result(),
            &internal,
        );
    })
    .await;
}

#[tokio::test]
async fn flows_must_be_enabled_for_the_client() {
    each_backend(|app| async move {
        let pool = new_pool_id(&app.idp()).await;
        confirmed_user(&app, &pool, "erin", &[]).await;
        // Cognito's default flows: SRP, refresh and custom.
        let default = App::new(
            &app,
            &pool,
            ClientOptions {
                flows: None,
                ..ClientOptions::default()
            },
        )
        .await;
        assert_error(
            service_error(default.sign_in("erin", PASSWORD).await),
            "InvalidParameterException",
            "USER_PASSWORD_AUTH flow not enabled for this client",
        );
        tokens_for(
            default
                .srp_sign_in("erin", PASSWORD, true)
                .await
                .unwrap()
                .authentication_result(),
            "erin",
        );
        assert_error(
            service_error(
                app.idp()
                    .admin_initiate_auth()
                    .user_pool_id(&pool)
                    .client_id(&default.client)
                    .auth_flow(AuthFlowType::AdminUserPasswordAuth)
                    .auth_parameters("USERNAME", "erin")
                    .auth_parameters("PASSWORD", PASSWORD)
                    .send()
                    .await,
            ),
            "InvalidParameterException",
            "ADMIN_USER_PASSWORD_AUTH flow not enabled for this client",
        );
        // Enabled, but the pool has no challenge functions (custom_auth.rs runs the flow).
        assert_error(
            service_error(
                default
                    .initiate(AuthFlowType::CustomAuth)
                    .auth_parameters("USERNAME", "erin")
                    .send()
                    .await,
            ),
            "InvalidParameterException",
            "Custom auth lambda trigger is not configured for the user pool.",
        );

        let password_only = App::new(
            &app,
            &pool,
            ClientOptions {
                flows: Some(vec![ExplicitAuthFlowsType::AllowUserPasswordAuth]),
                ..ClientOptions::default()
            },
        )
        .await;
        let (_, started) = password_only.srp_start("erin").await;
        assert_error(
            service_error(started),
            "InvalidParameterException",
            "USER_SRP_AUTH flow not enabled for this client",
        );
        assert_error(
            service_error(
                password_only
                    .refresh(AuthFlowType::RefreshTokenAuth, "whatever-token", None)
                    .await,
            ),
            "InvalidParameterException",
            "REFRESH_TOKEN_AUTH flow not enabled for this client",
        );
    })
    .await;
}

#[tokio::test]
async fn secret_hash_is_required_checked_and_refused_when_unexpected() {
    each_backend(|app| async move {
        let pool = new_pool_id(&app.idp()).await;
        let c = App::new(
            &app,
            &pool,
            ClientOptions {
                secret: true,
                ..ClientOptions::default()
            },
        )
        .await;
        let id = c.client.clone();
        confirmed_user(&app, &pool, "frank", &[]).await;
        let without = c
            .initiate(AuthFlowType::UserPasswordAuth)
            .auth_parameters("USERNAME", "frank")
            .auth_parameters("PASSWORD", PASSWORD)
            .send()
            .await;
        assert_error(
            service_error(without),
            "NotAuthorizedException",
            &format!("Client {id} is configured with secret but SECRET_HASH was not received"),
        );
        let wrong = c
            .initiate(AuthFlowType::UserPasswordAuth)
            .auth_parameters("USERNAME", "frank")
            .auth_parameters("PASSWORD", PASSWORD)
            .auth_parameters("SECRET_HASH", secret_hash("not-the-secret", "frank", &id))
            .send()
            .await;
        assert_error(
            service_error(wrong),
            "NotAuthorizedException",
            &format!("Unable to verify secret hash for client {id}"),
        );
        let signed_in = c
            .sign_in("frank", PASSWORD)
            .await
            .expect("with SECRET_HASH");
        let result = tokens_for(signed_in.authentication_result(), "frank");
        // SRP: SECRET_HASH over the typed name first, then over USERNAME.
        tokens_for(
            c.srp_sign_in("frank", PASSWORD, true)
                .await
                .unwrap()
                .authentication_result(),
            "frank",
        );
        // Refresh: over the internal username.
        let refreshed = c
            .refresh(
                AuthFlowType::RefreshTokenAuth,
                result.refresh_token().unwrap(),
                Some("frank"),
            )
            .await
            .expect("refresh with SECRET_HASH");
        assert!(refreshed.authentication_result().is_some());

        // A client without a secret refuses a SECRET_HASH.
        let public = App::new(&app, &pool, ClientOptions::default()).await;
        let unexpected = public
            .initiate(AuthFlowType::UserPasswordAuth)
            .auth_parameters("USERNAME", "frank")
            .auth_parameters("PASSWORD", PASSWORD)
            .auth_parameters("SECRET_HASH", secret_hash("x", "frank", &public.client))
            .send()
            .await;
        assert_error(
            service_error(unexpected),
            "InvalidParameterException",
            &format!(
                "Client {} is not configured for secret but secret hash was received",
                public.client
            ),
        );
    })
    .await;
}

#[tokio::test]
async fn account_states_are_cognito_errors() {
    each_backend(|app| async move {
        let pool = new_pool_id(&app.idp()).await;
        let c = App::new(&app, &pool, ClientOptions::default()).await;
        let legacy = "User does not exist.";
        assert_error(
            service_error(c.sign_in("nobody", PASSWORD).await),
            "UserNotFoundException",
            legacy,
        );
        assert_error(
            service_error(c.srp_start("nobody").await.1),
            "UserNotFoundException",
            legacy,
        );

        confirmed_user(&app, &pool, "disabled", &[]).await;
        app.idp()
            .admin_disable_user()
            .user_pool_id(&pool)
            .username("disabled")
            .send()
            .await
            .unwrap();
        assert_error(
            service_error(c.sign_in("disabled", PASSWORD).await),
            "NotAuthorizedException",
            "User is disabled.",
        );
        assert_error(
            service_error(c.srp_sign_in("disabled", PASSWORD, true).await),
            "NotAuthorizedException",
            "User is disabled.",
        );

        confirmed_user(&app, &pool, "unconfirmed", &[]).await;
        set_status(&app, &pool, "unconfirmed", UserStatusType::Unconfirmed).await;
        assert_error(
            service_error(c.sign_in("unconfirmed", PASSWORD).await),
            "UserNotConfirmedException",
            "User is not confirmed.",
        );

        confirmed_user(
            &app,
            &pool,
            "reset",
            &[("email", "reset@example.com"), ("email_verified", "true")],
        )
        .await;
        app.idp()
            .admin_reset_user_password()
            .user_pool_id(&pool)
            .username("reset")
            .send()
            .await
            .expect("AdminResetUserPassword");
        assert_eq!(
            status(&app, &pool, "reset").await,
            Some(UserStatusType::ResetRequired)
        );
        assert_error(
            service_error(c.sign_in("reset", PASSWORD).await),
            "PasswordResetRequiredException",
            "Password reset required for the user",
        );
        assert_error(
            service_error(c.srp_sign_in("reset", PASSWORD, false).await),
            "PasswordResetRequiredException",
            "Password reset required for the user",
        );

        // Temporary passwords last the pool's TemporaryPasswordValidityDays (7 by default).
        invited_user(&app, &pool, "late", &[]).await;
        app.clock().advance(Duration::from_secs(7 * 86_400));
        assert_error(
            service_error(c.sign_in("late", TEMPORARY).await),
            "NotAuthorizedException",
            "Temporary password has expired and must be reset by an administrator.",
        );
        app.idp()
            .admin_set_user_password()
            .user_pool_id(&pool)
            .username("late")
            .password(TEMPORARY)
            .permanent(false)
            .send()
            .await
            .unwrap();
        let again = c
            .sign_in("late", TEMPORARY)
            .await
            .expect("a fresh temporary password");
        assert_eq!(
            again.challenge_name(),
            Some(&ChallengeNameType::NewPasswordRequired)
        );

        // An MFA answer with a Session no challenge issued is refused.
        let unknown_session = app
            .unsigned_idp()
            .respond_to_auth_challenge()
            .client_id(&c.client)
            .challenge_name(ChallengeNameType::SmsMfa)
            .challenge_responses("USERNAME", "late")
            .challenge_responses("SMS_MFA_CODE", "123456")
            .session("s".repeat(64))
            .send()
            .await;
        service_error(unknown_session)
            .assert_code("NotAuthorizedException")
            .assert_message_contains("Invalid session");
    })
    .await;
}

/// Changes a user's status behind the API's back (no operation makes an UNCONFIRMED user
/// from an admin-created one).
async fn set_status(app: &TestApp, pool: &str, username: &str, status: UserStatusType) {
    let store = &app.cx().store;
    let mut user = store
        .get_user_by_key(pool, &format!("u:{username}"))
        .await
        .unwrap()
        .expect("user");
    user.status = monban_core::wire::idp::UserStatusType::parse(status.as_str()).unwrap();
    store.update_user(&user).await.unwrap();
}

#[tokio::test]
async fn prevent_user_existence_errors_hides_unknown_users() {
    each_backend(|app| async move {
        let pool = new_pool_id(&app.idp()).await;
        let c = App::new(
            &app,
            &pool,
            ClientOptions {
                prevent_existence_errors: true,
                ..ClientOptions::default()
            },
        )
        .await;
        confirmed_user(&app, &pool, "grace", &[]).await;
        for name in ["nobody", "grace"] {
            assert_error(
                service_error(c.sign_in(name, "Wrong-Horse-9").await),
                "NotAuthorizedException",
                INCORRECT,
            );
        }
        // SRP: a simulated challenge, the same each time for the same name.
        let (_, first) = c.srp_start("nobody").await;
        let (srp, second) = c.srp_start("nobody").await;
        let (first, second) = (first.unwrap(), second.unwrap());
        let (p1, p2) = (
            first.challenge_parameters().unwrap(),
            second.challenge_parameters().unwrap(),
        );
        assert_eq!(
            second.challenge_name(),
            Some(&ChallengeNameType::PasswordVerifier)
        );
        assert_eq!(p1["SALT"], p2["SALT"]);
        assert_eq!(p1["USER_ID_FOR_SRP"], p2["USER_ID_FOR_SRP"]);
        assert_ne!(p1["SRP_B"], p2["SRP_B"]);
        let (_, other) = c.srp_start("someone-else").await;
        assert_ne!(
            other.unwrap().challenge_parameters().unwrap()["SALT"],
            p1["SALT"]
        );
        let responses = c.claim(&srp, &second, PASSWORD);
        assert_error(
            service_error(c.srp_answer(&responses, second.session()).await),
            "NotAuthorizedException",
            INCORRECT,
        );
        // A real user's wrong proof reads the same.
        assert_error(
            service_error(c.srp_sign_in("grace", "Wrong-Horse-9", true).await),
            "NotAuthorizedException",
            INCORRECT,
        );
    })
    .await;
}

#[tokio::test]
async fn sessions_expire_and_work_once() {
    each_backend(|app| async move {
        let pool = new_pool_id(&app.idp()).await;
        let c = App::new(&app, &pool, ClientOptions::default()).await;
        invited_user(&app, &pool, "henry", &[]).await;
        confirmed_user(&app, &pool, "irene", &[]).await;
        let expired = "Invalid session for the user, session is expired.";

        // NEW_PASSWORD_REQUIRED: 3 minutes by default.
        let session = c
            .sign_in("henry", TEMPORARY)
            .await
            .unwrap()
            .session
            .unwrap();
        app.clock().advance(Duration::from_secs(180));
        assert_error(
            service_error(c.new_password(&session, "henry", NEW_PASSWORD, &[]).await),
            "NotAuthorizedException",
            expired,
        );
        // A Session nobody issued.
        assert_error(
            service_error(
                c.new_password(&"x".repeat(64), "henry", NEW_PASSWORD, &[])
                    .await,
            ),
            "NotAuthorizedException",
            "Invalid session for the user.",
        );

        // PASSWORD_VERIFIER: the SECRET_BLOCK expires the same way.
        let (srp, started) = c.srp_start("irene").await;
        let started = started.unwrap();
        app.clock().advance(Duration::from_secs(180));
        let responses = c.claim(&srp, &started, PASSWORD);
        assert_error(
            service_error(c.srp_answer(&responses, None).await),
            "NotAuthorizedException",
            expired,
        );

        // The client's AuthSessionValidity sets the lifetime.
        let patient = App::new(
            &app,
            &pool,
            ClientOptions {
                session_minutes: Some(15),
                ..ClientOptions::default()
            },
        )
        .await;
        let session = patient
            .sign_in("henry", TEMPORARY)
            .await
            .unwrap()
            .session
            .unwrap();
        app.clock().advance(Duration::from_secs(14 * 60));
        let done = patient
            .new_password(&session, "henry", NEW_PASSWORD, &[])
            .await
            .expect("within 15 minutes");
        tokens_for(done.authentication_result(), "henry");
        // And it worked once.
        assert_error(
            service_error(
                patient
                    .new_password(&session, "henry", NEW_PASSWORD, &[])
                    .await,
            ),
            "NotAuthorizedException",
            "Invalid session for the user.",
        );
    })
    .await;
}

#[tokio::test]
async fn repeated_failures_lock_the_user_out_with_growing_delays() {
    each_backend(|app| async move {
        let pool = new_pool_id(&app.idp()).await;
        let c = App::new(&app, &pool, ClientOptions::default()).await;
        confirmed_user(&app, &pool, "jack", &[]).await;
        let wrong = "Wrong-Horse-9";
        let exceeded = "Password attempts exceeded";
        let second = Duration::from_secs(1);

        for _ in 0..5 {
            assert_error(
                service_error(c.sign_in("jack", wrong).await),
                "NotAuthorizedException",
                INCORRECT,
            );
        }
        // The 5th failure locks for 1 s, even against the right password.
        assert_error(
            service_error(c.sign_in("jack", PASSWORD).await),
            "NotAuthorizedException",
            exceeded,
        );
        app.clock().advance(second);
        // The 6th failure locks for 2 s; attempts meanwhile do not extend it.
        service_error(c.sign_in("jack", wrong).await).assert_code("NotAuthorizedException");
        app.clock().advance(second);
        assert_error(
            service_error(c.sign_in("jack", PASSWORD).await),
            "NotAuthorizedException",
            exceeded,
        );
        assert_error(
            service_error(c.srp_sign_in("jack", PASSWORD, true).await),
            "NotAuthorizedException",
            exceeded,
        );
        app.clock().advance(second);
        tokens_for(
            c.sign_in("jack", PASSWORD)
                .await
                .unwrap()
                .authentication_result(),
            "jack",
        );

        // A success forgets the failures: four more are free again.
        for _ in 0..4 {
            assert_error(
                service_error(c.sign_in("jack", wrong).await),
                "NotAuthorizedException",
                INCORRECT,
            );
        }
        tokens_for(
            c.sign_in("jack", PASSWORD)
                .await
                .unwrap()
                .authentication_result(),
            "jack",
        );

        // SRP failures count too.
        for _ in 0..5 {
            assert_error(
                service_error(c.srp_sign_in("jack", wrong, false).await),
                "NotAuthorizedException",
                INCORRECT,
            );
        }
        assert_error(
            service_error(c.sign_in("jack", PASSWORD).await),
            "NotAuthorizedException",
            exceeded,
        );

        // Fifteen quiet minutes after the lockout forget them.
        app.clock().advance(second + Duration::from_secs(15 * 60));
        service_error(c.sign_in("jack", wrong).await).assert_code("NotAuthorizedException");
        tokens_for(
            c.sign_in("jack", PASSWORD)
                .await
                .unwrap()
                .authentication_result(),
            "jack",
        );
    })
    .await;
}

#[tokio::test]
async fn an_attacker_cannot_lock_a_user_out_beyond_the_cap() {
    each_backend(|app| async move {
        let pool = new_pool_id(&app.idp()).await;
        let c = App::new(&app, &pool, ClientOptions::default()).await;
        confirmed_user(&app, &pool, "kate", &[]).await;
        // Fail as soon as each lockout ends: 1 s, 2 s, ... then the 15-minute cap.
        let mut lockout = Duration::ZERO;
        for n in 1..=20u32 {
            app.clock().advance(lockout);
            assert_error(
                service_error(c.sign_in("kate", "Wrong-Horse-9").await),
                "NotAuthorizedException",
                INCORRECT,
            );
            lockout = if n < 5 {
                Duration::ZERO
            } else {
                Duration::from_secs(2u64.pow(n - 5)).min(Duration::from_secs(900))
            };
        }
        assert_eq!(lockout, Duration::from_secs(900));
        app.clock().advance(Duration::from_secs(899));
        service_error(c.sign_in("kate", PASSWORD).await)
            .assert_message_contains("Password attempts exceeded");
        app.clock().advance(Duration::from_secs(1));
        tokens_for(
            c.sign_in("kate", PASSWORD)
                .await
                .unwrap()
                .authentication_result(),
            "kate",
        );
    })
    .await;
}
