//! Hostile input, generated from the service model: for every operation of both services
//! (user pools and identity pools), requests with missing members, wrong JSON types,
//! oversized strings, values outside patterns and enums, invalid UTF-8, deeply nested and
//! huge bodies, wrong or missing content types and absent or duplicated headers. Every
//! answer must be a Cognito-shaped 4xx (`__type`, `message`, `x-amzn-ErrorType`), never a
//! 5xx, a dropped connection or a hang, and `/health` must still answer between batches.
//!
//! IAM operations are signed with the admin key (for their service's signing name), so that
//! the bodies reach the decoder instead of stopping at authentication.

use std::time::{Duration, SystemTime};

use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use monban_core::wire::schema::{AuthKind, Member, Operation, ShapeKind};
use monban_core::wire::{Service, IDENTITY, IDP};
use monban_testkit::raw::AMZ_JSON;
use monban_testkit::{each_backend, RawRequest, RawResponse, TestApp};
use serde_json::{json, Map, Value};

/// No single answer may take longer than this (the server bounds what it reads).
const ANSWER_WITHIN: Duration = Duration::from_secs(20);
/// The server's bound on request bodies (`monban_server::api::MAX_BODY`).
const MAX_BODY: usize = 1024 * 1024;

const SERIALIZATION: &str = "SerializationException";
const INVALID_PARAMETER: &str = "InvalidParameterException";
/// What a known operation that monban does not implement answers, before decoding.
const NOT_ENABLED: &str = "OperationNotEnabledException";

/// One hostile request and what it may be answered with.
struct Case {
    what: String,
    request: RawRequest,
    /// Error types accepted; empty: any Cognito-shaped 4xx.
    expect: Vec<&'static str>,
    /// Whether a 200 is acceptable (the defect is not one the model forbids).
    may_succeed: bool,
}

fn services() -> [(&'static Service, &'static str); 2] {
    [(&IDP, "cognito-idp"), (&IDENTITY, "cognito-identity")]
}

fn members(service: &Service, op: &Operation) -> &'static [Member] {
    match service.shapes.get(op.input).map(|s| &s.kind) {
        Some(ShapeKind::Structure(members)) => members,
        _ => &[],
    }
}

/// A JSON value of the wrong type for `shape` (`None` for documents, which take any JSON).
fn wrong_type(service: &Service, shape: usize) -> Option<Value> {
    Some(match &service.shapes.get(shape)?.kind {
        ShapeKind::String { .. } | ShapeKind::Blob { .. } => json!(12345),
        ShapeKind::Integer { .. } | ShapeKind::Long { .. } => json!("12"),
        ShapeKind::Boolean => json!("true"),
        ShapeKind::Timestamp => json!({"at": 1}),
        ShapeKind::Structure(_) => json!(["not", "an", "object"]),
        ShapeKind::List { .. } => json!({"not": "a list"}),
        ShapeKind::Map { .. } => json!("not a map"),
        ShapeKind::Document => return None,
    })
}

/// A value of the right type that breaks a constraint of `shape`, with a name for it.
/// `heavy` sizes the unbounded ones for the sampled operations; the others get a tenth.
fn out_of_bounds(service: &Service, shape: usize, heavy: bool) -> Vec<(&'static str, Value)> {
    let scale = |n: usize| if heavy { n } else { n / 10 };
    let Some(s) = service.shapes.get(shape) else {
        return Vec::new();
    };
    match &s.kind {
        ShapeKind::String {
            max,
            pattern,
            values,
            ..
        } => {
            let mut out = Vec::new();
            // Without a maximum in the model, a large string may be valid: any 4xx will do.
            match max {
                Some(m) => out.push((
                    "string over the maximum",
                    Value::String("x".repeat(usize::try_from(*m).unwrap_or(0) + 1)),
                )),
                None => out.push((
                    "large string (no maximum)",
                    Value::String("x".repeat(scale(MAX_BODY / 2))),
                )),
            }
            if pattern.is_some() {
                out.push((
                    "string outside the pattern",
                    Value::String("\u{0}\u{7}<script>\"'\n\u{202e}".to_owned()),
                ));
            }
            if !values.is_empty() {
                out.push(("value outside the enum", json!("NOT_AN_ENUM_VALUE")));
            }
            out
        }
        ShapeKind::Integer { .. } => vec![
            ("integer beyond 32 bits", json!(1_u64 << 40)),
            ("negative integer", json!(i64::MIN)),
        ],
        ShapeKind::Long { .. } => vec![("integer beyond 64 bits", json!(u64::MAX))],
        ShapeKind::List { max, .. } => {
            // Items of the wrong type for most lists: either error is a fine answer.
            let n = max.map_or(scale(10_000), |m| usize::try_from(m).unwrap_or(0) + 1);
            vec![(
                "oversized list",
                Value::Array(vec![json!("x"); n.min(10_000)]),
            )]
        }
        ShapeKind::Map { max, .. } => {
            let n = max.map_or(scale(2_000), |m| usize::try_from(m).unwrap_or(0) + 1);
            let map: Map<String, Value> = (0..n.min(2_000))
                .map(|i| (format!("k{i}"), json!("v")))
                .collect();
            vec![("oversized map", Value::Object(map))]
        }
        _ => Vec::new(),
    }
}

