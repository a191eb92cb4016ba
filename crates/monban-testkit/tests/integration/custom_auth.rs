//! Custom authentication (CUSTOM_AUTH with DefineAuthChallenge / CreateAuthChallenge /
//! VerifyAuthChallengeResponse) and the sign-in triggers (PreAuthentication,
//! PostAuthentication, UserMigration) through the AWS SDK for Rust, with a webhook receiver
//! (the testkit's [`Receiver`]) playing the application and checking the exact events it
//! receives.
//!
//! The worked example of the README is [`secret_question`]: the application keeps each
//! user's secret question and answer; CreateAuthChallenge asks the question,
//! VerifyAuthChallengeResponse checks the answer, DefineAuthChallenge allows three tries.

use std::collections::HashMap;

use monban_core::auth::srp::render_timestamp;
use monban_core::Clock;
use monban_testkit::idp::error::SdkError;
use monban_testkit::idp::operation::initiate_auth::{InitiateAuthError, InitiateAuthOutput};
use monban_testkit::idp::operation::respond_to_auth_challenge::{
    RespondToAuthChallengeError, RespondToAuthChallengeOutput,
};
use monban_testkit::idp::types::{
    AuthFlowType, ChallengeNameType, ExplicitAuthFlowsType, LambdaConfigType,
    PreventUserExistenceErrorTypes, UserStatusType,
};
use monban_testkit::webhook::{Call, Receiver, Reply};
use monban_testkit::{each_backend, service_error, unique_name, ServiceError, TestApp};
use serde_json::{json, Value};

use super::sign_in::srp_client::{ServerChallenge, SrpClient};
use super::support::{attr_value, create_user};

const PASSWORD: &str = "Correct-Horse-9";
const INCORRECT: &str = "Incorrect username or password.";

type Initiated = Result<InitiateAuthOutput, SdkError<InitiateAuthError>>;
type Responded = Result<RespondToAuthChallengeOutput, SdkError<RespondToAuthChallengeError>>;

/// A pool whose `LambdaConfig` points the named triggers at the receiver, and an app
/// client that allows every password and custom flow.
pub(super) struct Fixture<'a> {
    app: &'a TestApp,
    pool: String,
    client: String,
}

