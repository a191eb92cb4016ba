//! User enumeration with PreventUserExistenceErrors=ENABLED: sign-in (password and SRP),
//! forgot-password, its confirmation and sign-up confirmation answer an unknown user
//! exactly as they answer an existing one (error types and messages; for SRP the challenge
//! parameters it names). Timing is measured by `monban-chaos timing`, not asserted here.

use monban_core::auth::srp::render_timestamp;
use monban_core::Clock;
use monban_testkit::idp::types::{
    AuthFlowType, ChallengeNameType, ExplicitAuthFlowsType, PreventUserExistenceErrorTypes,
    VerifiedAttributeType,
};
use monban_testkit::idp::Client;
use monban_testkit::{each_backend, service_error, unique_name, ServiceError, TestApp};

use super::sign_in::srp_client::{ServerChallenge, SrpClient};
use super::support::attr;

const PASSWORD: &str = "Known-Passw0rd!";

struct Pool {
    client_id: String,
}

async fn hiding_pool(idp: &Client) -> (String, Pool) {
    let pool = idp
        .create_user_pool()
        .pool_name(unique_name("enum-"))
        .auto_verified_attributes(VerifiedAttributeType::Email)
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap()
        .id
        .unwrap();
    let client_id = idp
        .create_user_pool_client()
        .user_pool_id(&pool)
        .client_name("hiding")
        .prevent_user_existence_errors(PreventUserExistenceErrorTypes::Enabled)
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
    (pool, Pool { client_id })
}

/// A CONFIRMED user with a verified email, and an UNCONFIRMED one from SignUp.
async fn users(idp: &Client, public: &Client, pool: &str, p: &Pool) -> (String, String) {
    let known = unique_name("known");
    idp.admin_create_user()
        .user_pool_id(pool)
        .username(&known)
        .message_action(monban_testkit::idp::types::MessageActionType::Suppress)
        .user_attributes(attr("email", &format!("{known}@example.com")))
        .user_attributes(attr("email_verified", "true"))
        .send()
        .await
        .unwrap();
    idp.admin_set_user_password()
        .user_pool_id(pool)
        .username(&known)
        .password(PASSWORD)
        .permanent(true)
        .send()
        .await
        .unwrap();
    let pending = unique_name("pending");
    public
        .sign_up()
        .client_id(&p.client_id)
        .username(&pending)
        .password(PASSWORD)
        .user_attributes(attr("email", &format!("{pending}@example.com")))
        .send()
        .await
        .unwrap();
    (known, pending)
}