/// `[[[[…]]]]` `depth` deep.
fn nested(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

/// `{"a":{"a":…}}` `depth` deep, as the value of member `name`.
fn nested_objects(name: &str, depth: usize) -> String {
    format!(
        "{{\"{name}\":{}1{}}}",
        "{\"a\":".repeat(depth),
        "}".repeat(depth)
    )
}

fn body_with(name: &str, value: Value) -> Vec<u8> {
    let mut obj = Map::new();
    obj.insert(name.to_owned(), value);
    Value::Object(obj).to_string().into_bytes()
}

/// Every hostile case for `op`; `sample` adds the costly sizes (every twelfth operation).
fn cases(service: &'static Service, op: &'static Operation, sample: bool) -> Vec<Case> {
    let target = format!("{}.{}", service.target_prefix, op.name);
    let request = |body: Vec<u8>| {
        RawRequest::new("POST", "/")
            .header("content-type", AMZ_JSON)
            .header("x-amz-target", &target)
            .body(body)
    };
    let members = members(service, op);
    let has_required = members.iter().any(|m| m.required);
    let mut out = Vec::new();
    let mut case = |what: String, request: RawRequest, expect: &[&'static str], ok: bool| {
        out.push(Case {
            what,
            request,
            expect: expect.to_vec(),
            may_succeed: ok,
        });
    };

    case(
        "empty object (required members missing)".into(),
        request(b"{}".to_vec()),
        if has_required {
            &[INVALID_PARAMETER]
        } else {
            &[]
        },
        !has_required,
    );
    for m in members {
        if let Some(v) = wrong_type(service, m.shape) {
            case(
                format!("wrong type for {}", m.name),
                request(body_with(m.name, v)),
                &[SERIALIZATION],
                false,
            );
        }
        for (what, v) in out_of_bounds(service, m.shape, sample) {
            let strict: &[&'static str] = if what.contains("no maximum") {
                &[]
            } else {
                &[INVALID_PARAMETER, SERIALIZATION]
            };
            case(
                format!("{what} for {}", m.name),
                request(body_with(m.name, v)),
                strict,
                false,
            );
        }
    }
    let first = members.first().map_or("Anything", |m| m.name);
    let syntax: &[&'static str] = &[SERIALIZATION];
    let mut invalid_utf8 = format!("{{\"{first}\": \"").into_bytes();
    invalid_utf8.extend_from_slice(&[0xff, 0xfe, 0xc3, 0x28, b'"', b'}']);
    case(
        "invalid UTF-8 in a string".into(),
        request(invalid_utf8),
        syntax,
        false,
    );
    case(
        "deeply nested arrays".into(),
        request(nested(if sample { 100_000 } else { 5_000 }).into_bytes()),
        syntax,
        false,
    );
    case(
        format!("deeply nested objects in {first}"),
        request(nested_objects(first, if sample { 50_000 } else { 2_000 }).into_bytes()),
        syntax,
        false,
    );
    case(
        "not JSON".into(),
        request(b"\x00\x01{[".to_vec()),
        syntax,
        false,
    );
    case(
        "a JSON array".into(),
        request(b"[{}]".to_vec()),
        syntax,
        false,
    );
    case(
        "a number beyond f64".into(),
        request(format!("{{\"{first}\": 1e400}}").into_bytes()),
        syntax,
        false,
    );
    // The last one wins, for validation and decoding alike (one parse): no differential.
    case(
        "duplicate keys".into(),
        request(format!("{{\"{first}\": 1, \"{first}\": \"x\"}}").into_bytes()),
        &[],
        true,
    );
    let empty: &[&'static str] = if has_required {
        &[INVALID_PARAMETER]
    } else {
        &[]
    };
    case(
        "text/plain content type".into(),
        request(b"{}".to_vec()).set_header("content-type", "text/plain"),
        empty,
        !has_required,
    );
    case(
        "no content type".into(),
        request(b"{}".to_vec()).without_header("content-type"),
        empty,
        !has_required,
    );
    case(
        "duplicated target header".into(),
        request(b"{}".to_vec()).header("x-amz-target", "AWSCognitoIdentityProviderService.Nope"),
        &[],
        !has_required,
    );
    case(
        "duplicated content type".into(),
        request(b"{}".to_vec()).header("content-type", "application/json"),
        &[],
        !has_required,
    );
    if sample {
        let mut huge = format!("{{\"{first}\": \"").into_bytes();
        huge.resize(MAX_BODY + 4096, b'a');
        huge.extend_from_slice(b"\"}");
        case(
            "body over the size bound".into(),
            request(huge),
            &[INVALID_PARAMETER],
            false,
        );
        let many: Map<String, Value> = (0..50_000).map(|i| (format!("k{i}"), json!(i))).collect();
        case(
            "fifty thousand unknown members".into(),
            request(Value::Object(many).to_string().into_bytes()),
            &[],
            !has_required,
        );
    }
    out
}

/// Signs `req` with `app`'s admin key for `signing_name` as of the test clock.
fn sign_for(app: &TestApp, mut req: RawRequest, signing_name: &str) -> RawRequest {
    let authority = app.addr().to_string();
    req = req.header("host", &authority);
    let key = app.admin_key();
    let identity = key.credentials().into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region("us-east-1")
        .name(signing_name)
        .time(app.clock().system_time())
        .settings(SigningSettings::default())
        .build()
        .expect("SigV4 parameters")
        .into();
    let uri = format!("http://{authority}/");
    let signable = SignableRequest::new(
        "POST",
        uri,
        req.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())),
        SignableBody::Bytes(&req.body),
    )
    .expect("signable request");
    let (instructions, _) = sign(signable, &params)
        .expect("SigV4 signature")
        .into_parts();
    let added: Vec<(String, String)> = instructions
        .headers()
        .map(|(n, v)| (n.to_owned(), v.to_owned()))
        .collect();
    req.headers.extend(added);
    req
}

