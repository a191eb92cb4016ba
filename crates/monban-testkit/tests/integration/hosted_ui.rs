//! The hosted UI driven as a browser would: reqwest with a cookie jar, redirects followed
//! by hand (to read `Location`), forms posted with the CSRF token read from the page.
//! Covers the code + PKCE flow, the session cookie and logout, sign-up, password reset,
//! TOTP setup and sign-in, NEW_PASSWORD_REQUIRED, CSRF refusals, lockout and UI
//! customization.

use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use monban_core::Clock as _;
use monban_testkit::idp::primitives::Blob;
use monban_testkit::idp::types::{
    MessageActionType, OAuthFlowType, SoftwareTokenMfaConfigType, UserPoolMfaType,
    VerifiedAttributeType,
};
use monban_testkit::{each_backend, unique_name, TestApp};
use reqwest::header::LOCATION;
use reqwest::StatusCode;
use serde_json::Value;
use sha2::{Digest, Sha256};

use monban_core::audit::{AuthEventKind, Outcome};

use super::audit::pool_records;
use super::mfa::totp;
use super::sign_up::last_code;
use super::support::attr;

const CALLBACK: &str = "https://app.example.com/cb";
const SIGNED_OUT: &str = "https://app.example.com/bye";
const VERIFIER: &str = "dBjftJeZ4CVP-mJ0kzyzVS6fS1qCSJxcfVEwn1oXpaw";
const PASSWORD: &str = "Correct-Horse-9";

struct Fx<'a> {
    app: &'a TestApp,
    pool: String,
    client: String,
}

impl<'a> Fx<'a> {
    /// A pool with email verification and a public code-flow client (its explicit auth
    /// flows are the defaults: the hosted UI signs in whatever they are).
    async fn new(app: &'a TestApp) -> Fx<'a> {
        let idp = app.idp();
        let pool = idp
            .create_user_pool()
            .pool_name(unique_name("hosted-"))
            .auto_verified_attributes(VerifiedAttributeType::Email)
            .send()
            .await
            .unwrap()
            .user_pool
            .unwrap()
            .id
            .unwrap();
        let client = idp
            .create_user_pool_client()
            .user_pool_id(&pool)
            .client_name("web")
            .allowed_o_auth_flows_user_pool_client(true)
            .allowed_o_auth_flows(OAuthFlowType::Code)
            .allowed_o_auth_scopes("openid")
            .allowed_o_auth_scopes("email")
            .callback_urls(CALLBACK)
            .logout_urls(SIGNED_OUT)
            .supported_identity_providers("COGNITO")
            .send()
            .await
            .unwrap()
            .user_pool_client
            .unwrap()
            .client_id
            .unwrap();
        Fx { app, pool, client }
    }

    /// A confirmed user with a verified email and a permanent password.
    async fn user(&self, username: &str) {
        let idp = self.app.idp();
        idp.admin_create_user()
            .user_pool_id(&self.pool)
            .username(username)
            .message_action(MessageActionType::Suppress)
            .user_attributes(attr("email", &format!("{username}@example.com")))
            .user_attributes(attr("email_verified", "true"))
            .send()
            .await
            .unwrap();
        idp.admin_set_user_password()
            .user_pool_id(&self.pool)
            .username(username)
            .password(PASSWORD)
            .permanent(true)
            .send()
            .await
            .unwrap();
    }

    fn url(&self, path: &str) -> String {
        format!("{}/{}/{path}", self.app.endpoint(), self.pool)
    }

    fn authorize_url(&self) -> String {
        let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(VERIFIER.as_bytes()));
        self.url(&format!(
            "oauth2/authorize?response_type=code&client_id={}&redirect_uri={}&scope=openid%20email\
             &state=st-1&nonce=n-1&code_challenge={challenge}&code_challenge_method=S256",
            self.client,
            enc(CALLBACK)
        ))
    }

    /// The login page's URL, as authorize redirects to it.
    async fn login_url(&self, b: &Browser) -> String {
        let page = b.get(&self.authorize_url()).await;
        assert_eq!(page.status, StatusCode::FOUND, "{}", page.body);
        let location = page.location();
        assert!(location.contains("/login?"), "{location}");
        location
    }

