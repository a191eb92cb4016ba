//! The pure parts of Signature Version 4: canonical request, string to sign, signing key
//! and signature, computed the way AWS's non-S3 services compute them.

use axum::http::HeaderMap;
use hmac::{Hmac, Mac};
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use sha2::{Digest, Sha256};

pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// RFC 3986 unreserved characters stay as they are; everything else is `%XX` (upper case).
const URI_ENCODE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');
const PATH_ENCODE: &AsciiSet = &URI_ENCODE.remove(b'/');

/// What of a request the signature covers.
pub struct RequestParts<'a> {
    pub method: &'a str,
    /// The path as received (still percent-encoded).
    pub path: &'a str,
    /// The raw query string, without `?`.
    pub query: Option<&'a str>,
    pub headers: &'a HeaderMap,
    /// Used for `host` when the request carries no `Host` header (HTTP/2).
    pub authority: Option<&'a str>,
}

pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// The canonical request for `signed_headers` (lower-case names, in the order the client
/// listed them) and the payload hash.
pub fn canonical_request(
    req: &RequestParts<'_>,
    signed_headers: &[&str],
    payload_hash: &str,
) -> String {
    let mut out = String::with_capacity(256);
    out.push_str(req.method);
    out.push('\n');
    out.push_str(&canonical_uri(req.path));
    out.push('\n');
    out.push_str(&canonical_query(req.query.unwrap_or("")));
    out.push('\n');
    for name in signed_headers {
        out.push_str(name);
        out.push(':');
        out.push_str(&canonical_header_value(req, name));
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&signed_headers.join(";"));
    out.push('\n');
    out.push_str(payload_hash);
    out
}

pub fn string_to_sign(amz_date: &str, scope: &str, canonical_request: &str) -> String {
    format!(
        "{ALGORITHM}\n{amz_date}\n{scope}\n{}",
        sha256_hex(canonical_request.as_bytes())
    )
}

/// `HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request")`.
pub fn signing_key(secret: &str, date: &str, region: &str, service: &str) -> [u8; 32] {
    let k_date = hmac(format!("AWS4{secret}").as_bytes(), date.as_bytes());
    let k_region = hmac(&k_date, region.as_bytes());
    let k_service = hmac(&k_region, service.as_bytes());
    hmac(&k_service, b"aws4_request")
}

/// The lower-case hex signature of `string_to_sign`.
pub fn signature(key: &[u8; 32], string_to_sign: &str) -> String {
    hex::encode(hmac(key, string_to_sign.as_bytes()))
}

fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    // HMAC accepts keys of any length, so this never falls back.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else {
        return [0; 32];
    };
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// AWS's path normalisation for services other than S3 (as botocore does it): dot
/// segments resolved, empty segments dropped, then every segment URI-encoded once more
/// (the path arrives encoded, so it ends up encoded twice).
fn canonical_uri(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    let mut normalized = String::from("/");
    normalized.push_str(&segments.join("/"));
    if path.ends_with('/') && !segments.is_empty() {
        normalized.push('/');
    }
    utf8_percent_encode(&normalized, PATH_ENCODE).to_string()
}

/// Parameters decoded, re-encoded with the SigV4 rules, and sorted by name then value.
fn canonical_query(query: &str) -> String {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (uri_encode(name), uri_encode(value))
        })
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(n, v)| format!("{n}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

fn uri_encode(raw: &str) -> String {
    let decoded = percent_decode_str(raw).collect::<Vec<u8>>();
    percent_encoding::percent_encode(&decoded, URI_ENCODE).to_string()
}

/// Every value of the header, trimmed, inner runs of spaces collapsed, joined with `,`.
fn canonical_header_value(req: &RequestParts<'_>, name: &str) -> String {
    let mut values: Vec<String> = req
        .headers
        .get_all(name)
        .iter()
        .map(|v| collapse_spaces(&String::from_utf8_lossy(v.as_bytes())))
        .collect();
    if values.is_empty() && name == "host" {
        if let Some(authority) = req.authority {
            values.push(authority.to_owned());
        }
    }
    values.join(",")
}

fn collapse_spaces(value: &str) -> String {
    value.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_normalised_and_encoded_twice() {
        assert_eq!(canonical_uri(""), "/");
        assert_eq!(canonical_uri("/"), "/");
        assert_eq!(canonical_uri("/./"), "/");
        assert_eq!(canonical_uri("//"), "/");
        assert_eq!(canonical_uri("/a/../b/./c/"), "/b/c/");
        assert_eq!(canonical_uri("/a//b"), "/a/b");
        assert_eq!(canonical_uri("/a b"), "/a%20b");
        assert_eq!(canonical_uri("/a%20b"), "/a%2520b");
        assert_eq!(canonical_uri("/-_.~"), "/-_.~");
    }

    #[test]
    fn query_is_sorted_and_reencoded() {
        assert_eq!(canonical_query(""), "");
        assert_eq!(canonical_query("b=2&a=1&a=0"), "a=0&a=1&b=2");
        assert_eq!(canonical_query("p"), "p=");
        assert_eq!(canonical_query("k=a%20b&x=%7e"), "k=a%20b&x=~");
        assert_eq!(canonical_query("k=a+b/c"), "k=a%2Bb%2Fc");
    }

    #[test]
    fn header_values_are_trimmed_and_collapsed() {
        assert_eq!(collapse_spaces("  a   b \t c  "), "a b c");
        assert_eq!(collapse_spaces(""), "");
    }
}
