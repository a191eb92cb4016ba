#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use axum::http::{HeaderMap, HeaderName, HeaderValue};

use super::*;

const SUITE_DATE: &str = "20150830T123600Z";
const SUITE_SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

fn suite_key() -> AdminKey {
    AdminKey {
        access_key_id: "AKIDEXAMPLE".to_owned(),
        secret_access_key: SUITE_SECRET.to_owned(),
    }
}

/// A request of AWS's examples: the method, path, query, headers and body, signed
/// (or not) by the `Authorization` header given.
struct Vector {
    method: &'static str,
    path: &'static str,
    query: Option<&'static str>,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

impl Vector {
    fn new(method: &'static str, path: &'static str, host: &str) -> Self {
        Self {
            method,
            path,
            query: None,
            headers: vec![
                ("host", host.to_owned()),
                ("x-amz-date", SUITE_DATE.to_owned()),
            ],
            body: Vec::new(),
        }
    }

    fn header(mut self, name: &'static str, value: &str) -> Self {
        self.headers.push((name, value.to_owned()));
        self
    }

    fn authorization(self, signed_headers: &str, service: &str, signature: &str) -> Self {
        let value = format!(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/{service}/aws4_request, \
             SignedHeaders={signed_headers}, Signature={signature}"
        );
        self.header("authorization", &value)
    }

    fn header_map(&self) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in &self.headers {
            map.append(
                HeaderName::from_static(name),
                HeaderValue::from_str(value).unwrap(),
            );
        }
        map
    }

    fn verify_with(&self, verifier: &Verifier<'_>, service: &str) -> Result<Iam, Error> {
        let headers = self.header_map();
        let parts = RequestParts {
            method: self.method,
            path: self.path,
            query: self.query,
            headers: &headers,
            authority: None,
        };
        verifier.verify(&parts, &self.body, service)
    }

    fn verify_at(&self, now: &str, service: &str) -> Result<Iam, Error> {
        let keys = [suite_key()];
        let verifier = Verifier {
            keys: &keys,
            now_ms: amz_date::parse(now).unwrap(),
            dev: false,
        };
        self.verify_with(&verifier, service)
    }

    fn verify(&self, service: &str) -> Result<Iam, Error> {
        self.verify_at(SUITE_DATE, service)
    }
}

/// AWS's worked example of the signing documentation: IAM `ListUsers`.
fn iam_example() -> Vector {
    let mut v = Vector::new("GET", "/", "iam.amazonaws.com")
        .header(
            "content-type",
            "application/x-www-form-urlencoded; charset=utf-8",
        )
        .authorization(
            "content-type;host;x-amz-date",
            "iam",
            "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
        );
    v.query = Some("Action=ListUsers&Version=2010-05-08");
    v
}

/// Changes the last hex digit of the example's signature.
fn tamper_signature(v: &mut Vector) {
    let auth = v.headers.last_mut().unwrap();
    assert_eq!(auth.0, "authorization");
    let before = auth.1.clone();
    auth.1 = before.replace("f2b5d7", "f2b5d8");
    assert_ne!(auth.1, before);
}

fn assert_error(result: Result<Iam, Error>, kind: ErrorKind, message_part: &str) {
    match result {
        Ok(iam) => panic!("accepted as {iam:?}, expected {kind:?}"),
        Err(e) => {
            assert_eq!(e.kind, kind, "{e:?}");
            assert!(e.message.contains(message_part), "{e:?}");
        }
    }
}

fn assert_signature_mismatch(result: Result<Iam, Error>) {
    assert_error(
        result,
        ErrorKind::InvalidSignatureException,
        "The request signature we calculated does not match the signature you provided.",
    );
}

#[test]
fn accepts_the_iam_documentation_example() {
    let iam = iam_example().verify("iam").unwrap();
    assert_eq!(iam.access_key_id, "AKIDEXAMPLE");
}