impl<'a> Fixture<'a> {
    pub(super) async fn new(
        app: &'a TestApp,
        receiver: &Receiver,
        triggers: &[&str],
        prevent_existence_errors: bool,
    ) -> Fixture<'a> {
        let mut lambda = LambdaConfigType::builder();
        for trigger in triggers {
            let url = receiver.url(trigger);
            lambda = match *trigger {
                "PreAuthentication" => lambda.pre_authentication(url),
                "PostAuthentication" => lambda.post_authentication(url),
                "DefineAuthChallenge" => lambda.define_auth_challenge(url),
                "CreateAuthChallenge" => lambda.create_auth_challenge(url),
                "VerifyAuthChallengeResponse" => lambda.verify_auth_challenge_response(url),
                "UserMigration" => lambda.user_migration(url),
                other => panic!("no trigger {other} in this test"),
            };
        }
        let pool = app
            .idp()
            .create_user_pool()
            .pool_name(unique_name("custom-"))
            .lambda_config(lambda.build())
            .send()
            .await
            .expect("CreateUserPool")
            .user_pool
            .and_then(|p| p.id)
            .expect("pool id");
        let mut req = app
            .idp()
            .create_user_pool_client()
            .user_pool_id(&pool)
            .client_name(unique_name("app-"))
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowCustomAuth)
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserSrpAuth)
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowAdminUserPasswordAuth)
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth);
        if prevent_existence_errors {
            req = req.prevent_user_existence_errors(PreventUserExistenceErrorTypes::Enabled);
        }
        let client = req
            .send()
            .await
            .expect("CreateUserPoolClient")
            .user_pool_client
            .and_then(|c| c.client_id)
            .expect("client id");
        Fixture { app, pool, client }
    }

    /// The same pool and client, through another node.
    pub(super) fn on<'b>(&self, app: &'b TestApp) -> Fixture<'b> {
        Fixture {
            app,
            pool: self.pool.clone(),
            client: self.client.clone(),
        }
    }

    /// A CONFIRMED user with `PASSWORD` and a verified email; returns its `sub`.
    pub(super) async fn user(&self, username: &str) -> String {
        let email = format!("{username}@example.com");
        create_user(
            &self.app.idp(),
            &self.pool,
            username,
            &[("email", &email), ("email_verified", "true")],
        )
        .await;
        self.app
            .idp()
            .admin_set_user_password()
            .user_pool_id(&self.pool)
            .username(username)
            .password(PASSWORD)
            .permanent(true)
            .send()
            .await
            .expect("AdminSetUserPassword");
        self.sub(username).await
    }

    async fn sub(&self, username: &str) -> String {
        let user = self
            .app
            .idp()
            .admin_get_user()
            .user_pool_id(&self.pool)
            .username(username)
            .send()
            .await
            .expect("AdminGetUser");
        attr_value(user.user_attributes(), "sub")
            .expect("sub")
            .to_owned()
    }

    /// `request.userAttributes` of a user made by [`Fixture::user`].
    fn attributes(username: &str, sub: &str) -> Value {
        json!({
            "sub": sub,
            "email": format!("{username}@example.com"),
            "email_verified": "true",
            "cognito:user_status": "CONFIRMED",
        })
    }

    /// The event Cognito would send for `source` about `user_name`.
    fn event(&self, source: &str, user_name: &str, request: Value) -> Value {
        json!({
            "version": "1",
            "triggerSource": source,
            "region": "us-east-1",
            "userPoolId": self.pool,
            "userName": user_name,
            "callerContext": {"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": self.client},
            "request": request,
            "response": {},
        })
    }

    fn initiate(
        &self,
        flow: AuthFlowType,
        username: &str,
    ) -> monban_testkit::idp::operation::initiate_auth::builders::InitiateAuthFluentBuilder {
        self.app
            .unsigned_idp()
            .initiate_auth()
            .client_id(&self.client)
            .auth_flow(flow)
            .auth_parameters("USERNAME", username)
    }

    pub(super) async fn custom_start(&self, username: &str) -> Initiated {
        self.initiate(AuthFlowType::CustomAuth, username)
            .client_metadata("origin", "web")
            .send()
            .await
    }

    pub(super) async fn answer(&self, session: &str, username: &str, answer: &str) -> Responded {
        self.app
            .unsigned_idp()
            .respond_to_auth_challenge()
            .client_id(&self.client)
            .challenge_name(ChallengeNameType::CustomChallenge)
            .session(session)
            .challenge_responses("USERNAME", username)
            .challenge_responses("ANSWER", answer)
            .client_metadata("step", "answer")
            .send()
            .await
    }

    async fn password_sign_in(&self, username: &str, password: &str) -> Initiated {
        self.initiate(AuthFlowType::UserPasswordAuth, username)
            .auth_parameters("PASSWORD", password)
            .client_metadata("origin", "web")
            .send()
            .await
    }

    /// The PASSWORD_VERIFIER answer to `challenge` for `password`, as the SDKs build it.
    fn claim(
        &self,
        srp: &SrpClient,
        challenge: &InitiateAuthOutput,
        password: &str,
    ) -> Vec<(String, String)> {
        assert_eq!(
            challenge.challenge_name(),
            Some(&ChallengeNameType::PasswordVerifier),
            "{challenge:?}"
        );
        let p = challenge.challenge_parameters().expect("parameters");
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
        vec![
            ("USERNAME".to_owned(), p["USER_ID_FOR_SRP"].clone()),
            (
                "PASSWORD_CLAIM_SECRET_BLOCK".to_owned(),
                p["SECRET_BLOCK"].clone(),
            ),
            ("PASSWORD_CLAIM_SIGNATURE".to_owned(), signature),
            ("TIMESTAMP".to_owned(), timestamp),
        ]
    }

    async fn password_verifier(
        &self,
        responses: &[(String, String)],
        session: Option<&str>,
    ) -> Responded {
        let mut req = self
            .app
            .unsigned_idp()
            .respond_to_auth_challenge()
            .client_id(&self.client)
            .challenge_name(ChallengeNameType::PasswordVerifier)
            .set_session(session.map(str::to_owned))
            .client_metadata("step", "password");
        for (name, value) in responses {
            req = req.challenge_responses(name, value);
        }
        req.send().await
    }

    /// A whole USER_SRP_AUTH sign-in.
    async fn srp_sign_in(&self, username: &str, password: &str) -> Responded {
        let srp = SrpClient::new();
        let started = self
            .initiate(AuthFlowType::UserSrpAuth, username)
            .auth_parameters("SRP_A", srp.srp_a())
            .send()
            .await
            .expect("USER_SRP_AUTH");
        let responses = self.claim(&srp, &started, password);
        self.password_verifier(&responses, started.session()).await
    }

    async fn status(&self, username: &str) -> Option<UserStatusType> {
        self.app
            .idp()
            .admin_get_user()
            .user_pool_id(&self.pool)
            .username(username)
            .send()
            .await
            .expect("AdminGetUser")
            .user_status
    }
}

/// Exact type and message: clients match on both.
#[track_caller]
pub(super) fn assert_error(err: ServiceError, code: &str, message: &str) {
    assert_eq!((err.code.as_str(), err.message.as_str()), (code, message));
}

/// Asserts that the receiver got exactly `expected` (trigger path, event), in order.
#[track_caller]
fn assert_events(received: Vec<(String, Value)>, expected: Vec<(&str, Value)>) {
    let expected: Vec<(String, Value)> = expected
        .into_iter()
        .map(|(t, e)| (t.to_owned(), e))
        .collect();
    if received != expected {
        panic!(
            "events differ\nreceived: {}\nexpected: {}",
            serde_json::to_string_pretty(&received).unwrap(),
            serde_json::to_string_pretty(&expected).unwrap()
        );
    }
}

