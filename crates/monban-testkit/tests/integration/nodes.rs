//! Several nodes on one database (PostgreSQL: two servers; SQLite, a file per server: one
//! server plays both parts, so the same checks still run): what one node starts or revokes
//! the other honours at once (SRP, TOTP, MFA set-up and custom-challenge sessions; sign-out),
//! failed sign-ins and wrong MFA codes counted on either node lock the user, and
//! uniqueness holds under a thousand concurrent sign-ups split over the nodes. The
//! process-level version (SIGKILL, retries on the survivor) is `monban-chaos nodes`.

use std::time::Duration;

use monban_core::auth::srp::render_timestamp;
use monban_core::throttling::ThrottleSettings;
use monban_core::Clock as _;
use monban_testkit::idp::config::timeout::TimeoutConfig;
use monban_testkit::idp::types::{
    AliasAttributeType, AuthFlowType, ChallengeNameType, ExplicitAuthFlowsType, MessageActionType,
    SoftwareTokenMfaSettingsType, UserPoolMfaType, VerifySoftwareTokenResponseType,
};
use monban_testkit::idp::Client;
use monban_testkit::webhook::Receiver;
use monban_testkit::{expect_code, service_error, unique_name, Backend, TestApp};

use super::custom_auth::{
    alice_question, claims, secret_question, tokens_of, Fixture, CHALLENGE_TRIGGERS,
};
use super::mfa::{totp, wrong, Factors, Fx, ALL, PASSWORD as PASSWORD_OF_FX};
use super::sign_in::srp_client::{ServerChallenge, SrpClient};
use super::support::attr;

/// The public URL of both nodes, as behind one load balancer: it is the tokens' issuer.
const PUBLIC_URL: &str = "http://monban.nodes.test";
const PASSWORD: &str = "Nodes-Passw0rd!";

struct Nodes {
    a: TestApp,
    b: Option<TestApp>,
}

impl Nodes {
    async fn start(backend: Backend) -> Nodes {
        let start = || {
            TestApp::start_with(backend, |s| {
                s.public_url = PUBLIC_URL.to_owned();
                // A thousand sign-ups from one test are not an attack.
                s.throttling = ThrottleSettings {
                    rate_per_sec: 0,
                    burst: 0,
                };
            })
        };
        let a = start().await;
        let b = match backend {
            Backend::Postgres => Some(start().await),
            Backend::Sqlite => None,
        };
        // Two fake clocks, started apart: one time for both, as synchronised hosts have.
        if let Some(b) = &b {
            b.clock().set_ms(a.clock().now_ms());
        }
        Nodes { a, b }
    }

    fn b(&self) -> &TestApp {
        self.b.as_ref().unwrap_or(&self.a)
    }

    /// Both nodes' clocks forward (they are separate fakes).
    fn advance(&self, by: Duration) {
        self.a.clock().advance(by);
        if let Some(b) = &self.b {
            b.clock().advance(by);
        }
    }
}

/// Runs `test` on every configured backend.
async fn each_backend_nodes<F, Fut>(test: F)
where
    F: Fn(Nodes) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for backend in Backend::configured() {
        eprintln!("--- backend: {backend:?}");
        test(Nodes::start(backend).await).await;
    }
}

/// A pool, an app client with password and SRP sign-in, and a CONFIRMED user.
async fn pool_client_user(idp: &Client) -> (String, String, String) {
    let pool = idp
        .create_user_pool()
        .pool_name(unique_name("nodes-"))
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
        .client_name("nodes")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserSrpAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap()
        .client_id
        .unwrap();
    let user = unique_name("user");
    idp.admin_create_user()
        .user_pool_id(&pool)
        .username(&user)
        .message_action(MessageActionType::Suppress)
        .send()
        .await
        .unwrap();
    idp.admin_set_user_password()
        .user_pool_id(&pool)
        .username(&user)
        .password(PASSWORD)
        .permanent(true)
        .send()
        .await
        .unwrap();
    (pool, client, user)
}

