//! The audit trail end to end: sign-in events through AdminListUserAuthEvents (AWS SDK for
//! Rust) with feedback, the source IP from trusted proxies only, no secret in any record
//! after a full sign-up / sign-in / reset run, and a trail that verifies.

use monban_core::audit::{
    checkpoint_key, verify_trail, AuditEvent, AuditFilter, AuthEventKind, Outcome,
};
use monban_testkit::idp::types::{
    AliasAttributeType, AuthFlowType, EventResponseType, EventType, ExplicitAuthFlowsType,
    FeedbackValueType, VerifiedAttributeType,
};
use monban_testkit::idp::Client;
use monban_testkit::{each_backend, expect_code, unique_name, Backend, RawRequest, TestApp};

use super::support::{attr, create_user};

const PASSWORD: &str = "Audit-Pass-123";
const NEW_PASSWORD: &str = "Audit-Pass-456";
const RESET_PASSWORD: &str = "Audit-Pass-789";
const ADMIN_PASSWORD: &str = "Audit-Pass-000";

async fn pool(idp: &Client) -> String {
    idp.create_user_pool()
        .pool_name(unique_name("audit-"))
        .alias_attributes(AliasAttributeType::Email)
        .auto_verified_attributes(VerifiedAttributeType::Email)
        .send()
        .await
        .expect("CreateUserPool")
        .user_pool
        .and_then(|p| p.id)
        .expect("pool id")
}

async fn client(idp: &Client, pool: &str) -> String {
    idp.create_user_pool_client()
        .user_pool_id(pool)
        .client_name(unique_name("audit-app-"))
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .send()
        .await
        .expect("CreateUserPoolClient")
        .user_pool_client
        .and_then(|c| c.client_id)
        .expect("client id")
}

pub(super) async fn pool_records(app: &TestApp, pool: &str) -> Vec<AuditEvent> {
    let filter = AuditFilter {
        pool_id: Some(pool.to_owned()),
        ..AuditFilter::default()
    };
    app.cx()
        .store
        .list_audit(0, &filter, 10_000)
        .await
        .unwrap()
        .iter()
        .map(|r| r.event().unwrap())
        .collect()
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
        .is_ok()
}

/// The six-digit code in the latest mail to `to`.
fn last_code(app: &TestApp, to: &str) -> String {
    let mail = app.mailer().emails_to(to);
    let last = mail.last().expect("a mail");
    last.body
        .split(|c: char| !c.is_ascii_digit())
        .find(|run| run.len() == 6)
        .expect("a code")
        .to_owned()
}

#[tokio::test]
async fn sign_in_events_are_listed_with_feedback() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = pool(&idp).await;
        let client = client(&idp, &pool).await;
        let name = create_user(&idp, &pool, "dana", &[("email", "dana@example.com")]).await;
        idp.admin_set_user_password()
            .user_pool_id(&pool)
            .username(&name)
            .password(PASSWORD)
            .permanent(true)
            .send()
            .await
            .unwrap();
        assert!(!sign_in(&app, &client, "dana", "Wrong-Pass-1").await);
        assert!(sign_in(&app, &client, "dana", PASSWORD).await);

        let out = idp
            .admin_list_user_auth_events()
            .user_pool_id(&pool)
            .username("dana")
            .send()
            .await
            .unwrap();
        let events = out.auth_events();
        assert_eq!(events.len(), 2, "{events:?}");
        assert!(out.next_token().is_none());
        let (ok, failed) = (&events[0], &events[1]);
        assert_eq!(ok.event_type(), Some(&EventType::SignIn));
        assert_eq!(ok.event_response(), Some(&EventResponseType::Pass));
        assert_eq!(failed.event_response(), Some(&EventResponseType::Fail));
        let context = ok.event_context_data().unwrap();
        assert_eq!(context.ip_address(), Some("127.0.0.1"));
        assert!(context.device_name().is_some());
        assert!(ok.creation_date().is_some());
        assert!(ok.event_feedback().is_none());

        // Pages of one, newest first.
        let first = idp
            .admin_list_user_auth_events()
            .user_pool_id(&pool)
            .username("dana")
            .max_results(1)
            .send()
            .await
            .unwrap();
        assert_eq!(first.auth_events()[0].event_id(), ok.event_id());
        let second = idp
            .admin_list_user_auth_events()
            .user_pool_id(&pool)
            .username("dana")
            .max_results(1)
            .next_token(first.next_token().unwrap())
            .send()
            .await
            .unwrap();
        assert_eq!(second.auth_events()[0].event_id(), failed.event_id());

        idp.admin_update_auth_event_feedback()
            .user_pool_id(&pool)
            .username("dana")
            .event_id(failed.event_id().unwrap())
            .feedback_value(FeedbackValueType::Invalid)
            .send()
            .await
            .unwrap();
        let events = idp
            .admin_list_user_auth_events()
            .user_pool_id(&pool)
            .username("dana")
            .send()
            .await
            .unwrap()
            .auth_events()
            .to_vec();
        let feedback = events[1].event_feedback().unwrap();
        assert_eq!(feedback.feedback_value(), &FeedbackValueType::Invalid);
        assert_eq!(feedback.provider(), "Admin");

        expect_code(
            idp.admin_update_auth_event_feedback()
                .user_pool_id(&pool)
                .username("dana")
                .event_id("no-such-event")
                .feedback_value(FeedbackValueType::Valid)
                .send()
                .await,
            "ResourceNotFoundException",
        );
        expect_code(
            idp.admin_list_user_auth_events()
                .user_pool_id(&pool)
                .username("nobody")
                .send()
                .await,
            "UserNotFoundException",
        );
    })
    .await;
}