/// The calls as (trigger, event) pairs.
fn events(calls: Vec<Call>) -> Vec<(String, Value)> {
    calls.into_iter().map(|c| (c.trigger, c.event)).collect()
}

/// A history entry as Cognito writes it.
fn entry(name: &str, result: bool, metadata: Option<&str>) -> Value {
    json!({"challengeName": name, "challengeResult": result, "challengeMetadata": metadata})
}

pub(super) fn tokens_of(result: Responded) -> String {
    let result = result.expect("tokens");
    assert_eq!(result.challenge_name(), None, "{result:?}");
    let auth = result
        .authentication_result()
        .expect("an AuthenticationResult");
    assert!(auth.refresh_token().is_some());
    auth.id_token().expect("an ID token").to_owned()
}

pub(super) fn claims(jwt: &str) -> Value {
    use base64::Engine as _;
    let payload = jwt.split('.').nth(1).expect("a JWT");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .expect("base64url");
    serde_json::from_slice(&bytes).expect("JSON")
}

// ---------------------------------------------------------------------------------------
// The worked example: a secret question whose answer the application keeps.
// ---------------------------------------------------------------------------------------

/// The application behind the secret-question sign-in: each user's question and answer
/// (kept by the application, never by monban), and its three functions.
pub(super) fn secret_question(
    questions: HashMap<&'static str, (&'static str, &'static str)>,
) -> impl Fn(&str, &Value) -> Reply + Send + Sync + 'static {
    const TRIES: usize = 3;
    move |trigger, event| {
        let request = &event["request"];
        match trigger {
            // Password first when the client started with SRP, then the question until it
            // is answered right, or wrong three times.
            "DefineAuthChallenge" => {
                let session = request["session"].as_array().cloned().unwrap_or_default();
                let wrong = session
                    .iter()
                    .filter(|e| e["challengeName"] == "CUSTOM_CHALLENGE")
                    .filter(|e| e["challengeResult"] == false)
                    .count();
                let last = session.last();
                let next = |name: &str| json!({"challengeName": name, "issueTokens": false, "failAuthentication": false});
                Reply::Respond(match last {
                    None => next("CUSTOM_CHALLENGE"),
                    Some(e) if e["challengeName"] == "SRP_A" => next("PASSWORD_VERIFIER"),
                    Some(e)
                        if e["challengeName"] == "PASSWORD_VERIFIER"
                            && e["challengeResult"] == true =>
                    {
                        next("CUSTOM_CHALLENGE")
                    }
                    Some(e)
                        if e["challengeName"] == "CUSTOM_CHALLENGE"
                            && e["challengeResult"] == true =>
                    {
                        json!({"issueTokens": true, "failAuthentication": false})
                    }
                    Some(_) if wrong < TRIES => next("CUSTOM_CHALLENGE"),
                    Some(_) => json!({"issueTokens": false, "failAuthentication": true}),
                })
            }
            // The question in the public parameters, the answer in the private ones.
            "CreateAuthChallenge" => {
                let user = event["userName"].as_str().unwrap_or_default();
                let (question, answer) = questions
                    .get(user)
                    .copied()
                    .unwrap_or(("What was the name of your first pet?", ""));
                Reply::Respond(json!({
                    "publicChallengeParameters": {"question": question},
                    "privateChallengeParameters": {"answer": answer},
                    "challengeMetadata": "SECRET_QUESTION",
                }))
            }
            "VerifyAuthChallengeResponse" => {
                let expected = request["privateChallengeParameters"]["answer"]
                    .as_str()
                    .unwrap_or_default();
                let given = request["challengeAnswer"].as_str().unwrap_or_default();
                let correct = !expected.is_empty() && given.trim().eq_ignore_ascii_case(expected);
                Reply::Respond(json!({"answerCorrect": correct}))
            }
            other => Reply::Throw(format!("unexpected trigger {other}")),
        }
    }
}

pub(super) const CHALLENGE_TRIGGERS: [&str; 3] = [
    "DefineAuthChallenge",
    "CreateAuthChallenge",
    "VerifyAuthChallengeResponse",
];

pub(super) fn alice_question() -> HashMap<&'static str, (&'static str, &'static str)> {
    HashMap::from([("alice", ("What is your favourite colour?", "teal"))])
}