fn same(what: &str, known: ServiceError, unknown: ServiceError) {
    assert_eq!(
        (&known.code, &known.message),
        (&unknown.code, &unknown.message),
        "{what}: an existing user and an unknown one are answered differently"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn password_sign_in_answers_unknown_users_as_wrong_passwords() {
    each_backend(|app| async move {
        let (idp, public) = (app.idp(), app.unsigned_idp());
        let (pool, p) = hiding_pool(&idp).await;
        let (known, _) = users(&idp, &public, &pool, &p).await;
        let sign_in = |name: String| {
            public
                .initiate_auth()
                .client_id(&p.client_id)
                .auth_flow(AuthFlowType::UserPasswordAuth)
                .auth_parameters("USERNAME", name)
                .auth_parameters("PASSWORD", "Wrong-Passw0rd!")
                .send()
        };
        let k = service_error(sign_in(known).await);
        let u = service_error(sign_in(unique_name("nobody")).await);
        assert_eq!(k.code, "NotAuthorizedException");
        same("InitiateAuth USER_PASSWORD_AUTH", k, u);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn srp_sign_in_challenges_unknown_users_like_known_ones() {
    each_backend(|app| async move {
        let (idp, public) = (app.idp(), app.unsigned_idp());
        let (pool, p) = hiding_pool(&idp).await;
        let (known, _) = users(&idp, &public, &pool, &p).await;
        let srp = SrpClient::new();
        let mut shapes = Vec::new();
        for name in [known, unique_name("nobody")] {
            let out = public
                .initiate_auth()
                .client_id(&p.client_id)
                .auth_flow(AuthFlowType::UserSrpAuth)
                .auth_parameters("USERNAME", &name)
                .auth_parameters("SRP_A", srp.srp_a())
                .send()
                .await
                .unwrap();
            let mut keys: Vec<String> = out
                .challenge_parameters()
                .map(|p| p.keys().cloned().collect())
                .unwrap_or_default();
            keys.sort();
            shapes.push((out.challenge_name().map(|c| c.as_str().to_owned()), keys));
        }
        assert_eq!(shapes[0].0.as_deref(), Some("PASSWORD_VERIFIER"));
        assert_eq!(shapes[0], shapes[1]);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forgot_password_and_its_confirmation_answer_unknown_users_alike() {
    each_backend(|app| async move {
        let (idp, public) = (app.idp(), app.unsigned_idp());
        let (pool, p) = hiding_pool(&idp).await;
        let (known, _) = users(&idp, &public, &pool, &p).await;
        let unknown = unique_name("nobody");
        let mut deliveries = Vec::new();
        for name in [&known, &unknown] {
            let out = public
                .forgot_password()
                .client_id(&p.client_id)
                .username(name)
                .send()
                .await
                .unwrap();
            let d = out.code_delivery_details().unwrap();
            deliveries.push((
                d.delivery_medium().map(|m| m.as_str().to_owned()),
                d.attribute_name().map(str::to_owned),
            ));
        }
        assert_eq!(deliveries[0], deliveries[1]);
        let k = wrong_reset_code(&public, &p, &known).await;
        let u = wrong_reset_code(&public, &p, &unknown).await;
        assert_eq!(k.code, "CodeMismatchException");
        same("ConfirmForgotPassword with a wrong code", k, u);
    })
    .await;
}

/// Without asking for a code first, and after the code asked for has expired: a known user
/// and an unknown name get the same answer, again and again (no count reaches a limit).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reset_codes_never_asked_for_or_expired_answer_alike() {
    each_backend(|app| async move {
        let (idp, public) = (app.idp(), app.unsigned_idp());
        let (pool, p) = hiding_pool(&idp).await;
        let (known, _) = users(&idp, &public, &pool, &p).await;
        let unknown = unique_name("nobody");
        for attempt in 1..=PAST_THE_LIMIT {
            let k = wrong_reset_code(&public, &p, &known).await;
            let u = wrong_reset_code(&public, &p, &unknown).await;
            assert_eq!(k.code, "CodeMismatchException", "never asked #{attempt}");
            same(&format!("no code asked for, try #{attempt}"), k, u);
        }
        for name in [&known, &unknown] {
            public
                .forgot_password()
                .client_id(&p.client_id)
                .username(name)
                .send()
                .await
                .unwrap();
        }
        // Past any code lifetime (the default is an hour).
        app.clock()
            .advance(std::time::Duration::from_secs(25 * 3600));
        for attempt in 1..=PAST_THE_LIMIT {
            let k = wrong_reset_code(&public, &p, &known).await;
            let u = wrong_reset_code(&public, &p, &unknown).await;
            assert_eq!(k.code, "CodeMismatchException", "expired #{attempt}");
            same(&format!("expired code, try #{attempt}"), k, u);
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_up_confirmation_answers_unknown_users_alike() {
    each_backend(|app| async move {
        let (idp, public) = (app.idp(), app.unsigned_idp());
        let (pool, p) = hiding_pool(&idp).await;
        let (_, pending) = users(&idp, &public, &pool, &p).await;
        let confirm = |name: String| {
            public
                .confirm_sign_up()
                .client_id(&p.client_id)
                .username(name)
                .confirmation_code("000000")
                .send()
        };
        let k = service_error(confirm(pending).await);
        let u = service_error(confirm(unique_name("nobody")).await);
        assert_eq!(k.code, "CodeMismatchException");
        same("ConfirmSignUp with a wrong code", k, u);
    })
    .await;
}

/// ConfirmForgotPassword for `name` with a wrong code: the error.
async fn wrong_reset_code(public: &Client, p: &Pool, name: &str) -> ServiceError {
    service_error(
        public
            .confirm_forgot_password()
            .client_id(&p.client_id)
            .username(name)
            .confirmation_code("000000")
            .password("New-Passw0rd!")
            .send()
            .await,
    )
}

/// Past the limits too: the sixth wrong password in a row (the fifth locks the user out for
/// a second) and the sixth wrong code (five are allowed) get the same answers for an
/// unknown name as for an existing user.
const PAST_THE_LIMIT: usize = 6;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_wrong_passwords_lock_unknown_users_out_alike() {
    each_backend(|app| async move {
        let (idp, public) = (app.idp(), app.unsigned_idp());
        let (pool, p) = hiding_pool(&idp).await;
        let (known, _) = users(&idp, &public, &pool, &p).await;
        let unknown = unique_name("nobody");
        let sign_in = |name: &String| {
            public
                .initiate_auth()
                .client_id(&p.client_id)
                .auth_flow(AuthFlowType::UserPasswordAuth)
                .auth_parameters("USERNAME", name)
                .auth_parameters("PASSWORD", "Wrong-Passw0rd!")
                .send()
        };
        let mut last = None;
        for attempt in 1..=PAST_THE_LIMIT {
            let k = service_error(sign_in(&known).await);
            let u = service_error(sign_in(&unknown).await);
            last = Some(k.message.clone());
            same(&format!("wrong password #{attempt}"), k, u);
        }
        assert_eq!(last.as_deref(), Some("Password attempts exceeded"));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_wrong_reset_codes_reach_the_limit_alike() {
    each_backend(|app| async move {
        let (idp, public) = (app.idp(), app.unsigned_idp());
        let (pool, p) = hiding_pool(&idp).await;
        let (known, _) = users(&idp, &public, &pool, &p).await;
        let unknown = unique_name("nobody");
        for name in [&known, &unknown] {
            public
                .forgot_password()
                .client_id(&p.client_id)
                .username(name)
                .send()
                .await
                .unwrap();
        }
        let mut codes = Vec::new();
        for attempt in 1..=PAST_THE_LIMIT {
            let k = wrong_reset_code(&public, &p, &known).await;
            let u = wrong_reset_code(&public, &p, &unknown).await;
            codes.push(k.code.clone());
            same(
                &format!("ConfirmForgotPassword wrong code #{attempt}"),
                k,
                u,
            );
        }
        assert_eq!(codes[0], "CodeMismatchException");
        assert_eq!(codes[PAST_THE_LIMIT - 1], "LimitExceededException");

        // A new code (or, for the unknown name, a simulated one) starts the count afresh.
        for name in [&known, &unknown] {
            public
                .forgot_password()
                .client_id(&p.client_id)
                .username(name)
                .send()
                .await
                .unwrap();
        }
        let k = wrong_reset_code(&public, &p, &known).await;
        let u = wrong_reset_code(&public, &p, &unknown).await;
        assert_eq!(k.code, "CodeMismatchException");
        same("ConfirmForgotPassword after a new code", k, u);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_wrong_sign_up_codes_reach_the_limit_alike() {
    each_backend(|app| async move {
        let (idp, public) = (app.idp(), app.unsigned_idp());
        let (pool, p) = hiding_pool(&idp).await;
        let (_, pending) = users(&idp, &public, &pool, &p).await;
        let unknown = unique_name("nobody");
        let confirm = |name: &String| {
            public
                .confirm_sign_up()
                .client_id(&p.client_id)
                .username(name)
                .confirmation_code("000000")
                .send()
        };
        let mut codes = Vec::new();
        for attempt in 1..=PAST_THE_LIMIT {
            let k = service_error(confirm(&pending).await);
            let u = service_error(confirm(&unknown).await);
            codes.push(k.code.clone());
            same(&format!("ConfirmSignUp wrong code #{attempt}"), k, u);
        }
        assert_eq!(codes[0], "CodeMismatchException");
        assert_eq!(codes[PAST_THE_LIMIT - 1], "LimitExceededException");
    })
    .await;
}

/// A USER_SRP_AUTH sign-in with a wrong password: the error of the step that refused it.
async fn wrong_srp_sign_in(app: &TestApp, pool: &str, p: &Pool, name: &str) -> ServiceError {
    let public = app.unsigned_idp();
    let srp = SrpClient::new();
    let started = public
        .initiate_auth()
        .client_id(&p.client_id)
        .auth_flow(AuthFlowType::UserSrpAuth)
        .auth_parameters("USERNAME", name)
        .auth_parameters("SRP_A", srp.srp_a())
        .send()
        .await;
    let started = match started {
        Ok(started) => started,
        Err(e) => return service_error::<(), _, _>(Err(e)),
    };
    let c = started
        .challenge_parameters()
        .expect("challenge parameters");
    let timestamp = render_timestamp(app.clock().now_ms());
    let challenge = ServerChallenge {
        pool_id: pool,
        user_id_for_srp: &c["USER_ID_FOR_SRP"],
        salt_hex: &c["SALT"],
        srp_b_hex: &c["SRP_B"],
        secret_block: &c["SECRET_BLOCK"],
    };
    let signature = srp.signature(&challenge, "Wrong-Passw0rd!", &timestamp);
    service_error(
        public
            .respond_to_auth_challenge()
            .client_id(&p.client_id)
            .challenge_name(ChallengeNameType::PasswordVerifier)
            .challenge_responses("USERNAME", &c["USER_ID_FOR_SRP"])
            .challenge_responses("PASSWORD_CLAIM_SECRET_BLOCK", &c["SECRET_BLOCK"])
            .challenge_responses("PASSWORD_CLAIM_SIGNATURE", signature)
            .challenge_responses("TIMESTAMP", timestamp)
            .send()
            .await,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_wrong_srp_proofs_lock_unknown_users_out_alike() {
    each_backend(|app| async move {
        let (idp, public) = (app.idp(), app.unsigned_idp());
        let (pool, p) = hiding_pool(&idp).await;
        let (known, _) = users(&idp, &public, &pool, &p).await;
        let unknown = unique_name("nobody");
        let mut last = None;
        for attempt in 1..=PAST_THE_LIMIT {
            let k = wrong_srp_sign_in(&app, &pool, &p, &known).await;
            let u = wrong_srp_sign_in(&app, &pool, &p, &unknown).await;
            last = Some(k.message.clone());
            same(&format!("wrong SRP proof #{attempt}"), k, u);
        }
        assert_eq!(last.as_deref(), Some("Password attempts exceeded"));
    })
    .await;
}
