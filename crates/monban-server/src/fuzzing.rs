//! Entry points for the fuzz targets in `fuzz/` (SECURITY.md): the SigV4 parsers and
//! verifier are private to this crate. Not an API: hidden from the docs, no stability.

use axum::http::{HeaderMap, HeaderName, HeaderValue};

use crate::app::AdminKey;
use crate::sigv4::{amz_date, canonical, parse_authorization, RequestParts, Verifier};

/// The key the fuzzed requests may be signed with.
const KEY_ID: &str = "AKIAFUZZFUZZFUZZFUZZ";
const SECRET: &str = "fuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzz";
/// The verifier's clock: 2026-01-01T00:00:00Z.
const NOW_MS: i64 = 1_767_225_600_000;

/// Whether `value` parses as an `Authorization: AWS4-HMAC-SHA256 …` header.
pub fn parse_authorization_ok(value: &str) -> bool {
    parse_authorization(value).is_ok()
}

/// Epoch milliseconds of an `X-Amz-Date` value.
pub fn parse_amz_date(value: &str) -> Option<i64> {
    amz_date::parse(value)
}

/// The `X-Amz-Date` form of epoch milliseconds.
pub fn format_amz_date(ms: i64) -> String {
    amz_date::format(ms)
}

/// `data` as a request: the first line is `METHOD path[?query]`, then `name: value` header
/// lines up to an empty line, then the body. When it carries no `Authorization` header it
/// is signed here with the fuzz key over all its headers, so that the canonical-request code
/// runs on hostile paths, queries and header values. Returns whether it verified.
pub fn sigv4_request(data: &[u8]) -> bool {
    let text = String::from_utf8_lossy(data);
    let (head, body) = text.split_once("\n\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let first = lines.next().unwrap_or_default();
    let (method, target) = first.split_once(' ').unwrap_or(("POST", first));
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (target, None),
    };
    let mut headers = HeaderMap::new();
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.trim().as_bytes()),
            HeaderValue::from_str(value.trim()),
        ) else {
            continue;
        };
        headers.append(name, value);
    }
    let keys = [AdminKey {
        access_key_id: KEY_ID.to_owned(),
        secret_access_key: SECRET.to_owned(),
    }];
    if !headers.contains_key("authorization") {
        sign(method, path, query, &mut headers, body.as_bytes());
    }
    let req = RequestParts {
        method,
        path,
        query,
        headers: &headers,
        authority: Some("127.0.0.1:9876"),
    };
    let verifier = Verifier {
        keys: &keys,
        now_ms: NOW_MS,
        dev: false,
    };
    verifier
        .verify(&req, body.as_bytes(), "cognito-idp")
        .is_ok()
}

/// Adds `X-Amz-Date` and an `Authorization` over every header present.
fn sign(method: &str, path: &str, query: Option<&str>, headers: &mut HeaderMap, body: &[u8]) {
    let date = amz_date::format(NOW_MS);
    if let Ok(v) = HeaderValue::from_str(&date) {
        headers.insert("x-amz-date", v);
    }
    if !headers.contains_key("host") {
        headers.insert("host", HeaderValue::from_static("127.0.0.1:9876"));
    }
    let mut names: Vec<String> = headers.keys().map(|n| n.as_str().to_owned()).collect();
    names.sort();
    names.dedup();
    let signed: Vec<&str> = names.iter().map(String::as_str).collect();
    let req = RequestParts {
        method,
        path,
        query,
        headers,
        authority: None,
    };
    let day = date.get(..8).unwrap_or_default();
    let scope = format!("{day}/us-east-1/cognito-idp/aws4_request");
    let creq = canonical::canonical_request(&req, &signed, &canonical::sha256_hex(body));
    let sts = canonical::string_to_sign(&date, &scope, &creq);
    let key = canonical::signing_key(SECRET, day, "us-east-1", "cognito-idp");
    let value = format!(
        "{} Credential={KEY_ID}/{scope}, SignedHeaders={}, Signature={}",
        canonical::ALGORITHM,
        signed.join(";"),
        canonical::signature(&key, &sts)
    );
    if let Ok(v) = HeaderValue::from_str(&value) {
        headers.insert("authorization", v);
    }
}