#[tokio::test]
async fn secret_question_wrong_then_right_with_the_exact_events() {
    each_backend(|app| async move {
        let receiver = Receiver::start(secret_question(alice_question())).await;
        let f = Fixture::new(&app, &receiver, &CHALLENGE_TRIGGERS, false).await;
        let sub = f.user("alice").await;
        let attributes = Fixture::attributes("alice", &sub);

        let started = f.custom_start("alice").await.expect("CUSTOM_AUTH");
        assert_eq!(
            started.challenge_name(),
            Some(&ChallengeNameType::CustomChallenge)
        );
        let p = started.challenge_parameters().expect("parameters");
        assert_eq!(p.len(), 2, "{p:?}");
        assert_eq!(p["question"], "What is your favourite colour?");
        assert_eq!(p["USERNAME"], "alice");
        let first = started.session().expect("a Session").to_owned();

        // Wrong: a new question round, with a new Session.
        let again = f.answer(&first, "alice", "red").await.expect("next round");
        assert_eq!(
            again.challenge_name(),
            Some(&ChallengeNameType::CustomChallenge)
        );
        assert_eq!(
            again.challenge_parameters().expect("parameters")["question"],
            "What is your favourite colour?"
        );
        let second = again.session().expect("a new Session").to_owned();
        assert_ne!(first, second);

        // Each Session works once.
        assert_error(
            service_error(f.answer(&first, "alice", "teal").await),
            "NotAuthorizedException",
            "Invalid session for the user.",
        );

        // Right (the application ignores case and spaces): tokens.
        let id = tokens_of(f.answer(&second, "alice", " Teal ").await);
        assert_eq!(claims(&id)["cognito:username"], "alice");
        assert_eq!(claims(&id)["sub"], sub.as_str());

        let answer_metadata = json!({"step": "answer"});
        let miss = entry("CUSTOM_CHALLENGE", false, Some("SECRET_QUESTION"));
        let hit = entry("CUSTOM_CHALLENGE", true, Some("SECRET_QUESTION"));
        assert_events(
            events(receiver.take()),
            vec![
                // InitiateAuth's ClientMetadata goes to neither Define nor Create.
                (
                    "DefineAuthChallenge",
                    f.event(
                        "DefineAuthChallenge_Authentication",
                        "alice",
                        json!({"userAttributes": attributes, "session": []}),
                    ),
                ),
                (
                    "CreateAuthChallenge",
                    f.event(
                        "CreateAuthChallenge_Authentication",
                        "alice",
                        json!({"userAttributes": attributes, "challengeName": "CUSTOM_CHALLENGE",
                               "session": []}),
                    ),
                ),
                (
                    "VerifyAuthChallengeResponse",
                    f.event(
                        "VerifyAuthChallengeResponse_Authentication",
                        "alice",
                        json!({"userAttributes": attributes,
                               "privateChallengeParameters": {"answer": "teal"},
                               "challengeAnswer": "red", "clientMetadata": answer_metadata}),
                    ),
                ),
                (
                    "DefineAuthChallenge",
                    f.event(
                        "DefineAuthChallenge_Authentication",
                        "alice",
                        json!({"userAttributes": attributes, "session": [miss],
                               "clientMetadata": answer_metadata}),
                    ),
                ),
                (
                    "CreateAuthChallenge",
                    f.event(
                        "CreateAuthChallenge_Authentication",
                        "alice",
                        json!({"userAttributes": attributes, "challengeName": "CUSTOM_CHALLENGE",
                               "session": [miss], "clientMetadata": answer_metadata}),
                    ),
                ),
                (
                    "VerifyAuthChallengeResponse",
                    f.event(
                        "VerifyAuthChallengeResponse_Authentication",
                        "alice",
                        json!({"userAttributes": attributes,
                               "privateChallengeParameters": {"answer": "teal"},
                               "challengeAnswer": " Teal ", "clientMetadata": answer_metadata}),
                    ),
                ),
                (
                    "DefineAuthChallenge",
                    f.event(
                        "DefineAuthChallenge_Authentication",
                        "alice",
                        json!({"userAttributes": attributes, "session": [miss, hit],
                               "clientMetadata": answer_metadata}),
                    ),
                ),
            ],
        );
    })
    .await;
}

#[tokio::test]
async fn secret_question_fails_after_three_wrong_answers() {
    each_backend(|app| async move {
        let receiver = Receiver::start(secret_question(alice_question())).await;
        let f = Fixture::new(&app, &receiver, &CHALLENGE_TRIGGERS, false).await;
        f.user("alice").await;

        let mut session = f
            .custom_start("alice")
            .await
            .expect("CUSTOM_AUTH")
            .session
            .expect("Session");
        for _ in 0..2 {
            let next = f
                .answer(&session, "alice", "red")
                .await
                .expect("another try");
            session = next.session.expect("Session");
        }
        // The third wrong answer: DefineAuthChallenge says failAuthentication.
        assert_error(
            service_error(f.answer(&session, "alice", "red").await),
            "NotAuthorizedException",
            INCORRECT,
        );
        let last_define = events(receiver.calls())
            .into_iter()
            .rev()
            .find(|(t, _)| t == "DefineAuthChallenge")
            .expect("a Define call")
            .1;
        let miss = entry("CUSTOM_CHALLENGE", false, Some("SECRET_QUESTION"));
        assert_eq!(last_define["request"]["session"], json!([miss, miss, miss]));
        // And the failed sign-in's session is gone.
        assert_error(
            service_error(f.answer(&session, "alice", "teal").await),
            "NotAuthorizedException",
            "Invalid session for the user.",
        );

        // The admin API runs the same flow.
        let started = app
            .idp()
            .admin_initiate_auth()
            .user_pool_id(&f.pool)
            .client_id(&f.client)
            .auth_flow(AuthFlowType::CustomAuth)
            .auth_parameters("USERNAME", "alice")
            .send()
            .await
            .expect("AdminInitiateAuth CUSTOM_AUTH");
        let done = app
            .idp()
            .admin_respond_to_auth_challenge()
            .user_pool_id(&f.pool)
            .client_id(&f.client)
            .challenge_name(ChallengeNameType::CustomChallenge)
            .session(started.session().expect("Session"))
            .challenge_responses("USERNAME", "alice")
            .challenge_responses("ANSWER", "teal")
            .send()
            .await
            .expect("AdminRespondToAuthChallenge");
        assert!(done.authentication_result().is_some(), "{done:?}");
    })
    .await;
}