async fn sign_in(
    app: &TestApp,
    client: &str,
    user: &str,
    password: &str,
) -> Result<String, String> {
    app.unsigned_idp()
        .initiate_auth()
        .client_id(client)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", user)
        .auth_parameters("PASSWORD", password)
        .send()
        .await
        .map(|out| {
            out.authentication_result()
                .and_then(|r| r.access_token())
                .unwrap_or_default()
                .to_owned()
        })
        .map_err(|e| service_error::<(), _, _>(Err(e)).message)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_srp_sign_in_started_on_one_node_completes_on_the_other() {
    each_backend_nodes(|nodes| async move {
        let (pool, client, user) = pool_client_user(&nodes.a.idp()).await;
        let srp = SrpClient::new();
        let started = nodes
            .a
            .unsigned_idp()
            .initiate_auth()
            .client_id(&client)
            .auth_flow(AuthFlowType::UserSrpAuth)
            .auth_parameters("USERNAME", &user)
            .auth_parameters("SRP_A", srp.srp_a())
            .send()
            .await
            .unwrap();
        let p = started.challenge_parameters().unwrap();
        let timestamp = render_timestamp(nodes.b().clock().now_ms());
        let signature = srp.signature(
            &ServerChallenge {
                pool_id: &pool,
                user_id_for_srp: &p["USER_ID_FOR_SRP"],
                salt_hex: &p["SALT"],
                srp_b_hex: &p["SRP_B"],
                secret_block: &p["SECRET_BLOCK"],
            },
            PASSWORD,
            &timestamp,
        );
        let done = nodes
            .b()
            .unsigned_idp()
            .respond_to_auth_challenge()
            .client_id(&client)
            .challenge_name(ChallengeNameType::PasswordVerifier)
            .set_session(started.session().map(str::to_owned))
            .challenge_responses("USERNAME", &p["USER_ID_FOR_SRP"])
            .challenge_responses("PASSWORD_CLAIM_SECRET_BLOCK", &p["SECRET_BLOCK"])
            .challenge_responses("PASSWORD_CLAIM_SIGNATURE", signature)
            .challenge_responses("TIMESTAMP", timestamp)
            .send()
            .await
            .unwrap();
        assert!(done.authentication_result().is_some());
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_out_on_one_node_is_honoured_by_the_other_at_once() {
    each_backend_nodes(|nodes| async move {
        let (_, client, user) = pool_client_user(&nodes.a.idp()).await;
        let access = sign_in(&nodes.a, &client, &user, PASSWORD).await.unwrap();
        let get_user = || {
            nodes
                .b()
                .unsigned_idp()
                .get_user()
                .access_token(&access)
                .send()
        };
        get_user().await.unwrap();
        nodes
            .a
            .unsigned_idp()
            .global_sign_out()
            .access_token(&access)
            .send()
            .await
            .unwrap();
        assert_eq!(
            service_error(get_user().await).code,
            "NotAuthorizedException"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_sign_ins_on_both_nodes_add_up_to_one_lockout() {
    each_backend_nodes(|nodes| async move {
        let (_, client, user) = pool_client_user(&nodes.a.idp()).await;
        let wrong = "Wrong-Passw0rd!";
        for i in 0..5 {
            let node = if i % 2 == 0 { &nodes.a } else { nodes.b() };
            let message = sign_in(node, &client, &user, wrong).await.unwrap_err();
            assert_eq!(message, "Incorrect username or password.");
        }
        // Five failures, three on A and two on B: locked for 1 s on both.
        for node in [&nodes.a, nodes.b()] {
            let message = sign_in(node, &client, &user, PASSWORD).await.unwrap_err();
            assert_eq!(message, "Password attempts exceeded");
        }
        nodes.advance(Duration::from_millis(1000));
        // The sixth (on B) locks for 2 s, on A too.
        sign_in(nodes.b(), &client, &user, wrong).await.unwrap_err();
        nodes.advance(Duration::from_millis(1999));
        let message = sign_in(&nodes.a, &client, &user, PASSWORD)
            .await
            .unwrap_err();
        assert_eq!(message, "Password attempts exceeded");
        nodes.advance(Duration::from_millis(1));
        sign_in(&nodes.a, &client, &user, PASSWORD).await.unwrap();
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_thousand_concurrent_sign_ups_of_one_username_make_one_user() {
    each_backend_nodes(|nodes| async move {
        let (pool, client, _) = pool_client_user(&nodes.a.idp()).await;
        let name = unique_name("same");
        // A thousand connections at once on a busy machine: more than the SDK's default
        // connect timeout.
        let patient = |app: &TestApp| {
            Client::from_conf(
                app.sdk_config()
                    .timeout_config(
                        TimeoutConfig::builder()
                            .connect_timeout(Duration::from_secs(60))
                            .build(),
                    )
                    .build(),
            )
        };
        let (on_a, on_b) = (patient(&nodes.a), patient(nodes.b()));
        let tasks: Vec<_> = (0..1000)
            .map(|i| {
                let idp = if i % 2 == 0 {
                    on_a.clone()
                } else {
                    on_b.clone()
                };
                let (client, name) = (client.clone(), name.clone());
                tokio::spawn(async move {
                    idp.sign_up()
                        .client_id(client)
                        .username(name)
                        .password(PASSWORD)
                        .send()
                        .await
                })
            })
            .collect();
        let mut ok = 0;
        let mut errors = std::collections::BTreeMap::<String, usize>::new();
        for task in tasks {
            match task.await.unwrap() {
                Ok(_) => ok += 1,
                Err(e) => {
                    *errors
                        .entry(service_error::<(), _, _>(Err(e)).code)
                        .or_default() += 1
                }
            }
        }
        assert_eq!(ok, 1, "exactly one sign-up succeeds; errors: {errors:?}");
        assert_eq!(
            errors.get("UsernameExistsException"),
            Some(&999),
            "{errors:?}"
        );
        let listed = nodes
            .a
            .idp()
            .list_users()
            .user_pool_id(&pool)
            .filter(format!("username = \"{name}\""))
            .send()
            .await
            .unwrap();
        assert_eq!(listed.users().len(), 1);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_claims_of_one_verified_email_alias_leave_one_holder() {
    each_backend_nodes(|nodes| async move {
        let pool = nodes
            .a
            .idp()
            .create_user_pool()
            .pool_name(unique_name("alias-race-"))
            .alias_attributes(AliasAttributeType::Email)
            .send()
            .await
            .unwrap()
            .user_pool
            .unwrap()
            .id
            .unwrap();
        let email = format!("{}@example.com", unique_name("shared"));
        let tasks: Vec<_> = (0..100)
            .map(|i| {
                let idp = if i % 2 == 0 {
                    nodes.a.idp()
                } else {
                    nodes.b().idp()
                };
                let (pool, email) = (pool.clone(), email.clone());
                tokio::spawn(async move {
                    idp.admin_create_user()
                        .user_pool_id(pool)
                        .username(format!("claimant{i}"))
                        .message_action(MessageActionType::Suppress)
                        .user_attributes(attr("email", &email))
                        .user_attributes(attr("email_verified", "true"))
                        .send()
                        .await
                })
            })
            .collect();
        let mut ok = 0;
        let mut errors = std::collections::BTreeMap::<String, usize>::new();
        for task in tasks {
            match task.await.unwrap() {
                Ok(_) => ok += 1,
                Err(e) => {
                    *errors
                        .entry(service_error::<(), _, _>(Err(e)).code)
                        .or_default() += 1
                }
            }
        }
        assert_eq!(
            ok, 1,
            "exactly one claimant gets the alias; errors: {errors:?}"
        );
        assert_eq!(errors.get("AliasExistsException"), Some(&99), "{errors:?}");
        // The alias signs in as the one holder, on either node.
        let holders = nodes
            .b()
            .idp()
            .list_users()
            .user_pool_id(&pool)
            .filter(format!("email = \"{email}\""))
            .send()
            .await
            .unwrap();
        assert_eq!(holders.users().len(), 1);
    })
    .await;
}

/// A user with a TOTP authenticator it is asked for at sign-in (pool MFA optional); the
/// authenticator's secret. The clocks are moved past the code used to set it up.
async fn totp_user(nodes: &Nodes, fx: &Fx<'_>) -> (String, String) {
    let username = fx.user(&[]).await;
    let access = fx.tokens(&username).await;
    let secret = fx.add_authenticator(&access).await;
    fx.idp()
        .admin_set_user_mfa_preference()
        .user_pool_id(&fx.pool)
        .username(&username)
        .software_token_mfa_settings(
            SoftwareTokenMfaSettingsType::builder()
                .enabled(true)
                .build(),
        )
        .send()
        .await
        .expect("AdminSetUserMFAPreference");
    nodes.advance(Duration::from_secs(30));
    (username, secret)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_totp_challenge_started_on_one_node_is_answered_on_the_other() {
    each_backend_nodes(|nodes| async move {
        let on_a = Fx::new(&nodes.a, UserPoolMfaType::Optional, ALL).await;
        let on_b = on_a.on(nodes.b());
        let (username, secret) = totp_user(&nodes, &on_a).await;
        let c = on_a
            .challenged(&username, ChallengeNameType::SoftwareTokenMfa)
            .await;
        let out = on_b
            .answer_totp(&c, &username, &totp(&secret, on_b.now_ms()))
            .await
            .expect("SOFTWARE_TOKEN_MFA answered on B");
        let access = out
            .authentication_result
            .and_then(|r| r.access_token)
            .expect("tokens from B");
        // B's tokens work on A.
        nodes
            .a
            .unsigned_idp()
            .get_user()
            .access_token(&access)
            .send()
            .await
            .expect("GetUser on A");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_mfa_setup_goes_back_and_forth_between_nodes() {
    each_backend_nodes(|nodes| async move {
        let only_totp = Factors {
            sms: false,
            totp: true,
            email: false,
        };
        let on_a = Fx::new(&nodes.a, UserPoolMfaType::On, only_totp).await;
        let on_b = on_a.on(nodes.b());
        let username = on_a.user(&[("email", "setup@example.com")]).await;
        let c = on_a
            .challenged(&username, ChallengeNameType::MfaSetup)
            .await;
        // Associate on B, verify on A, answer on B.
        let associated = on_b
            .public()
            .associate_software_token()
            .session(&c.session)
            .send()
            .await
            .expect("AssociateSoftwareToken on B");
        let secret = associated.secret_code.expect("SecretCode");
        let session = associated.session.expect("Session");
        let verified = on_a
            .public()
            .verify_software_token()
            .session(&session)
            .user_code(totp(&secret, on_a.now_ms()))
            .send()
            .await
            .expect("VerifySoftwareToken on A");
        assert_eq!(
            verified.status,
            Some(VerifySoftwareTokenResponseType::Success)
        );
        let session = verified.session.expect("Session");
        let out = on_b
            .respond(ChallengeNameType::MfaSetup, &session, &username, &[])
            .send()
            .await
            .expect("MFA_SETUP answered on B");
        assert!(out.authentication_result.is_some(), "{out:?}");
    })
    .await;
}

/// Three wrong codes per Session, five failures lock the user: counted across the nodes,
/// whichever node a code is typed on, and seen by both.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_mfa_codes_on_both_nodes_add_up_to_one_lockout() {
    each_backend_nodes(|nodes| async move {
        let on_a = Fx::new(&nodes.a, UserPoolMfaType::Optional, ALL).await;
        let on_b = on_a.on(nodes.b());
        let (username, secret) = totp_user(&nodes, &on_a).await;
        let bad = wrong(&totp(&secret, on_a.now_ms()));
        let node = |i: usize| if i.is_multiple_of(2) { &on_a } else { &on_b };

        let c = on_a
            .challenged(&username, ChallengeNameType::SoftwareTokenMfa)
            .await;
        for i in 0..3 {
            let e = expect_code(
                node(i).answer_totp(&c, &username, &bad).await,
                "CodeMismatchException",
            );
            assert_eq!(e.message, "Invalid code received for user");
        }
        let e = expect_code(
            on_b.answer_totp(&c, &username, &bad).await,
            "NotAuthorizedException",
        );
        assert_eq!(e.message, "Invalid session for the user.");

        // Two more, on B then A: five failures in all.
        let c = on_b
            .challenged(&username, ChallengeNameType::SoftwareTokenMfa)
            .await;
        for i in 1..3 {
            let e = expect_code(
                node(i).answer_totp(&c, &username, &bad).await,
                "CodeMismatchException",
            );
            assert_eq!(e.message, "Invalid code received for user");
        }
        let good = totp(&secret, on_a.now_ms());
        for fx in [&on_a, &on_b] {
            let e = expect_code(
                fx.answer_totp(&c, &username, &good).await,
                "NotAuthorizedException",
            );
            assert_eq!(e.message, "Password attempts exceeded");
            let e = expect_code(
                fx.public()
                    .initiate_auth()
                    .client_id(&fx.client)
                    .auth_flow(AuthFlowType::UserPasswordAuth)
                    .auth_parameters("USERNAME", &username)
                    .auth_parameters("PASSWORD", PASSWORD_OF_FX)
                    .send()
                    .await,
                "NotAuthorizedException",
            );
            assert_eq!(e.message, "Password attempts exceeded");
        }

        // Once the lockout is over (the fifth failure locks for a second), the right code
        // gets in, on either node.
        nodes.advance(Duration::from_secs(2));
        let out = on_b
            .answer_totp(&c, &username, &totp(&secret, on_b.now_ms()))
            .await
            .expect("right code after the lockout");
        assert!(out.authentication_result.is_some());
        // And a fresh sign-in, right password then right code, on A (a later TOTP window:
        // B's code cannot be used twice).
        nodes.advance(Duration::from_secs(30));
        let c = on_a
            .challenged(&username, ChallengeNameType::SoftwareTokenMfa)
            .await;
        let out = on_a
            .answer_totp(&c, &username, &totp(&secret, on_a.now_ms()))
            .await
            .expect("fresh sign-in after the lockout");
        assert!(out.authentication_result.is_some());
    })
    .await;
}

/// The worked example of custom authentication (a secret question, webhooks for the
/// triggers) with its rounds split over the nodes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_custom_challenge_started_on_one_node_completes_on_the_other() {
    each_backend_nodes(|nodes| async move {
        let receiver = Receiver::start(secret_question(alice_question())).await;
        let on_a = Fixture::new(&nodes.a, &receiver, &CHALLENGE_TRIGGERS, false).await;
        let on_b = on_a.on(nodes.b());
        let sub = on_a.user("alice").await;
        let started = on_a.custom_start("alice").await.expect("CUSTOM_AUTH on A");
        let first = started.session().expect("Session").to_owned();
        // A wrong answer on B: a new round...
        let again = on_b
            .answer(&first, "alice", "red")
            .await
            .expect("next round from B");
        assert_eq!(
            again.challenge_name(),
            Some(&ChallengeNameType::CustomChallenge)
        );
        let second = again.session().expect("Session").to_owned();
        // ...whose Session A accepts, with the right answer.
        let id = tokens_of(on_a.answer(&second, "alice", "teal").await);
        assert_eq!(claims(&id)["sub"], sub.as_str());
        // The first Session was used up on B: A refuses it too.
        expect_code(
            on_a.answer(&first, "alice", "teal").await,
            "NotAuthorizedException",
        );
    })
    .await;
}