async fn send_within(app: &TestApp, req: RawRequest, what: &str) -> RawResponse {
    tokio::time::timeout(ANSWER_WITHIN, app.send(req))
        .await
        .unwrap_or_else(|_| panic!("no answer within {ANSWER_WITHIN:?} to {what}"))
}

/// A Cognito-shaped 4xx: JSON `{__type, message}` and a matching `x-amzn-ErrorType`.
#[track_caller]
fn assert_cognito_4xx(resp: &RawResponse, what: &str) -> String {
    assert!(
        (400..500).contains(&resp.status),
        "{what}: expected a 4xx, got {} {}",
        resp.status,
        truncated(&resp.text())
    );
    let json = resp.json();
    let error_type = json["__type"]
        .as_str()
        .unwrap_or_else(|| panic!("{what}: no __type in {}", truncated(&resp.text())));
    assert!(
        json["message"].is_string(),
        "{what}: no message in {}",
        truncated(&resp.text())
    );
    let header = resp.header("x-amzn-errortype").unwrap_or_default();
    assert_eq!(
        header.split(':').next(),
        Some(error_type),
        "{what}: x-amzn-ErrorType"
    );
    error_type.to_owned()
}

fn truncated(text: &str) -> String {
    text.chars().take(300).collect()
}

async fn assert_healthy(app: &TestApp, after: &str) {
    let resp = send_within(app, RawRequest::new("GET", "/health"), "GET /health").await;
    assert_eq!(resp.status, 200, "/health after {after}: {}", resp.text());
}

