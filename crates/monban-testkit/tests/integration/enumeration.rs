//! User enumeration with PreventUserExistenceErrors=ENABLED: sign-in (password and SRP),
//! forgot-password, its confirmation and sign-up confirmation answer an unknown user
//! exactly as they answer an existing one (error types and messages; for SRP the challenge
//! parameters it names). Timing is measured by `monban-chaos timing`, not asserted here.

use monban_testkit::idp::types::{
    AuthFlowType, ExplicitAuthFlowsType, PreventUserExistenceErrorTypes, VerifiedAttributeType,
};
use monban_testkit::idp::Client;
use monban_testkit::{each_backend, service_error, unique_name, ServiceError};

use super::sign_in::srp_client::SrpClient;
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
        let confirm = |name: String| {
            public
                .confirm_forgot_password()
                .client_id(&p.client_id)
                .username(name)
                .confirmation_code("000000")
                .password("New-Passw0rd!")
                .send()
        };
        let k = service_error(confirm(known).await);
        let u = service_error(confirm(unknown).await);
        assert_eq!(k.code, "CodeMismatchException");
        same("ConfirmForgotPassword with a wrong code", k, u);
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