#[test]
fn accepts_the_signing_test_suite_vectors() {
    let host = "example.amazonaws.com";
    let vanilla = "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";
    // get-vanilla, and paths that normalise to it.
    for path in ["/", "/./", "//", "/foo/.."] {
        Vector::new("GET", path, host)
            .authorization("host;x-amz-date", "service", vanilla)
            .verify("service")
            .unwrap_or_else(|e| panic!("{path}: {e:?}"));
    }
    // post-vanilla
    Vector::new("POST", "/", host)
        .authorization(
            "host;x-amz-date",
            "service",
            "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b",
        )
        .verify("service")
        .unwrap();
    // post-vanilla-query
    let mut v = Vector::new("POST", "/", host).authorization(
        "host;x-amz-date",
        "service",
        "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11",
    );
    v.query = Some("Param1=value1");
    v.verify("service").unwrap();
    // get-vanilla-query-order: parameters are sorted before signing.
    let mut v = Vector::new("GET", "/", host).authorization(
        "host;x-amz-date",
        "service",
        "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500",
    );
    v.query = Some("Param2=value2&Param1=value1");
    v.verify("service").unwrap();
    // post-header-value-case: values keep their case.
    Vector::new("POST", "/", host)
        .header("my-header1", "VALUE1")
        .authorization(
            "host;my-header1;x-amz-date",
            "service",
            "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d",
        )
        .verify("service")
        .unwrap();
    // post-x-www-form-urlencoded: the body is signed.
    let mut v = Vector::new("POST", "/", host)
        .header("content-type", "application/x-www-form-urlencoded")
        .authorization(
            "content-type;host;x-amz-date",
            "service",
            "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a",
        );
    v.body = b"Param1=value1".to_vec();
    v.verify("service").unwrap();
    v.body = b"Param1=value2".to_vec();
    assert_signature_mismatch(v.verify("service"));
}

#[test]
fn rejects_tampered_requests() {
    let mut v = iam_example();
    v.query = Some("Action=ListUsers&Version=2010-05-09");
    assert_signature_mismatch(v.verify("iam"));

    let mut v = iam_example();
    v.method = "POST";
    assert_signature_mismatch(v.verify("iam"));

    let mut v = iam_example();
    v.path = "/other";
    assert_signature_mismatch(v.verify("iam"));

    let mut v = iam_example();
    v.body = b"{}".to_vec();
    assert_signature_mismatch(v.verify("iam"));

    let mut v = iam_example();
    v.headers[0].1 = "iam.example.com".to_owned();
    assert_signature_mismatch(v.verify("iam"));

    let mut v = iam_example();
    tamper_signature(&mut v);
    assert_signature_mismatch(v.verify("iam"));

    // A header the client did not sign may change freely.
    iam_example()
        .header("user-agent", "anything")
        .verify("iam")
        .unwrap();
}

#[test]
fn rejects_a_wrong_secret_and_an_unknown_key() {
    let keys = [AdminKey {
        access_key_id: "AKIDEXAMPLE".to_owned(),
        secret_access_key: "another secret".to_owned(),
    }];
    let now_ms = amz_date::parse(SUITE_DATE).unwrap();
    let verifier = Verifier {
        keys: &keys,
        now_ms,
        dev: false,
    };
    assert_signature_mismatch(iam_example().verify_with(&verifier, "iam"));

    let verifier = Verifier {
        keys: &[],
        now_ms,
        dev: false,
    };
    assert_error(
        iam_example().verify_with(&verifier, "iam"),
        ErrorKind::UnrecognizedClientException,
        "The security token included in the request is invalid.",
    );
}

