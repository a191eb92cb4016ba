//! The HTTP surface through the real router, without a socket (one test uses one, for the
//! oversized body). Operation behaviour is tested in core and, end to end with the AWS
//! SDK, in monban-testkit.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fake_store;

use std::sync::atomic::Ordering;
use std::sync::Arc;

use axum::body::{to_bytes, Body};
use axum::http::{HeaderValue, Request, StatusCode};
use axum::response::Response;
use monban_core::mail::OutboxMailer;
use monban_core::{Clock, Cx, Settings, SystemRng};
use tower::ServiceExt;

use crate::sigv4::{self, RequestParts};
use crate::{router, AdminKey, App};
use fake_store::FakeStore;

const IDP: &str = "AWSCognitoIdentityProviderService";
const IDENTITY: &str = "AWSCognitoIdentityService";
/// The test clock: 2023-11-14T22:13:20Z.
const NOW_MS: i64 = 1_700_000_000_000;

struct FixedClock;

impl Clock for FixedClock {
    fn now_ms(&self) -> i64 {
        NOW_MS
    }
}

fn admin_key() -> AdminKey {
    AdminKey {
        access_key_id: "AKIDMONBAN".to_owned(),
        secret_access_key: "monban-test-secret".to_owned(),
    }
}

pub(crate) struct Harness {
    pub store: Arc<FakeStore>,
    pub app: App,
}

pub(crate) fn harness() -> Harness {
    let store = Arc::new(FakeStore::default());
    let clock: Arc<dyn Clock> = Arc::new(FixedClock);
    let cx = Cx {
        store: store.clone(),
        clock: clock.clone(),
        rng: Arc::new(SystemRng),
        mailer: Arc::new(OutboxMailer {
            store: store.clone(),
            clock: clock.clone(),
        }),
        settings: Arc::new(Settings::default()),
        keys: Default::default(),
        secrets: Default::default(),
        triggers: Arc::new(monban_core::triggers::NoTriggers),
        sms: Arc::new(monban_core::sms::OutboxSms {
            store: store.clone(),
            clock,
        }),
    };
    Harness {
        store,
        app: App {
            cx,
            admin_keys: vec![admin_key()],
            dev: false,
        },
    }
}

/// An API request as an SDK sends it, unsigned.
fn api_request(target: &str, body: &str) -> Request<Body> {
    Request::post("/")
        .header("host", "127.0.0.1:9876")
        .header("content-type", "application/x-amz-json-1.1")
        .header("x-amz-target", target)
        .body(Body::from(body.to_owned()))
        .unwrap()
}

/// An API request signed for `scope_service` with `key`, dated `signed_at_ms`.
fn signed_request(
    target: &str,
    body: &str,
    key: &AdminKey,
    scope_service: &str,
    signed_at_ms: i64,
) -> Request<Body> {
    let mut request = api_request(target, body);
    let amz_date = sigv4::amz_date::format(signed_at_ms);
    request
        .headers_mut()
        .insert("x-amz-date", HeaderValue::from_str(&amz_date).unwrap());
    let (parts, body_stream) = request.into_parts();
    let authorization = sigv4::sign(
        &RequestParts {
            method: parts.method.as_str(),
            path: parts.uri.path(),
            query: parts.uri.query(),
            headers: &parts.headers,
            authority: None,
        },
        body.as_bytes(),
        key,
        &amz_date,
        "us-east-1",
        scope_service,
        &["content-type", "host", "x-amz-date", "x-amz-target"],
    );
    let mut request = Request::from_parts(parts, body_stream);
    request.headers_mut().insert(
        "authorization",
        HeaderValue::from_str(&authorization).unwrap(),
    );
    request
}

fn admin_request(target: &str, body: &str) -> Request<Body> {
    signed_request(target, body, &admin_key(), "cognito-idp", NOW_MS)
}

async fn send(app: App, request: Request<Body>) -> Response {
    router(app).oneshot(request).await.unwrap()
}

