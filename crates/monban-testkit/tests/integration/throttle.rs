//! Per-source throttling: past its token bucket a source gets `TooManyRequestsException`
//! on the public sign-in and sign-up operations, before any work; the bucket refills at the
//! configured rate; admin operations and other sources are not affected. (The embedded test
//! server has no peer addresses, so all its callers are one source; the Python suite checks
//! the real binary, where the source is the peer address.)

use std::time::Duration;

use monban_core::audit::AuditFilter;
use monban_core::throttling::ThrottleSettings;
use monban_testkit::idp::types::AuthFlowType;
use monban_testkit::{service_error, Backend, TestApp};

use super::support::{new_client, new_pool_id};

#[tokio::test]
async fn a_source_past_its_bucket_gets_too_many_requests_until_it_refills() {
    let app = TestApp::start_with(Backend::Sqlite, |s| {
        s.throttling = ThrottleSettings {
            rate_per_sec: 2,
            burst: 3,
        }
    })
    .await;
    let idp = app.idp();
    let pool = new_pool_id(&idp).await;
    let client = new_client(&idp, &pool).await.client_id.unwrap();
    let public = app.unsigned_idp();
    let sign_in = || {
        public
            .initiate_auth()
            .client_id(&client)
            .auth_flow(AuthFlowType::UserPasswordAuth)
            .auth_parameters("USERNAME", "nobody")
            .auth_parameters("PASSWORD", "Wrong-Passw0rd!")
            .send()
    };
    // The burst: answered by the sign-in itself (the client does not allow the flow).
    for _ in 0..3 {
        let e = service_error(sign_in().await);
        assert_ne!(e.code, "TooManyRequestsException", "{e:?}");
    }
    let e = service_error(sign_in().await);
    assert_eq!(e.code, "TooManyRequestsException");
    assert_eq!(e.message, "Rate exceeded");
    // Other public operations of the family share the bucket.
    let e = service_error(
        public
            .forgot_password()
            .client_id(&client)
            .username("nobody")
            .send()
            .await,
    );
    assert_eq!(e.code, "TooManyRequestsException");
    // Admin operations are not throttled.
    idp.describe_user_pool()
        .user_pool_id(&pool)
        .send()
        .await
        .unwrap();
    // Two tokens a second: one after 500 ms, not before.
    app.clock().advance(Duration::from_millis(499));
    assert_eq!(
        service_error(sign_in().await).code,
        "TooManyRequestsException"
    );
    app.clock().advance(Duration::from_millis(1));
    assert_ne!(
        service_error(sign_in().await).code,
        "TooManyRequestsException"
    );
    assert_eq!(
        service_error(sign_in().await).code,
        "TooManyRequestsException"
    );

    // Each refusal is in the audit trail.
    let refused = app
        .cx()
        .store
        .list_audit(0, &AuditFilter::default(), 10_000)
        .await
        .unwrap()
        .iter()
        .map(|r| r.event().unwrap())
        .filter(|e| e.error.as_deref() == Some("TooManyRequestsException"))
        .map(|e| e.operation)
        .collect::<Vec<_>>();
    assert_eq!(
        refused,
        [
            "InitiateAuth",
            "ForgotPassword",
            "InitiateAuth",
            "InitiateAuth"
        ]
    );
}

#[tokio::test]
async fn the_defaults_leave_room_for_a_busy_client() {
    let app = TestApp::start_on(Backend::Sqlite).await;
    let idp = app.idp();
    let pool = new_pool_id(&idp).await;
    let client = new_client(&idp, &pool).await.client_id.unwrap();
    let public = app.unsigned_idp();
    for _ in 0..300 {
        let e = service_error(
            public
                .initiate_auth()
                .client_id(&client)
                .auth_flow(AuthFlowType::UserPasswordAuth)
                .auth_parameters("USERNAME", "nobody")
                .auth_parameters("PASSWORD", "Wrong-Passw0rd!")
                .send()
                .await,
        );
        assert_ne!(e.code, "TooManyRequestsException");
    }
}

#[tokio::test]
async fn a_rate_of_zero_turns_throttling_off() {
    let app = TestApp::start_with(Backend::Sqlite, |s| {
        s.throttling = ThrottleSettings {
            rate_per_sec: 0,
            burst: 0,
        }
    })
    .await;
    let idp = app.idp();
    let pool = new_pool_id(&idp).await;
    let client = new_client(&idp, &pool).await.client_id.unwrap();
    let public = app.unsigned_idp();
    for _ in 0..20 {
        let e = service_error(
            public
                .forgot_password()
                .client_id(&client)
                .username("nobody")
                .send()
                .await,
        );
        assert_ne!(e.code, "TooManyRequestsException");
    }
}