#[test]
fn enforces_fifteen_minutes_of_clock_skew() {
    let v = iam_example();
    v.verify_at("20150830T125100Z", "iam").unwrap();
    v.verify_at("20150830T122100Z", "iam").unwrap();
    assert_error(
        v.verify_at("20150830T125101Z", "iam"),
        ErrorKind::InvalidSignatureException,
        "Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z \
         (20150830T125101Z - 15 min.)",
    );
    assert_error(
        v.verify_at("20150830T122059Z", "iam"),
        ErrorKind::InvalidSignatureException,
        "Signature not yet current: 20150830T123600Z is still later than 20150830T123559Z \
         (20150830T122059Z + 15 min.)",
    );
}

#[test]
fn scope_must_name_the_service_and_the_request_date() {
    assert_error(
        iam_example().verify("cognito-idp"),
        ErrorKind::InvalidSignatureException,
        "Credential should be scoped to correct service: 'cognito-idp'.",
    );
    let mut v = iam_example();
    v.headers[1].1 = "20150831T000100Z".to_owned();
    assert_error(
        v.verify_at("20150831T000000Z", "iam"),
        ErrorKind::InvalidSignatureException,
        "Date in Credential scope does not match",
    );
}

#[test]
fn malformed_headers_are_incomplete_signatures() {
    let incomplete = ErrorKind::IncompleteSignatureException;
    let with_auth = |value: &str| {
        let mut v = Vector::new("POST", "/", "localhost");
        v.headers.push(("authorization", value.to_owned()));
        v.verify("cognito-idp")
    };
    let bearer = with_auth("Bearer secret-access-token");
    assert_error(bearer, incomplete, "AWS4-HMAC-SHA256");
    let Err(e) = with_auth("Bearer secret-access-token") else {
        unreachable!()
    };
    assert!(!e.message.contains("secret-access-token"));
    assert_error(
        with_auth("AWS4-HMAC-SHA256 Credential=a/20150830/us-east-1/cognito-idp/aws4_request"),
        incomplete,
        "Authorization header requires 'Signature' parameter. Authorization header \
         requires 'SignedHeaders' parameter.",
    );
    assert_error(
        with_auth(
            "AWS4-HMAC-SHA256 Credential=a/20150830/cognito-idp/aws4_request, \
             SignedHeaders=host, Signature=00",
        ),
        incomplete,
        "Credential must have exactly 5 slash-delimited elements",
    );
    assert_error(
        with_auth(
            "AWS4-HMAC-SHA256 Credential=a/20150830/us-east-1/cognito-idp/aws5_request, \
             SignedHeaders=host, Signature=00",
        ),
        incomplete,
        "valid terminator",
    );
    assert_error(
        with_auth(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/cognito-idp/aws4_request, \
             SignedHeaders=x-amz-date, Signature=00",
        ),
        incomplete,
        "'Host' or ':authority' must be a 'SignedHeader'",
    );

    let mut v = iam_example();
    v.headers.retain(|(name, _)| *name != "x-amz-date");
    assert_error(v.verify("iam"), incomplete, "'X-Amz-Date'");
    let mut v = iam_example();
    v.headers[1].1 = "2015-08-30T12:36:00Z".to_owned();
    assert_error(v.verify("iam"), incomplete, "ISO-8601 'basic format'");

    let mut v = iam_example();
    v.headers.retain(|(name, _)| *name != "authorization");
    assert_error(
        v.verify("iam"),
        ErrorKind::MissingAuthenticationTokenException,
        "Missing Authentication Token",
    );
}

#[test]
fn content_sha256_header_must_match_the_body() {
    let body_hash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    iam_example()
        .header("x-amz-content-sha256", body_hash)
        .verify("iam")
        .unwrap();
    for claimed in ["UNSIGNED-PAYLOAD", &body_hash.replace('e', "f")] {
        assert_error(
            iam_example()
                .header("x-amz-content-sha256", claimed)
                .verify("iam"),
            ErrorKind::InvalidSignatureException,
            "x-amz-content-sha256",
        );
    }
}