    /// Signs in through the login page; the page (or redirect) that follows.
    async fn sign_in(&self, b: &Browser, username: &str, password: &str) -> Page {
        let login = self.login_url(b).await;
        let page = b.get(&login).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        b.post(
            &login,
            &[
                ("csrf_token", &page.field("csrf_token")),
                ("username", username),
                ("password", password),
            ],
        )
        .await
    }

    /// Redeems the code of a redirect to the callback; the token response.
    async fn redeem(&self, b: &Browser, redirect: &Page) -> Value {
        let location = redirect.location();
        assert!(
            location.starts_with(CALLBACK),
            "{location}\n{}",
            redirect.body
        );
        assert_eq!(query_value(&location, "state"), "st-1");
        let code = query_value(&location, "code");
        let response = b
            .http
            .post(self.url("oauth2/token"))
            .form(&[
                ("grant_type", "authorization_code"),
                ("code", code.as_str()),
                ("redirect_uri", CALLBACK),
                ("client_id", self.client.as_str()),
                ("code_verifier", VERIFIER),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        serde_json::from_str(&response.text().await.unwrap()).unwrap()
    }
}

struct Browser {
    http: reqwest::Client,
    endpoint: String,
}

struct Page {
    status: StatusCode,
    location: Option<String>,
    body: String,
}

impl Page {
    fn location(&self) -> String {
        self.location
            .clone()
            .unwrap_or_else(|| panic!("no redirect: {} {}", self.status, self.body))
    }

    /// The value of the input named `name`, entity-decoded.
    fn field(&self, name: &str) -> String {
        let marker = format!("name=\"{name}\"");
        let at = self
            .body
            .find(&marker)
            .unwrap_or_else(|| panic!("no field {name} in {}", self.body));
        let tag_start = self.body[..at].rfind('<').unwrap();
        let tag_end = at + self.body[at..].find('>').unwrap();
        let tag = &self.body[tag_start..tag_end];
        let Some(value_at) = tag.find("value=\"") else {
            return String::new();
        };
        let value = &tag[value_at + 7..];
        decode_entities(&value[..value.find('"').unwrap()])
    }

    /// [`field`](Self::field), empty when the page has no such input (as a browser would
    /// post it: not at all, which the server reads the same way).
    fn optional_field(&self, name: &str) -> String {
        if self.body.contains(&format!("name=\"{name}\"")) {
            self.field(name)
        } else {
            String::new()
        }
    }

    /// The text of the element with `id`.
    fn text_of(&self, id: &str) -> Option<String> {
        let marker = format!("id=\"{id}\"");
        let start = self.body.find(&marker)?;
        let rest = &self.body[start..];
        let open_end = rest.find('>')? + 1;
        let close = rest[open_end..].find('<')?;
        Some(decode_entities(&rest[open_end..open_end + close]))
    }
}

impl Browser {
    fn new(app: &TestApp) -> Browser {
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Browser {
            http,
            endpoint: app.endpoint().to_owned(),
        }
    }

    fn absolute(&self, url: &str) -> String {
        if url.starts_with('/') {
            format!("{}{url}", self.endpoint)
        } else {
            url.to_owned()
        }
    }

    async fn page(&self, response: reqwest::Response) -> Page {
        let status = response.status();
        let location = response
            .headers()
            .get(LOCATION)
            .map(|l| self.absolute(l.to_str().unwrap()));
        Page {
            status,
            location,
            body: response.text().await.unwrap(),
        }
    }

    async fn get(&self, url: &str) -> Page {
        let response = self.http.get(self.absolute(url)).send().await.unwrap();
        self.page(response).await
    }

    async fn post(&self, url: &str, fields: &[(&str, &str)]) -> Page {
        let response = self
            .http
            .post(self.absolute(url))
            .form(fields)
            .send()
            .await
            .unwrap();
        self.page(response).await
    }
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn decode_entities(s: &str) -> String {
    s.replace("&#x2f;", "/")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The percent-decoded value of query parameter `name` of `url`.
fn query_value(url: &str, name: &str) -> String {
    let query = url.split_once('?').map(|(_, q)| q).unwrap_or_default();
    let raw = query
        .split('&')
        .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no {name} in {url}"));
    let bytes = raw.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(u8::from_str_radix(&raw[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

fn claims(jwt: &str) -> Value {
    let payload = jwt.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

#[tokio::test]
async fn code_and_pkce_through_the_login_page_then_the_session_then_logout() {
    each_backend(|app| async move {
        let fx = Fx::new(&app).await;
        fx.user("alice").await;
        let b = Browser::new(&app);

        let login = fx.login_url(&b).await;
        let page = b.get(&login).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("<html lang=\"en\">"));
        assert!(page.body.contains("name=\"viewport\""));
        assert!(page
            .body
            .contains("<label class=\"label-customizable\" for=\"username\">"));
        let done = b
            .post(
                &login,
                &[
                    ("csrf_token", &page.field("csrf_token")),
                    ("username", "alice"),
                    ("password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(done.status, StatusCode::FOUND, "{}", done.body);
        let tokens = fx.redeem(&b, &done).await;
        let id = claims(tokens["id_token"].as_str().unwrap());
        assert_eq!(id["cognito:username"], "alice");
        assert_eq!(id["nonce"], "n-1");
        assert_eq!(id["aud"], fx.client.as_str());
        assert!(tokens["refresh_token"].is_string());
        let records = pool_records(&app, &fx.pool).await;
        let signed_in = records
            .iter()
            .find(|r| r.operation == "HostedUI.SignIn")
            .expect("a hosted-UI sign-in record");
        assert_eq!(signed_in.outcome, Outcome::Pass);
        assert_eq!(signed_in.auth_event, Some(AuthEventKind::HostedUiSignIn));
        assert_eq!(signed_in.username.as_deref(), Some("alice"));
        assert_eq!(signed_in.client_id.as_deref(), Some(fx.client.as_str()));

        // Within the session's hour, authorize goes straight back with a new code.
        let again = b.get(&fx.authorize_url()).await;
        assert_eq!(again.status, StatusCode::FOUND);
        let tokens = fx.redeem(&b, &again).await;
        assert_eq!(
            claims(tokens["id_token"].as_str().unwrap())["cognito:username"],
            "alice"
        );

        // Logout: a sign-out URL of the client only, then the session is gone.
        let refused = b
            .get(&fx.url(&format!(
                "logout?client_id={}&logout_uri={}",
                fx.client,
                enc("https://evil.example.com/")
            )))
            .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        let out = b
            .get(&fx.url(&format!(
                "logout?client_id={}&logout_uri={}",
                fx.client,
                enc(SIGNED_OUT)
            )))
            .await;
        assert_eq!(out.status, StatusCode::FOUND);
        assert_eq!(out.location(), SIGNED_OUT);
        let after = b.get(&fx.authorize_url()).await;
        assert!(after.location().contains("/login?"), "{:?}", after.location);

        // Cognito's other logout form sends the browser to the login page again.
        let relogin = b
            .get(&fx.url(&format!(
                "logout?client_id={}&redirect_uri={}&response_type=code&state=s2",
                fx.client,
                enc(CALLBACK)
            )))
            .await;
        let location = relogin.location();
        assert!(
            location.contains(&format!("/{}/login?", fx.pool)),
            "{location}"
        );
        assert_eq!(query_value(&location, "state"), "s2");
    })
    .await;
}

#[tokio::test]
async fn the_session_lasts_its_lifetime_and_is_per_browser() {
    each_backend(|app| async move {
        let fx = Fx::new(&app).await;
        fx.user("bob").await;
        let b = Browser::new(&app);
        let done = fx.sign_in(&b, "bob", PASSWORD).await;
        assert_eq!(done.status, StatusCode::FOUND, "{}", done.body);
        // Another browser has no session.
        let other = Browser::new(&app);
        assert!(other
            .get(&fx.authorize_url())
            .await
            .location()
            .contains("/login?"));
        // After an hour, the first one has none either.
        app.clock().advance(Duration::from_secs(3601));
        assert!(b
            .get(&fx.authorize_url())
            .await
            .location()
            .contains("/login?"));
    })
    .await;
}

#[tokio::test]
async fn forms_without_their_csrf_token_are_refused() {
    each_backend(|app| async move {
        let fx = Fx::new(&app).await;
        fx.user("carol").await;
        let b = Browser::new(&app);
        let login = fx.login_url(&b).await;
        let page = b.get(&login).await;
        let token = page.field("csrf_token");
        let missing = b
            .post(&login, &[("username", "carol"), ("password", PASSWORD)])
            .await;
        assert_eq!(missing.status, StatusCode::FORBIDDEN);
        let forged = b
            .post(
                &login,
                &[
                    ("csrf_token", "forged"),
                    ("username", "carol"),
                    ("password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        // Another form's token does not fit this one.
        let signup = b.get(&login.replace("/login?", "/signup?")).await;
        let wrong_form = b
            .post(
                &login,
                &[
                    ("csrf_token", &signup.field("csrf_token")),
                    ("username", "carol"),
                    ("password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(wrong_form.status, StatusCode::FORBIDDEN);
        // A token is bound to its browser's pre-session cookie.
        let stranger = Browser::new(&app);
        let stolen = stranger
            .post(
                &login,
                &[
                    ("csrf_token", &token),
                    ("username", "carol"),
                    ("password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(stolen.status, StatusCode::FORBIDDEN);
        // The right one works.
        let ok = b
            .post(
                &login,
                &[
                    ("csrf_token", &token),
                    ("username", "carol"),
                    ("password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(ok.status, StatusCode::FOUND, "{}", ok.body);
        assert!(ok.location().starts_with(CALLBACK));
    })
    .await;
}

#[tokio::test]
async fn a_wrong_password_shows_an_error_and_counts_towards_the_lockout() {
    each_backend(|app| async move {
        let fx = Fx::new(&app).await;
        fx.user("dave").await;
        let b = Browser::new(&app);
        let page = fx.sign_in(&b, "dave", "Wrong-Password-1").await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            page.text_of("error").as_deref(),
            Some("Incorrect username or password.")
        );
        assert!(page.body.contains("aria-describedby=\"error\""));
        assert_eq!(page.field("username"), "dave");
        let records = pool_records(&app, &fx.pool).await;
        let failed = records
            .iter()
            .find(|r| r.operation == "HostedUI.SignIn")
            .expect("a hosted-UI sign-in record");
        assert_eq!(failed.outcome, Outcome::Fail);
        assert_eq!(failed.error.as_deref(), Some("NotAuthorizedException"));
        // Five free failures in all (the default), then the right password is refused too.
        for _ in 0..4 {
            fx.sign_in(&b, "dave", "Wrong-Password-1").await;
        }
        let locked = fx.sign_in(&b, "dave", PASSWORD).await;
        assert_eq!(
            locked.status,
            StatusCode::BAD_REQUEST,
            "{:?}",
            locked.location
        );
        let error = locked.text_of("error").unwrap();
        assert!(error.contains("attempts exceeded"), "{error}");
    })
    .await;
}

#[tokio::test]
async fn sign_up_then_confirm_with_the_emailed_code_then_sign_in() {
    each_backend(|app| async move {
        let fx = Fx::new(&app).await;
        let b = Browser::new(&app);
        let login = fx.login_url(&b).await;
        let signup_url = login.replace("/login?", "/signup?");
        let page = b.get(&signup_url).await;
        assert_eq!(page.status, StatusCode::OK);
        // The pool's password policy speaks through the page.
        let weak = b
            .post(
                &signup_url,
                &[
                    ("csrf_token", &page.field("csrf_token")),
                    ("username", "erin"),
                    ("email", "erin@example.com"),
                    ("password", "short"),
                ],
            )
            .await;
        assert_eq!(weak.status, StatusCode::BAD_REQUEST);
        assert!(
            weak.text_of("error").unwrap().contains("Password"),
            "{}",
            weak.body
        );
        let done = b
            .post(
                &signup_url,
                &[
                    ("csrf_token", &page.field("csrf_token")),
                    ("username", "erin"),
                    ("email", "erin@example.com"),
                    ("password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(done.status, StatusCode::FOUND, "{}", done.body);
        let confirm_url = done.location();
        assert!(confirm_url.contains("/confirmUser?"), "{confirm_url}");
        let confirm = b.get(&confirm_url).await;
        assert_eq!(confirm.field("username"), "erin");
        let code = last_code(&app, "erin@example.com");
        let confirmed = b
            .post(
                &confirm_url,
                &[
                    ("csrf_token", &confirm.field("csrf_token")),
                    ("username", "erin"),
                    ("code", &code),
                ],
            )
            .await;
        assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
        assert!(confirmed.text_of("message").unwrap().contains("confirmed"));
        let signed_in = fx.sign_in(&b, "erin", PASSWORD).await;
        let tokens = fx.redeem(&b, &signed_in).await;
        let id = claims(tokens["id_token"].as_str().unwrap());
        assert_eq!(id["email"], "erin@example.com");
        assert_eq!(id["email_verified"], true);
    })
    .await;
}

#[tokio::test]
async fn forgot_password_sends_a_code_that_sets_a_new_password() {
    each_backend(|app| async move {
        let fx = Fx::new(&app).await;
        fx.user("frank").await;
        let b = Browser::new(&app);
        let forgot_url = fx
            .login_url(&b)
            .await
            .replace("/login?", "/forgotPassword?");
        let page = b.get(&forgot_url).await;
        let sent = b
            .post(
                &forgot_url,
                &[
                    ("csrf_token", &page.field("csrf_token")),
                    ("username", "frank"),
                ],
            )
            .await;
        assert_eq!(sent.status, StatusCode::FOUND, "{}", sent.body);
        let reset_url = sent.location();
        assert!(reset_url.contains("/confirmforgotPassword?"), "{reset_url}");
        let reset = b.get(&reset_url).await;
        let code = last_code(&app, "frank@example.com");
        let wrong = b
            .post(
                &reset_url,
                &[
                    ("csrf_token", &reset.field("csrf_token")),
                    ("username", "frank"),
                    ("code", "000000"),
                    ("password", "New-Password-42"),
                ],
            )
            .await;
        assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
        assert!(wrong.text_of("error").is_some());
        let done = b
            .post(
                &reset_url,
                &[
                    ("csrf_token", &reset.field("csrf_token")),
                    ("username", "frank"),
                    ("code", &code),
                    ("password", "New-Password-42"),
                ],
            )
            .await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
        assert!(done.text_of("message").is_some());
        let old = fx.sign_in(&b, "frank", PASSWORD).await;
        assert_eq!(old.status, StatusCode::BAD_REQUEST);
        let new = fx.sign_in(&b, "frank", "New-Password-42").await;
        fx.redeem(&b, &new).await;
    })
    .await;
}

#[tokio::test]
async fn a_temporary_password_must_be_changed_on_the_page() {
    each_backend(|app| async move {
        let fx = Fx::new(&app).await;
        app.idp()
            .admin_create_user()
            .user_pool_id(&fx.pool)
            .username("gina")
            .temporary_password("Temp-Password-1")
            .message_action(MessageActionType::Suppress)
            .send()
            .await
            .unwrap();
        let b = Browser::new(&app);
        let page = fx.sign_in(&b, "gina", "Temp-Password-1").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert_eq!(page.field("challenge_name"), "NEW_PASSWORD_REQUIRED");
        let action = fx.login_url(&b).await.replace("/login?", "/challenge?");
        let fields = |password: &'static str| {
            vec![
                ("csrf_token", page.field("csrf_token")),
                ("challenge_name", page.field("challenge_name")),
                ("session", page.field("session")),
                ("username", page.field("username")),
                ("new_password", password.to_owned()),
            ]
        };
        let done = b
            .post(&action, &borrow(&fields("Brand-New-Password-7")))
            .await;
        assert_eq!(done.status, StatusCode::FOUND, "{}", done.body);
        let tokens = fx.redeem(&b, &done).await;
        assert_eq!(
            claims(tokens["id_token"].as_str().unwrap())["cognito:username"],
            "gina"
        );
        let user = app
            .idp()
            .admin_get_user()
            .user_pool_id(&fx.pool)
            .username("gina")
            .send()
            .await
            .unwrap();
        assert_eq!(user.user_status().unwrap().as_str(), "CONFIRMED");
    })
    .await;
}

fn borrow<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

#[tokio::test]
async fn totp_is_set_up_with_a_qr_code_then_asked_at_the_next_sign_in() {
    each_backend(|app| async move {
        let fx = Fx::new(&app).await;
        app.idp()
            .set_user_pool_mfa_config()
            .user_pool_id(&fx.pool)
            .mfa_configuration(UserPoolMfaType::On)
            .software_token_mfa_configuration(
                SoftwareTokenMfaConfigType::builder().enabled(true).build(),
            )
            .send()
            .await
            .unwrap();
        fx.user("hana").await;
        let b = Browser::new(&app);
        let setup = fx.sign_in(&b, "hana", PASSWORD).await;
        assert_eq!(setup.status, StatusCode::OK, "{}", setup.body);
        assert_eq!(setup.field("challenge_name"), "MFA_SETUP");
        assert!(setup.body.contains("<svg"), "a QR code");
        let secret = setup.text_of("totp-secret").unwrap();
        assert_eq!(secret.len(), 52, "{secret}");
        let action = fx.login_url(&b).await.replace("/login?", "/challenge?");
        let answer = |page: &Page, code: String| {
            vec![
                ("csrf_token", page.field("csrf_token")),
                ("challenge_name", page.field("challenge_name")),
                ("session", page.field("session")),
                ("username", page.field("username")),
                ("secret_code", page.optional_field("secret_code")),
                ("code", code),
            ]
        };
        // A wrong code keeps the page, with the error.
        let right = totp(&secret, app.clock().now_ms());
        let wrong_code = if right == "000000" {
            "111111"
        } else {
            "000000"
        };
        let again = b
            .post(&action, &borrow(&answer(&setup, wrong_code.to_owned())))
            .await;
        assert_eq!(again.status, StatusCode::BAD_REQUEST, "{}", again.body);
        assert!(again.text_of("error").is_some(), "{}", again.body);
        // The QR code and key stay on the page to try again.
        assert_eq!(again.text_of("totp-secret").unwrap(), secret);
        assert!(again.body.contains("<svg"));
        let done = b.post(&action, &borrow(&answer(&again, right))).await;
        assert_eq!(done.status, StatusCode::FOUND, "{}", done.body);
        fx.redeem(&b, &done).await;

        // Next time (another browser, a later time step): the code page.
        app.clock().advance(Duration::from_secs(60));
        let b2 = Browser::new(&app);
        let challenge = fx.sign_in(&b2, "hana", PASSWORD).await;
        assert_eq!(challenge.field("challenge_name"), "SOFTWARE_TOKEN_MFA");
        let action2 = fx.login_url(&b2).await.replace("/login?", "/challenge?");
        let code = totp(&secret, app.clock().now_ms());
        let done = b2.post(&action2, &borrow(&answer(&challenge, code))).await;
        assert_eq!(done.status, StatusCode::FOUND, "{}", done.body);
        fx.redeem(&b2, &done).await;
    })
    .await;
}

#[tokio::test]
async fn ui_customization_css_and_logo_appear_on_the_pages() {
    each_backend(|app| async move {
        let fx = Fx::new(&app).await;
        let idp = app.idp();
        let png = b"\x89PNG\r\n\x1a\n-not-really-an-image".to_vec();
        let set = idp
            .set_ui_customization()
            .user_pool_id(&fx.pool)
            .client_id("ALL")
            .css(".banner-customizable { background-color: #0a2540; }")
            .image_file(Blob::new(png.clone()))
            .send()
            .await
            .unwrap()
            .ui_customization
            .unwrap();
        assert_eq!(set.client_id(), Some("ALL"));
        let logo_url = set.image_url().unwrap().to_owned();
        // Markup in the CSS is refused: it could end the page's <style>.
        let e = idp
            .set_ui_customization()
            .user_pool_id(&fx.pool)
            .client_id(&fx.client)
            .css("a{}</style><script>alert(1)</script>")
            .send()
            .await
            .unwrap_err();
        assert_eq!(
            e.into_service_error().meta().code(),
            Some("InvalidParameterException")
        );

        let b = Browser::new(&app);
        let page = b.get(&fx.login_url(&b).await).await;
        assert!(
            page.body
                .contains(".banner-customizable { background-color: #0a2540; }"),
            "{}",
            page.body
        );
        let logo = b.http.get(&logo_url).send().await.unwrap();
        assert_eq!(logo.headers()["content-type"], "image/png");
        assert_eq!(logo.bytes().await.unwrap().to_vec(), png);

        // A client's own customization wins over the pool's.
        idp.set_ui_customization()
            .user_pool_id(&fx.pool)
            .client_id(&fx.client)
            .css(".label-customizable { color: #123456; }")
            .send()
            .await
            .unwrap();
        let got = idp
            .get_ui_customization()
            .user_pool_id(&fx.pool)
            .client_id(&fx.client)
            .send()
            .await
            .unwrap()
            .ui_customization
            .unwrap();
        assert_eq!(got.css(), Some(".label-customizable { color: #123456; }"));
        let page = b.get(&fx.login_url(&b).await).await;
        assert!(page.body.contains("#123456"));
        assert!(!page.body.contains("#0a2540"));
    })
    .await;
}