#[tokio::test]
async fn srp_first_then_the_secret_question() {
    each_backend(|app| async move {
        let receiver = Receiver::start(secret_question(alice_question())).await;
        let f = Fixture::new(&app, &receiver, &CHALLENGE_TRIGGERS, false).await;
        f.user("alice").await;

        let srp = SrpClient::new();
        let started = f
            .initiate(AuthFlowType::CustomAuth, "alice")
            .auth_parameters("CHALLENGE_NAME", "SRP_A")
            .auth_parameters("SRP_A", srp.srp_a())
            .send()
            .await
            .expect("CUSTOM_AUTH with SRP_A");
        let p = started.challenge_parameters().expect("parameters");
        for name in [
            "SALT",
            "SRP_B",
            "SECRET_BLOCK",
            "USERNAME",
            "USER_ID_FOR_SRP",
        ] {
            assert!(p.contains_key(name), "{name} missing from {p:?}");
        }
        assert!(started.session().is_some(), "{started:?}");
        let responses = f.claim(&srp, &started, PASSWORD);

        // The custom flow's round needs its Session.
        assert_error(
            service_error(f.password_verifier(&responses, None).await),
            "NotAuthorizedException",
            "Invalid session for the user.",
        );
        let srp = SrpClient::new();
        let started = f
            .initiate(AuthFlowType::CustomAuth, "alice")
            .auth_parameters("CHALLENGE_NAME", "SRP_A")
            .auth_parameters("SRP_A", srp.srp_a())
            .send()
            .await
            .expect("CUSTOM_AUTH with SRP_A");
        let responses = f.claim(&srp, &started, PASSWORD);
        let question = f
            .password_verifier(&responses, started.session())
            .await
            .expect("password proven");
        assert_eq!(
            question.challenge_name(),
            Some(&ChallengeNameType::CustomChallenge)
        );
        let q = question.challenge_parameters().expect("parameters");
        assert_eq!(q["question"], "What is your favourite colour?");
        assert_eq!(q["USERNAME"], "alice");
        let id = tokens_of(
            f.answer(question.session().expect("Session"), "alice", "teal")
                .await,
        );
        assert_eq!(claims(&id)["cognito:username"], "alice");

        let defines: Vec<Value> = events(receiver.calls())
            .into_iter()
            .filter(|(t, _)| t == "DefineAuthChallenge")
            .map(|(_, e)| e["request"]["session"].clone())
            .collect();
        let srp_a = entry("SRP_A", true, None);
        let verified = entry("PASSWORD_VERIFIER", true, None);
        let hit = entry("CUSTOM_CHALLENGE", true, Some("SECRET_QUESTION"));
        assert_eq!(
            defines,
            vec![
                // The first attempt, abandoned for want of a Session.
                json!([srp_a]),
                json!([srp_a]),
                json!([srp_a, verified]),
                json!([srp_a, verified, hit]),
            ]
        );
        // Define after PASSWORD_VERIFIER gets RespondToAuthChallenge's ClientMetadata.
        let after_password = events(receiver.calls())
            .into_iter()
            .filter(|(t, _)| t == "DefineAuthChallenge")
            .nth(2)
            .expect("third Define")
            .1;
        assert_eq!(
            after_password["request"]["clientMetadata"],
            json!({"step": "password"})
        );

        // A wrong password ends the sign-in where USER_SRP_AUTH would: no Define call.
        receiver.take();
        let srp = SrpClient::new();
        let started = f
            .initiate(AuthFlowType::CustomAuth, "alice")
            .auth_parameters("CHALLENGE_NAME", "SRP_A")
            .auth_parameters("SRP_A", srp.srp_a())
            .send()
            .await
            .expect("CUSTOM_AUTH with SRP_A");
        let responses = f.claim(&srp, &started, "Wrong-Horse-9");
        assert_error(
            service_error(f.password_verifier(&responses, started.session()).await),
            "NotAuthorizedException",
            INCORRECT,
        );
        let triggers: Vec<String> = events(receiver.take())
            .into_iter()
            .map(|(t, _)| t)
            .collect();
        assert_eq!(triggers, vec!["DefineAuthChallenge"]);
    })
    .await;
}