#[tokio::test]
async fn no_secret_reaches_the_trail() {
    each_backend(|app| async move {
        let idp = app.idp();
        let public = app.unsigned_idp();
        let pool = pool(&idp).await;
        let client = client(&idp, &pool).await;
        let secret_client = idp
            .create_user_pool_client()
            .user_pool_id(&pool)
            .client_name(unique_name("secret-"))
            .generate_secret(true)
            .send()
            .await
            .unwrap()
            .user_pool_client
            .unwrap();
        let client_secret = secret_client.client_secret().unwrap().to_owned();

        let email = format!("{}@example.com", unique_name("carol"));
        let sub = public
            .sign_up()
            .client_id(&client)
            .username("carol")
            .password(PASSWORD)
            .user_attributes(attr("email", &email))
            .send()
            .await
            .unwrap()
            .user_sub;
        let sign_up_code = last_code(&app, &email);
        public
            .confirm_sign_up()
            .client_id(&client)
            .username("carol")
            .confirmation_code(&sign_up_code)
            .send()
            .await
            .unwrap();
        assert!(!sign_in(&app, &client, &email, "Wrong-Pass-1").await);
        let tokens = public
            .initiate_auth()
            .client_id(&client)
            .auth_flow(AuthFlowType::UserPasswordAuth)
            .auth_parameters("USERNAME", "carol")
            .auth_parameters("PASSWORD", PASSWORD)
            .send()
            .await
            .unwrap()
            .authentication_result
            .unwrap();
        let access = tokens.access_token().unwrap().to_owned();
        let refresh = tokens.refresh_token().unwrap().to_owned();
        let id_token = tokens.id_token().unwrap().to_owned();
        public
            .get_user()
            .access_token(&access)
            .send()
            .await
            .unwrap();
        public
            .change_password()
            .access_token(&access)
            .previous_password(PASSWORD)
            .proposed_password(NEW_PASSWORD)
            .send()
            .await
            .unwrap();
        public
            .initiate_auth()
            .client_id(&client)
            .auth_flow(AuthFlowType::RefreshTokenAuth)
            .auth_parameters("REFRESH_TOKEN", &refresh)
            .send()
            .await
            .unwrap();
        public
            .forgot_password()
            .client_id(&client)
            .username("carol")
            .send()
            .await
            .unwrap();
        let reset_code = last_code(&app, &email);
        public
            .confirm_forgot_password()
            .client_id(&client)
            .username("carol")
            .confirmation_code(&reset_code)
            .password(RESET_PASSWORD)
            .send()
            .await
            .unwrap();
        idp.admin_set_user_password()
            .user_pool_id(&pool)
            .username("carol")
            .password(ADMIN_PASSWORD)
            .permanent(true)
            .send()
            .await
            .unwrap();
        public
            .revoke_token()
            .client_id(&client)
            .token(&refresh)
            .send()
            .await
            .unwrap();

        let records = pool_records(&app, &pool).await;
        let secrets = [
            PASSWORD,
            NEW_PASSWORD,
            RESET_PASSWORD,
            ADMIN_PASSWORD,
            "Wrong-Pass-1",
            &sign_up_code,
            &reset_code,
            &access,
            &refresh,
            &id_token,
            &client_secret,
        ];
        for record in &records {
            let body = record.to_body().unwrap();
            for secret in secrets {
                assert!(!body.contains(secret), "a secret in {body}");
            }
        }

        let find = |op: &str| {
            records
                .iter()
                .filter(|r| r.operation == op)
                .cloned()
                .collect::<Vec<_>>()
        };
        let sign_ins = find("InitiateAuth");
        assert_eq!(sign_ins.len(), 3, "{sign_ins:?}");
        // The failed sign-in by email alias is the user's too.
        assert_eq!(sign_ins[0].outcome, Outcome::Fail);
        assert_eq!(sign_ins[0].error.as_deref(), Some("NotAuthorizedException"));
        assert_eq!(sign_ins[0].sub, Some(sub.clone()));
        assert_eq!(sign_ins[0].username.as_deref(), Some("carol"));
        assert_eq!(sign_ins[1].outcome, Outcome::Pass);
        assert_eq!(sign_ins[1].client_id.as_deref(), Some(client.as_str()));
        assert_eq!(sign_ins[2].auth_event, Some(AuthEventKind::TokenRefresh));
        assert_eq!(find("GetUser")[0].sub, Some(sub.clone()));
        assert_eq!(
            find("ChangePassword")[0].auth_event,
            Some(AuthEventKind::PasswordChange)
        );
        assert_eq!(
            find("ConfirmForgotPassword")[0].auth_event,
            Some(AuthEventKind::PasswordReset)
        );
        let admin_set = &find("AdminSetUserPassword")[0];
        assert_eq!(admin_set.changed, vec!["Password", "Permanent"]);
        assert_eq!(
            admin_set.access_key_id.as_deref(),
            Some(app.admin_key().access_key_id.as_str())
        );
        assert_eq!(
            find("RevokeToken")[0].auth_event,
            Some(AuthEventKind::Revocation)
        );
        assert_eq!(find("SignUp")[0].sub, Some(sub.clone()));
        assert_eq!(
            find("CreateUserPoolClient")[0].auth_event,
            Some(AuthEventKind::AdminChange)
        );

        let key = checkpoint_key(app.cx().store.as_ref(), app.cx().rng.as_ref())
            .await
            .unwrap();
        let report = verify_trail(app.cx().store.as_ref(), &key).await.unwrap();
        assert_eq!(report.finding, None);
        assert!(report.checked >= records.len() as u64);
    })
    .await;
}