#[test]
fn dev_mode_accepts_any_well_formed_header() {
    let verifier = Verifier {
        keys: &[],
        now_ms: 0,
        dev: true,
    };
    let mut v = iam_example();
    tamper_signature(&mut v);
    let iam = v.verify_with(&verifier, "cognito-idp").unwrap();
    assert_eq!(iam.access_key_id, "AKIDEXAMPLE");

    let mut v = iam_example();
    v.headers.last_mut().unwrap().1 = "AWS4-HMAC-SHA256 Credential=x".to_owned();
    assert_error(
        v.verify_with(&verifier, "cognito-idp"),
        ErrorKind::IncompleteSignatureException,
        "requires 'Signature' parameter",
    );
    let mut v = iam_example();
    v.headers.retain(|(name, _)| *name != "authorization");
    assert_error(
        v.verify_with(&verifier, "cognito-idp"),
        ErrorKind::MissingAuthenticationTokenException,
        "Missing Authentication Token",
    );
}

#[test]
fn test_signer_round_trips_through_the_verifier() {
    let key = suite_key();
    let mut headers = HeaderMap::new();
    headers.insert("host", HeaderValue::from_static("127.0.0.1:9876"));
    headers.insert("x-amz-date", HeaderValue::from_static(SUITE_DATE));
    headers.insert(
        "x-amz-target",
        HeaderValue::from_static("AWSCognitoIdentityProviderService.ListUserPools"),
    );
    let body = br#"{"MaxResults":10}"#;
    let parts = RequestParts {
        method: "POST",
        path: "/",
        query: None,
        headers: &headers,
        authority: None,
    };
    let auth = sign(
        &parts,
        body,
        &key,
        SUITE_DATE,
        "eu-west-1",
        "cognito-idp",
        &["host", "x-amz-date", "x-amz-target"],
    );
    headers.insert("authorization", HeaderValue::from_str(&auth).unwrap());
    let parts = RequestParts {
        method: "POST",
        path: "/",
        query: None,
        headers: &headers,
        authority: None,
    };
    let keys = [key];
    let verifier = Verifier {
        keys: &keys,
        now_ms: amz_date::parse(SUITE_DATE).unwrap(),
        dev: false,
    };
    verifier.verify(&parts, body, "cognito-idp").unwrap();
    assert_signature_mismatch(verifier.verify(&parts, br#"{"MaxResults":11}"#, "cognito-idp"));
}

/// A signature that leaves the target out would let a captured request be replayed as
/// another operation with the same body (DescribeUserPool as DeleteUserPool).
#[test]
fn an_unsigned_target_is_refused() {
    let key = suite_key();
    let mut headers = HeaderMap::new();
    headers.insert("host", HeaderValue::from_static("127.0.0.1:9876"));
    headers.insert("x-amz-date", HeaderValue::from_static(SUITE_DATE));
    headers.insert(
        "x-amz-target",
        HeaderValue::from_static("AWSCognitoIdentityProviderService.DeleteUserPool"),
    );
    let body = br#"{"UserPoolId":"us-east-1_AbCdEfGhI"}"#;
    let parts = RequestParts {
        method: "POST",
        path: "/",
        query: None,
        headers: &headers,
        authority: None,
    };
    let auth = sign(
        &parts,
        body,
        &key,
        SUITE_DATE,
        "us-east-1",
        "cognito-idp",
        &["host", "x-amz-date"],
    );
    headers.insert("authorization", HeaderValue::from_str(&auth).unwrap());
    let parts = RequestParts {
        method: "POST",
        path: "/",
        query: None,
        headers: &headers,
        authority: None,
    };
    let keys = [key];
    let verifier = Verifier {
        keys: &keys,
        now_ms: amz_date::parse(SUITE_DATE).unwrap(),
        dev: false,
    };
    assert_error(
        verifier.verify(&parts, body, "cognito-idp"),
        ErrorKind::IncompleteSignatureException,
        "'X-Amz-Target' must be a 'SignedHeader'",
    );
}