#[tokio::test]
async fn unknown_users_go_through_the_challenges_when_existence_is_hidden() {
    each_backend(|app| async move {
        let receiver = Receiver::start(secret_question(alice_question())).await;
        let hidden = Fixture::new(&app, &receiver, &CHALLENGE_TRIGGERS, true).await;
        let started = hidden
            .custom_start("ghost")
            .await
            .expect("a challenge anyway");
        assert_eq!(
            started.challenge_parameters().expect("parameters")["USERNAME"],
            "ghost"
        );
        let mut session = started.session.expect("Session");
        for _ in 0..2 {
            session = hidden
                .answer(&session, "ghost", "anything")
                .await
                .expect("another try")
                .session
                .expect("Session");
        }
        assert_error(
            service_error(hidden.answer(&session, "ghost", "anything").await),
            "NotAuthorizedException",
            INCORRECT,
        );
        let (trigger, first) = events(receiver.calls())
            .into_iter()
            .next()
            .expect("an event");
        assert_eq!(trigger, "DefineAuthChallenge");
        assert_eq!(
            first,
            hidden.event(
                "DefineAuthChallenge_Authentication",
                "ghost",
                json!({"userAttributes": {}, "session": [], "userNotFound": true}),
            )
        );
        for (_, event) in events(receiver.calls()) {
            assert_eq!(event["request"]["userNotFound"], true, "{event}");
        }

        // A client that reveals existence: the unknown name is refused at once; known
        // users' events say userNotFound only where the client hides existence.
        receiver.take();
        let legacy = Fixture::new(&app, &receiver, &CHALLENGE_TRIGGERS, false).await;
        assert_error(
            service_error(legacy.custom_start("ghost").await),
            "UserNotFoundException",
            "User does not exist.",
        );
        assert!(events(receiver.calls()).is_empty());
        let sub = hidden.user("alice").await;
        hidden.custom_start("alice").await.expect("CUSTOM_AUTH");
        let (_, define) = events(receiver.take())
            .into_iter()
            .next()
            .expect("an event");
        assert_eq!(
            define["request"],
            json!({"userAttributes": Fixture::attributes("alice", &sub), "session": [],
                   "userNotFound": false})
        );
    })
    .await;
}

#[tokio::test]
async fn custom_sign_in_rounds_are_bounded_and_functions_are_required() {
    each_backend(|app| async move {
        // An application that never decides: asks again whatever the answer.
        let receiver = Receiver::start(|trigger, _event| match trigger {
            "DefineAuthChallenge" => Reply::Respond(json!({"challengeName": "CUSTOM_CHALLENGE"})),
            "CreateAuthChallenge" => Reply::Respond(json!({"publicChallengeParameters": {}})),
            _ => Reply::Respond(json!({"answerCorrect": false})),
        })
        .await;
        let f = Fixture::new(&app, &receiver, &CHALLENGE_TRIGGERS, false).await;
        f.user("alice").await;
        let mut session = f
            .custom_start("alice")
            .await
            .expect("CUSTOM_AUTH")
            .session
            .expect("Session");
        let rounds = monban_core::auth::flows::MAX_CUSTOM_CHALLENGE_ROUNDS;
        for _ in 1..rounds {
            session = f
                .answer(&session, "alice", "x")
                .await
                .expect("another round")
                .session
                .expect("Session");
        }
        assert_error(
            service_error(f.answer(&session, "alice", "x").await),
            "NotAuthorizedException",
            INCORRECT,
        );
        let answered = events(receiver.calls())
            .iter()
            .filter(|(t, _)| t == "VerifyAuthChallengeResponse")
            .count();
        assert_eq!(answered, rounds);

        // Without the functions, or when the client does not allow the flow.
        let bare = Fixture::new(&app, &receiver, &[], false).await;
        bare.user("alice").await;
        assert_error(
            service_error(bare.custom_start("alice").await),
            "InvalidParameterException",
            "Custom auth lambda trigger is not configured for the user pool.",
        );
        let client = app
            .idp()
            .create_user_pool_client()
            .user_pool_id(&f.pool)
            .client_name(unique_name("srp-only-"))
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserSrpAuth)
            .send()
            .await
            .expect("client")
            .user_pool_client
            .and_then(|c| c.client_id)
            .expect("client id");
        let refused = app
            .unsigned_idp()
            .initiate_auth()
            .client_id(client)
            .auth_flow(AuthFlowType::CustomAuth)
            .auth_parameters("USERNAME", "alice")
            .send()
            .await;
        assert_error(
            service_error(refused),
            "InvalidParameterException",
            "CUSTOM_AUTH flow not enabled for this client",
        );
    })
    .await;
}

