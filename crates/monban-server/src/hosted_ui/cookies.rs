//! The hosted UI's two cookies, both HttpOnly, `SameSite=Lax`, scoped to the pool's path
//! (`/` on a pool's own domain) and `Secure` when `public_url` is https:
//! - [`SESSION`]: the sign-in session (lifetime: the hosted-UI setting);
//! - [`PRE_SESSION`]: a random value the CSRF tokens of the forms are bound to.

use axum::http::{header, HeaderMap, HeaderValue};

pub const SESSION: &str = "monban_session";
pub const PRE_SESSION: &str = "monban_csrf";

/// The value of cookie `name` in the request, if any.
pub fn get(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.trim_matches('"').to_owned())
        .filter(|v| !v.is_empty())
}

/// `Set-Cookie` for `name=value` under `path`, expiring after `max_age_s` seconds
/// (`None`: when the browser closes; `Some(0)`: now).
pub fn set(
    public_url: &str,
    path: &str,
    name: &str,
    value: &str,
    max_age_s: Option<i64>,
) -> Option<HeaderValue> {
    let mut cookie = format!("{name}={value}; Path={path}; HttpOnly; SameSite=Lax");
    if public_url.starts_with("https://") {
        cookie.push_str("; Secure");
    }
    if let Some(age) = max_age_s {
        cookie.push_str(&format!("; Max-Age={age}"));
    }
    HeaderValue::from_str(&cookie).ok()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn reads_one_cookie_among_several() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; monban_session=abc; b=2"),
        );
        assert_eq!(get(&headers, SESSION).as_deref(), Some("abc"));
        assert_eq!(get(&headers, PRE_SESSION), None);
    }

    #[test]
    fn secure_only_over_https() {
        let plain = set("http://127.0.0.1:9876", "/p", SESSION, "v", Some(60)).unwrap();
        assert_eq!(
            plain.to_str().unwrap(),
            "monban_session=v; Path=/p; HttpOnly; SameSite=Lax; Max-Age=60"
        );
        let tls = set("https://auth.example.com", "/", SESSION, "v", None).unwrap();
        assert!(tls.to_str().unwrap().ends_with("; Secure"));
    }
}