/// An InitiateAuth for an unknown user, sent with `X-Forwarded-For`; the source IP its
/// record got.
async fn recorded_source(app: &TestApp) -> Option<String> {
    let idp = app.idp();
    let pool = pool(&idp).await;
    let client = client(&idp, &pool).await;
    let body = serde_json::json!({
        "ClientId": client,
        "AuthFlow": "USER_PASSWORD_AUTH",
        "AuthParameters": {"USERNAME": "ghost", "PASSWORD": "Ghost-Pass-1"}
    });
    let response = app
        .send(
            RawRequest::idp("InitiateAuth", body.to_string())
                .header("X-Forwarded-For", "198.51.100.20, 203.0.113.7"),
        )
        .await;
    assert!(response.error_type().is_some(), "{}", response.text());
    let records = pool_records(app, &pool).await;
    let sign_in = records
        .iter()
        .find(|r| r.operation == "InitiateAuth")
        .expect("the sign-in is recorded");
    assert_eq!(sign_in.outcome, Outcome::Fail);
    sign_in.source_ip.clone()
}

#[tokio::test]
async fn forwarded_for_counts_only_from_a_trusted_proxy() {
    for backend in Backend::configured() {
        let untrusted = TestApp::start_on(backend).await;
        assert_eq!(
            recorded_source(&untrusted).await.as_deref(),
            Some("127.0.0.1")
        );
        let trusted = TestApp::start_with(backend, |s| {
            s.audit.trusted_proxies = vec!["127.0.0.0/8".parse().unwrap()];
        })
        .await;
        assert_eq!(
            recorded_source(&trusted).await.as_deref(),
            Some("203.0.113.7")
        );
    }
}