// ---------------------------------------------------------------------------------------
// PreAuthentication and PostAuthentication.
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn pre_authentication_denies_and_post_authentication_sees_each_sign_in() {
    each_backend(|app| async move {
        let receiver = Receiver::start(|trigger, event| {
            let user = event["userName"].as_str().unwrap_or_default();
            match (trigger, user) {
                ("PreAuthentication", "bob") => Reply::Throw("Sign-in is closed for bob".into()),
                ("PostAuthentication", "carol") => Reply::Throw("audit log unavailable".into()),
                _ => Reply::Respond(json!({})),
            }
        })
        .await;
        let f = Fixture::new(
            &app,
            &receiver,
            &["PreAuthentication", "PostAuthentication"],
            false,
        )
        .await;
        let alice = f.user("alice").await;
        f.user("bob").await;
        f.user("carol").await;
        let web = json!({"origin": "web"});

        // A password sign-in: PreAuthentication with InitiateAuth's ClientMetadata as
        // validationData, PostAuthentication without it.
        f.password_sign_in("alice", PASSWORD)
            .await
            .expect("tokens")
            .authentication_result
            .expect("tokens");
        let attributes = Fixture::attributes("alice", &alice);
        assert_events(
            events(receiver.take()),
            vec![
                (
                    "PreAuthentication",
                    f.event(
                        "PreAuthentication_Authentication",
                        "alice",
                        json!({"userAttributes": attributes, "validationData": web,
                               "clientMetadata": web}),
                    ),
                ),
                (
                    "PostAuthentication",
                    f.event(
                        "PostAuthentication_Authentication",
                        "alice",
                        json!({"userAttributes": attributes}),
                    ),
                ),
            ],
        );

        // SRP: PreAuthentication at InitiateAuth, PostAuthentication with
        // RespondToAuthChallenge's ClientMetadata.
        tokens_of(f.srp_sign_in("alice", PASSWORD).await);
        assert_events(
            events(receiver.take()),
            vec![
                (
                    "PreAuthentication",
                    f.event(
                        "PreAuthentication_Authentication",
                        "alice",
                        json!({"userAttributes": attributes}),
                    ),
                ),
                (
                    "PostAuthentication",
                    f.event(
                        "PostAuthentication_Authentication",
                        "alice",
                        json!({"userAttributes": attributes,
                               "clientMetadata": {"step": "password"}}),
                    ),
                ),
            ],
        );

        // A wrong password: PreAuthentication ran (it comes first), PostAuthentication not.
        assert_error(
            service_error(f.password_sign_in("alice", "Wrong-Horse-9").await),
            "NotAuthorizedException",
            INCORRECT,
        );
        let triggers: Vec<String> = events(receiver.take())
            .into_iter()
            .map(|(t, _)| t)
            .collect();
        assert_eq!(triggers, vec!["PreAuthentication"]);

        // PreAuthentication denies bob, whatever the flow, before his password is looked at.
        for result in [
            f.password_sign_in("bob", PASSWORD).await,
            f.password_sign_in("bob", "Wrong-Horse-9").await,
        ] {
            assert_error(
                service_error(result),
                "UserLambdaValidationException",
                "PreAuthentication failed with error Sign-in is closed for bob.",
            );
        }
        let srp = SrpClient::new();
        let denied = f
            .initiate(AuthFlowType::UserSrpAuth, "bob")
            .auth_parameters("SRP_A", srp.srp_a())
            .send()
            .await;
        assert_error(
            service_error(denied),
            "UserLambdaValidationException",
            "PreAuthentication failed with error Sign-in is closed for bob.",
        );
        let triggers: Vec<String> = events(receiver.take())
            .into_iter()
            .map(|(t, _)| t)
            .collect();
        assert_eq!(triggers, vec!["PreAuthentication"; 3]);

        // PostAuthentication's error fails carol's otherwise good sign-in.
        assert_error(
            service_error(f.password_sign_in("carol", PASSWORD).await),
            "UserLambdaValidationException",
            "PostAuthentication failed with error audit log unavailable.",
        );
    })
    .await;
}

// ---------------------------------------------------------------------------------------
// UserMigration.
// ---------------------------------------------------------------------------------------

/// The application's old directory: users the pool has never seen, with passwords that do
/// not meet the pool's policy.
fn legacy_directory() -> impl Fn(&str, &Value) -> Reply + Send + Sync + 'static {
    let directory: HashMap<&str, &str> = HashMap::from([
        ("carol", "legacy1"),
        ("dave", "legacy2"),
        ("erin", "legacy3"),
    ]);
    move |trigger, event| {
        let user = event["userName"].as_str().unwrap_or_default();
        let Some(password) = directory.get(user) else {
            // Not ours either: no attributes, no migration.
            return Reply::Respond(json!({}));
        };
        let attributes = json!({"email": format!("{user}@example.com"), "email_verified": "true"});
        match (trigger, event["triggerSource"].as_str()) {
            ("UserMigration", Some("UserMigration_Authentication")) => {
                if event["request"]["password"] != *password {
                    return Reply::Throw("Bad password".into());
                }
                Reply::Respond(json!({
                    "userAttributes": attributes,
                    "finalUserStatus": "CONFIRMED",
                    "messageAction": "SUPPRESS",
                }))
            }
            ("UserMigration", Some("UserMigration_ForgotPassword")) => Reply::Respond(json!({
                "userAttributes": attributes,
                "messageAction": "SUPPRESS",
                "desiredDeliveryMediums": ["EMAIL"],
            })),
            _ => Reply::Throw(format!("unexpected {trigger}")),
        }
    }
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

