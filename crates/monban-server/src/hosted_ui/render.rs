//! The pages: minijinja templates compiled into the binary (`templates/`), HTML
//! auto-escaped, wrapped in `base.html` (viewport, labels, one error region the fields
//! point at with `aria-describedby`), with the pool's or client's customization CSS and
//! logo.

use std::sync::OnceLock;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use minijinja::{context, Environment, Value};

const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("templates/base.html")),
    ("login.html", include_str!("templates/login.html")),
    ("signup.html", include_str!("templates/signup.html")),
    ("confirm.html", include_str!("templates/confirm.html")),
    ("forgot.html", include_str!("templates/forgot.html")),
    ("reset.html", include_str!("templates/reset.html")),
    ("challenge.html", include_str!("templates/challenge.html")),
    ("error.html", include_str!("templates/error.html")),
];

fn env() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        for (name, source) in TEMPLATES {
            // A template that does not parse fails the unit test that renders them all.
            if let Err(e) = env.add_template(name, source) {
                tracing::error!(template = name, error = %e, "hosted UI template does not parse");
            }
        }
        env
    })
}

/// What every page shows around its form.
#[derive(Default, Clone)]
pub struct Chrome {
    /// The customization CSS (checked at SetUICustomization: no `<`).
    pub css: Option<String>,
    pub logo_url: Option<String>,
}

/// Renders `template` with `title`, the chrome, an optional error and message, and the
/// page's own values.
pub fn page(
    status: StatusCode,
    template: &str,
    title: &str,
    chrome: &Chrome,
    error: Option<&str>,
    message: Option<&str>,
    values: Value,
) -> Response {
    match render(template, title, chrome, error, message, values) {
        Ok(body) => html(status, body),
        Err(e) => {
            tracing::error!(template, error = %e, "hosted UI page does not render");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "The page could not be rendered.\n",
            )
                .into_response()
        }
    }
}

fn render(
    template: &str,
    title: &str,
    chrome: &Chrome,
    error: Option<&str>,
    message: Option<&str>,
    values: Value,
) -> Result<String, minijinja::Error> {
    let ctx = context! {
        title => title,
        css => chrome.css.as_deref().filter(|css| !css.contains('<')),
        logo_url => chrome.logo_url,
        error => error,
        message => message,
        ..values
    };
    env().get_template(template)?.render(ctx)
}

/// The error page: for what cannot go back to the application.
pub fn error_page(status: StatusCode, chrome: &Chrome, detail: &str) -> Response {
    page(
        status,
        "error.html",
        "An error was encountered with the requested page",
        chrome,
        None,
        None,
        context! { detail => detail },
    )
}

fn html(status: StatusCode, body: String) -> Response {
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    // Pages hold CSRF tokens and challenge sessions: never cached, never framed.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
        ),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn every_template_parses_and_escapes() {
        for (name, _) in TEMPLATES {
            assert!(env().get_template(name).is_ok(), "{name}");
        }
        let chrome = Chrome {
            css: Some(".banner-customizable{color:red}".to_owned()),
            logo_url: None,
        };
        let values = context! {
            action => "/p/login?a=1&b=2", csrf => "t", username => "<script>",
            forgot_url => "/f", signup_url => "/s",
        };
        let body = render(
            "login.html",
            "Sign in",
            &chrome,
            Some("Bad <b>"),
            None,
            values,
        )
        .unwrap();
        assert!(body.contains("Bad &lt;b&gt;"), "{body}");
        assert!(body.contains("value=\"&lt;script&gt;\""), "{body}");
        // minijinja also escapes `/`; browsers decode it.
        assert!(
            body.contains("action=\"&#x2f;p&#x2f;login?a=1&amp;b=2\""),
            "{body}"
        );
        assert!(body.contains("<style id=\"custom-css\">.banner-customizable{color:red}</style>"));
        assert!(body.contains("aria-describedby=\"error\""));
        assert!(body.contains("name=\"viewport\""));
    }
}