async fn sweep(app: &TestApp) -> usize {
    let mut sent = 0;
    for (service, signing_name) in services() {
        for (i, op) in service.operations.iter().enumerate() {
            for case in cases(service, op, i % 12 == 0) {
                let what = format!("{} with {}", op.name, case.what);
                let req = match op.auth {
                    AuthKind::SigV4 => sign_for(app, case.request, signing_name),
                    AuthKind::Unsigned | AuthKind::SignatureOptional => case.request,
                };
                let resp = send_within(app, req, &what).await;
                sent += 1;
                if case.may_succeed && resp.status == 200 {
                    continue;
                }
                let error_type = assert_cognito_4xx(&resp, &what);
                if !case.expect.is_empty() && error_type != NOT_ENABLED {
                    assert!(
                        case.expect.contains(&error_type.as_str()),
                        "{what}: expected one of {:?}, got {}",
                        case.expect,
                        truncated(&resp.text())
                    );
                }
            }
            assert_healthy(app, op.name).await;
        }
    }
    sent
}

#[tokio::test]
async fn every_operation_answers_hostile_input_with_a_cognito_4xx() {
    each_backend(|app| async move {
        let started = SystemTime::now();
        let sent = sweep(&app).await;
        eprintln!(
            "{sent} hostile requests in {:?}",
            started.elapsed().unwrap_or_default()
        );
        assert!(sent > 1_000, "the sweep covered every operation: {sent}");
    })
    .await;
}

#[tokio::test]
async fn requests_without_a_usable_target_are_unknown_operations() {
    each_backend(|app| async move {
        let base = || {
            RawRequest::new("POST", "/")
                .header("content-type", AMZ_JSON)
                .body(b"{}".to_vec())
        };
        let cases = [
            ("no target", base()),
            ("empty target", base().header("x-amz-target", "")),
            (
                "target with only a prefix",
                base().header("x-amz-target", "AWSCognitoIdentityProviderService."),
            ),
            (
                "target of 10 kB",
                base().header("x-amz-target", &"A.".repeat(5_000)),
            ),
            (
                "target with a path",
                base().header(
                    "x-amz-target",
                    "AWSCognitoIdentityProviderService.../ListUserPools",
                ),
            ),
        ];
        for (what, req) in cases {
            let resp = send_within(&app, req, what).await;
            assert_eq!(
                assert_cognito_4xx(&resp, what),
                "UnknownOperationException",
                "{what}"
            );
        }
        assert_healthy(&app, "bad targets").await;
    })
    .await;
}

#[tokio::test]
async fn a_declared_body_beyond_the_drain_bound_is_refused_without_reading_it() {
    each_backend(|app| async move {
        // Beyond MAX_DRAIN by Content-Length: refused on the header, before the body.
        let req = RawRequest::new("POST", "/")
            .header("content-type", AMZ_JSON)
            .header(
                "x-amz-target",
                "AWSCognitoIdentityProviderService.InitiateAuth",
            )
            .body(vec![b' '; 32 * 1024 * 1024]);
        let resp = send_within(&app, req, "a 32 MB body").await;
        assert_eq!(assert_cognito_4xx(&resp, "a 32 MB body"), INVALID_PARAMETER);
        assert!(
            resp.message().unwrap_or_default().contains("maximum size"),
            "{}",
            resp.text()
        );
        assert_healthy(&app, "a 32 MB body").await;
    })
    .await;
}

#[tokio::test]
async fn methods_other_than_post_on_the_api_are_not_5xx() {
    each_backend(|app| async move {
        for method in ["GET", "PUT", "DELETE", "PATCH"] {
            let req = RawRequest::idp("ListUserPools", r#"{"MaxResults": 1}"#);
            let req = RawRequest {
                method: method.to_owned(),
                ..req
            };
            let resp = send_within(&app, req, method).await;
            assert!(
                (400..500).contains(&resp.status),
                "{method} /: {} {}",
                resp.status,
                resp.text()
            );
        }
        assert_healthy(&app, "other methods").await;
    })
    .await;
}