#[tokio::test]
async fn user_migration_signs_in_a_user_known_only_to_the_application() {
    each_backend(|app| async move {
        let receiver = Receiver::start(legacy_directory()).await;
        let f = Fixture::new(&app, &receiver, &["UserMigration"], false).await;

        // carol exists only in the old directory; her password breaks the pool's policy.
        let id = f
            .password_sign_in("carol", "legacy1")
            .await
            .expect("migrated and signed in")
            .authentication_result
            .expect("tokens")
            .id_token
            .expect("ID token");
        assert_eq!(claims(&id)["cognito:username"], "carol");
        assert_eq!(claims(&id)["email"], "carol@example.com");
        assert_events(
            events(receiver.take()),
            vec![(
                "UserMigration",
                f.event(
                    "UserMigration_Authentication",
                    "carol",
                    json!({"password": "legacy1", "validationData": {"origin": "web"},
                           "clientMetadata": {"origin": "web"}}),
                ),
            )],
        );
        assert_eq!(f.status("carol").await, Some(UserStatusType::Confirmed));

        // She now exists in monban: SRP works with the same password, and the old
        // directory is not asked again.
        tokens_of(f.srp_sign_in("carol", "legacy1").await);
        f.password_sign_in("carol", "legacy1")
            .await
            .expect("a second sign-in");
        assert!(events(receiver.take()).is_empty());

        // The function's error is a user-not-found answer carrying its message.
        assert_error(
            service_error(f.password_sign_in("dave", "not-his").await),
            "UserNotFoundException",
            "UserMigration failed with error Bad password.",
        );
        // Unknown to both: the usual answer.
        assert_error(
            service_error(f.password_sign_in("nobody", "whatever1").await),
            "UserNotFoundException",
            "User does not exist.",
        );
        // SRP never migrates (the password does not travel).
        let srp = SrpClient::new();
        let refused = f
            .initiate(AuthFlowType::UserSrpAuth, "erin")
            .auth_parameters("SRP_A", srp.srp_a())
            .send()
            .await;
        assert_error(
            service_error(refused),
            "UserNotFoundException",
            "User does not exist.",
        );
        let triggers: Vec<String> = events(receiver.take())
            .into_iter()
            .map(|(t, _)| t)
            .collect();
        assert_eq!(triggers, vec!["UserMigration", "UserMigration"]);

        // ForgotPassword migrates too (RESET_REQUIRED by default), then sends the code.
        app.unsigned_idp()
            .forgot_password()
            .client_id(&f.client)
            .username("dave")
            .client_metadata("origin", "reset-page")
            .send()
            .await
            .expect("ForgotPassword");
        assert_events(
            events(receiver.take()),
            vec![(
                "UserMigration",
                f.event(
                    "UserMigration_ForgotPassword",
                    "dave",
                    json!({"clientMetadata": {"origin": "reset-page"}}),
                ),
            )],
        );
        assert_eq!(f.status("dave").await, Some(UserStatusType::ResetRequired));
        let code = last_code(&app, "dave@example.com");
        app.unsigned_idp()
            .confirm_forgot_password()
            .client_id(&f.client)
            .username("dave")
            .confirmation_code(code)
            .password(PASSWORD)
            .send()
            .await
            .expect("ConfirmForgotPassword");
        tokens_of(f.srp_sign_in("dave", PASSWORD).await);
    })
    .await;
}

#[tokio::test]
async fn user_migration_failures_are_hidden_when_existence_is() {
    each_backend(|app| async move {
        let receiver = Receiver::start(legacy_directory()).await;
        let f = Fixture::new(&app, &receiver, &["UserMigration"], true).await;
        assert_error(
            service_error(f.password_sign_in("dave", "not-his").await),
            "NotAuthorizedException",
            INCORRECT,
        );
        assert_error(
            service_error(f.password_sign_in("nobody", "whatever1").await),
            "NotAuthorizedException",
            INCORRECT,
        );
        // The migration answered nothing: ForgotPassword answers as for any unknown name.
        app.unsigned_idp()
            .forgot_password()
            .client_id(&f.client)
            .username("nobody")
            .send()
            .await
            .expect("a simulated delivery");
        let triggers: Vec<String> = events(receiver.take())
            .into_iter()
            .map(|(t, _)| t)
            .collect();
        assert_eq!(triggers, vec!["UserMigration"; 3]);
        // Nobody was created.
        let listed = app
            .idp()
            .list_users()
            .user_pool_id(&f.pool)
            .send()
            .await
            .expect("ListUsers");
        assert!(listed.users().is_empty(), "{listed:?}");
    })
    .await;
}