async fn json(response: Response) -> serde_json::Value {
    let bytes = to_bytes(response.into_body(), usize::MAX).await.unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

/// Asserts a Cognito-shaped error answer and returns its message.
async fn expect_error(response: Response, status: StatusCode, error_type: &str) -> String {
    assert_eq!(response.status(), status);
    let headers = response.headers();
    assert_eq!(headers["content-type"], "application/x-amz-json-1.1");
    assert_eq!(headers["x-amzn-errortype"], error_type);
    let request_id = headers["x-amzn-requestid"].to_str().unwrap();
    assert!(uuid::Uuid::parse_str(request_id).is_ok(), "{request_id}");
    let body = json(response).await;
    assert_eq!(body["__type"], error_type, "{body}");
    body["message"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn health_follows_the_store() {
    let h = harness();
    let request = || Request::get("/health").body(Body::empty()).unwrap();
    let response = send(h.app.clone(), request()).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers().contains_key("x-amzn-requestid"));
    assert_eq!(json(response).await, serde_json::json!({"status": "ok"}));

    h.store.down.store(true, Ordering::SeqCst);
    let response = send(h.app, request()).await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(json(response).await["status"], "unavailable");
}

#[tokio::test]
async fn date_header_follows_the_service_clock() {
    // SDKs correct their signing clock from `Date`: it must be the clock that checks X-Amz-Date.
    let h = harness();
    let response = send(h.app, Request::get("/health").body(Body::empty()).unwrap()).await;
    assert_eq!(response.headers()["date"], "Tue, 14 Nov 2023 22:13:20 GMT");
}

#[tokio::test]
async fn targets_must_name_a_known_operation() {
    let h = harness();
    let mut no_target = api_request("x", "{}");
    no_target.headers_mut().remove("x-amz-target");
    for request in [
        no_target,
        api_request("AWSCognitoIdentityProviderService", "{}"),
        api_request(&format!("{IDP}.NoSuchOperation"), "{}"),
        api_request("DynamoDB_20120810.ListTables", "{}"),
        api_request(&format!("{IDENTITY}.ListUserPools"), "{}"),
    ] {
        let response = send(h.app.clone(), request).await;
        expect_error(
            response,
            StatusCode::BAD_REQUEST,
            "UnknownOperationException",
        )
        .await;
    }
}

#[tokio::test]
async fn admin_operations_require_a_valid_signature() {
    let h = harness();
    let target = format!("{IDP}.ListUserPools");
    let body = r#"{"MaxResults":10}"#;

    let response = send(h.app.clone(), api_request(&target, body)).await;
    let message = expect_error(
        response,
        StatusCode::BAD_REQUEST,
        "MissingAuthenticationTokenException",
    )
    .await;
    assert_eq!(message, "Missing Authentication Token");

    let stranger = AdminKey {
        access_key_id: "AKIDSTRANGER".to_owned(),
        secret_access_key: "whatever".to_owned(),
    };
    let request = signed_request(&target, body, &stranger, "cognito-idp", NOW_MS);
    let response = send(h.app.clone(), request).await;
    expect_error(
        response,
        StatusCode::BAD_REQUEST,
        "UnrecognizedClientException",
    )
    .await;

    let wrong_secret = AdminKey {
        secret_access_key: "not the secret".to_owned(),
        ..admin_key()
    };
    let request = signed_request(&target, body, &wrong_secret, "cognito-idp", NOW_MS);
    let response = send(h.app.clone(), request).await;
    expect_error(
        response,
        StatusCode::BAD_REQUEST,
        "InvalidSignatureException",
    )
    .await;

    // Signed for another body than the one sent.
    let mut request = admin_request(&target, body);
    *request.body_mut() = Body::from(r#"{"MaxResults":60}"#);
    let response = send(h.app.clone(), request).await;
    expect_error(
        response,
        StatusCode::BAD_REQUEST,
        "InvalidSignatureException",
    )
    .await;

    let an_hour_ago = NOW_MS - 3_600_000;
    let request = signed_request(&target, body, &admin_key(), "cognito-idp", an_hour_ago);
    let response = send(h.app.clone(), request).await;
    let message = expect_error(
        response,
        StatusCode::BAD_REQUEST,
        "InvalidSignatureException",
    )
    .await;
    assert_eq!(
        message,
        "Signature expired: 20231114T211320Z is now earlier than 20231114T215820Z \
         (20231114T221320Z - 15 min.)"
    );

    let request = signed_request(&target, body, &admin_key(), "cognito-identity", NOW_MS);
    let response = send(h.app, request).await;
    expect_error(
        response,
        StatusCode::BAD_REQUEST,
        "InvalidSignatureException",
    )
    .await;
}

#[tokio::test]
async fn dev_mode_accepts_any_key_but_not_no_signature() {
    let mut h = harness();
    h.app.dev = true;
    h.app.admin_keys.clear();
    // An operation no engineer has written: dispatch answers it.
    let target = format!("{IDP}.DescribeRiskConfiguration");
    let body = r#"{"UserPoolId":"us-east-1_AbC123"}"#;
    let stranger = AdminKey {
        access_key_id: "AKIDANY".to_owned(),
        secret_access_key: "anything".to_owned(),
    };
    let request = signed_request(&target, body, &stranger, "cognito-idp", 0);
    let response = send(h.app.clone(), request).await;
    expect_error(
        response,
        StatusCode::BAD_REQUEST,
        "OperationNotEnabledException",
    )
    .await;

    let response = send(h.app, api_request(&target, body)).await;
    expect_error(
        response,
        StatusCode::BAD_REQUEST,
        "MissingAuthenticationTokenException",
    )
    .await;
}

#[tokio::test]
async fn known_operations_without_an_implementation_say_so() {
    let h = harness();
    let target = format!("{IDP}.DescribeRiskConfiguration");
    let request = signed_request(
        &target,
        r#"{"UserPoolId":"us-east-1_AbC123"}"#,
        &admin_key(),
        "cognito-idp",
        NOW_MS,
    );
    let response = send(h.app.clone(), request).await;
    let message = expect_error(
        response,
        StatusCode::BAD_REQUEST,
        "OperationNotEnabledException",
    )
    .await;
    assert_eq!(
        message,
        "monban does not implement DescribeRiskConfiguration yet."
    );
}

const AUTH_ERRORS: [&str; 5] = [
    "MissingAuthenticationTokenException",
    "IncompleteSignatureException",
    "InvalidSignatureException",
    "UnrecognizedClientException",
    "AccessDeniedException",
];

async fn error_type(response: Response) -> String {
    json(response).await["__type"]
        .as_str()
        .unwrap_or("")
        .to_owned()
}

#[tokio::test]
async fn unsigned_operations_ignore_signatures() {
    let h = harness();
    for target in [
        format!("{IDP}.ListUserSessions"),
        format!("{IDP}.InitiateAuth"),
        format!("{IDP}.SignUp"),
    ] {
        let mut request = api_request(&target, "{}");
        request
            .headers_mut()
            .insert("authorization", HeaderValue::from_static("Bearer abc"));
        let error = error_type(send(h.app.clone(), request).await).await;
        assert!(!AUTH_ERRORS.contains(&error.as_str()), "{target}: {error}");
    }
}

#[tokio::test]
async fn signature_optional_operations_check_a_signature_only_when_present() {
    let h = harness();
    let target = format!("{IDP}.GetClientToken");
    let error = error_type(send(h.app.clone(), api_request(&target, "{}")).await).await;
    assert!(!AUTH_ERRORS.contains(&error.as_str()), "{error}");

    let mut request = api_request(&target, "{}");
    request
        .headers_mut()
        .insert("authorization", HeaderValue::from_static("Bearer abc"));
    let response = send(h.app.clone(), request).await;
    expect_error(
        response,
        StatusCode::BAD_REQUEST,
        "IncompleteSignatureException",
    )
    .await;

    let request = admin_request(&target, "{}");
    let error = error_type(send(h.app, request).await).await;
    assert!(!AUTH_ERRORS.contains(&error.as_str()), "{error}");
}

#[tokio::test]
async fn signed_requests_reach_the_operation() {
    let h = harness();
    // Decoding runs after authentication: the model's constraints answer.
    let request = admin_request(&format!("{IDP}.CreateUserPool"), "{}");
    let message = expect_error(
        send(h.app.clone(), request).await,
        StatusCode::BAD_REQUEST,
        "InvalidParameterException",
    )
    .await;
    assert!(message.contains("poolName"), "{message}");
    let request = admin_request(&format!("{IDP}.CreateUserPool"), "{");
    let response = send(h.app.clone(), request).await;
    expect_error(response, StatusCode::BAD_REQUEST, "SerializationException").await;

    // The fake store fails every call: a fault, with its cause kept out of the answer.
    let request = admin_request(&format!("{IDP}.ListUserPools"), r#"{"MaxResults":10}"#);
    let response = send(h.app, request).await;
    let message = expect_error(
        response,
        StatusCode::INTERNAL_SERVER_ERROR,
        "InternalErrorException",
    )
    .await;
    assert!(!message.contains("fake store"), "{message}");
}

#[tokio::test]
async fn oversized_bodies_get_a_cognito_error() {
    let h = harness();
    let body = format!(r#"{{"PoolName":"{}"}}"#, "a".repeat(crate::api::MAX_BODY));
    let response = send(
        h.app,
        admin_request(&format!("{IDP}.CreateUserPool"), &body),
    )
    .await;
    let message = expect_error(
        response,
        StatusCode::BAD_REQUEST,
        "InvalidParameterException",
    )
    .await;
    assert!(message.contains("maximum size"), "{message}");
}

#[tokio::test]
async fn oversized_bodies_over_a_socket_are_answered_not_dropped() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        axum::serve(listener, router(harness().app)).await.unwrap();
    });
    let body = vec![b'x'; 3 * crate::api::MAX_BODY];
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST / HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-amz-json-1.1\r\n\
         X-Amz-Target: {IDP}.SignUp\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(&body).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    server.abort();
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert!(
        answer.contains(r#""__type":"InvalidParameterException""#),
        "{answer}"
    );
}

#[tokio::test]
async fn cors_preflight_and_exposed_headers() {
    let h = harness();
    let preflight = Request::options("/")
        .header("origin", "http://localhost:3000")
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "content-type,x-amz-target,x-amz-user-agent,cache-control",
        )
        .body(Body::empty())
        .unwrap();
    let response = send(h.app.clone(), preflight).await;
    assert!(response.status().is_success(), "{}", response.status());
    let headers = response.headers();
    assert_eq!(headers["access-control-allow-origin"], "*");
    let allowed = headers["access-control-allow-headers"].to_str().unwrap();
    for name in [
        "content-type",
        "x-amz-target",
        "x-amz-user-agent",
        "cache-control",
    ] {
        assert!(allowed.contains(name), "{allowed}");
    }
    assert!(headers["access-control-allow-methods"]
        .to_str()
        .unwrap()
        .contains("POST"));

    let mut request = api_request(&format!("{IDP}.ListUserSessions"), "{}");
    request
        .headers_mut()
        .insert("origin", HeaderValue::from_static("http://localhost:3000"));
    let response = send(h.app, request).await;
    let headers = response.headers();
    assert_eq!(headers["access-control-allow-origin"], "*");
    let exposed = headers["access-control-expose-headers"].to_str().unwrap();
    for name in [
        "x-amzn-requestid",
        "x-amzn-errortype",
        "x-amzn-errormessage",
    ] {
        assert!(exposed.contains(name), "{exposed}");
    }
}
