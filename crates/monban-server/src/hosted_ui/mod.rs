//! The hosted UI: server-rendered pages under `/{userPoolId}/` (Cognito's paths), driving
//! the same core flows as the API, so lockout, triggers and MFA apply.
//!
//! # Page flow
//!
//! Every page carries the parameters of `/oauth2/authorize` in its query string
//! (`client_id`, `redirect_uri`, `response_type`, `scope`, `state`, `nonce`,
//! `code_challenge`, `code_challenge_method`, `login_hint`) and checks them again as
//! authorize does; every form posts back to its own URL with those parameters.
//!
//! 1. `GET /oauth2/authorize` → 302 to `GET /login` (or, with a live session cookie,
//!    straight to `redirect_uri?code=…&state=…`).
//! 2. `GET /login`: form `#login-form` with `username`, `password` (button
//!    `#sign-in`). Links `#signup-link`, `#forgot-password-link`.
//!    `POST /login` → a challenge page, an error on the same page (`#error`), 302 to
//!    `/confirmUser` for an unconfirmed user, or 302 to the application.
//! 3. Challenge page (form `#challenge-form`, `POST /challenge`, hidden `challenge_name`
//!    and `session`): NEW_PASSWORD_REQUIRED (`new_password`, button `#set-password`);
//!    SMS_MFA / EMAIL_OTP / SOFTWARE_TOKEN_MFA (`code`, button `#verify-code`);
//!    SELECT_MFA_TYPE (radio `answer`: `#mfa-SMS_MFA`, `#mfa-EMAIL_OTP`,
//!    `#mfa-SOFTWARE_TOKEN_MFA`, button `#select-mfa`); MFA_SETUP (QR `#totp-qr`, key
//!    `#totp-secret`, `code`, button `#verify-code`). A wrong code shows the same page
//!    with `#error`; a dead session goes back to the login page.
//! 4. `GET /signup`: form `#signup-form` (`username`, `email`, `password`, button
//!    `#sign-up`) → 302 to `GET /confirmUser?username=…`: form `#confirm-form`
//!    (`username`, `code`, button `#confirm`) → the login page with `#message`.
//! 5. `GET /forgotPassword`: form `#forgot-password-form` (`username`, button
//!    `#reset-my-password`) → 302 to `GET /confirmforgotPassword?username=…`: form
//!    `#reset-password-form` (`username`, `code`, `password`, button `#change-password`)
//!    → the login page with `#message`.
//! 6. `GET /logout?client_id=…&logout_uri=…` (or `redirect_uri` + `response_type`): ends
//!    the session, 302 to `logout_uri` (or to `/login`).
//!
//! Every form has a hidden `csrf_token` bound to the `monban_csrf` pre-session cookie; a
//! POST without it (or with another) gets a 403 page. The sign-in session cookie is
//! `monban_session`. Errors use `#error` (`role=alert`), which the fields reference with
//! `aria-describedby`. The UI customization's CSS is the page's last `<style>`
//! (`#custom-css`); its logo is served at `/{userPoolId}/ui/logo/{clientId}`.

mod audit;
mod challenge;
mod cookies;
mod finish;
mod flow;
mod login;
mod logo;
mod logout;
mod password;
mod render;
mod signup;
mod totp;

use std::sync::Arc;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use monban_core::Error;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::app::App;
use crate::oauth::form::Params;
use flow::{Flow, PageRequest};

pub use finish::back_to_app;

/// The session cookie's value, for `/oauth2/authorize`'s skip of the login page.
pub fn session_cookie(headers: &HeaderMap) -> Option<String> {
    cookies::get(headers, cookies::SESSION)
}

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/{pool_id}/login", get(login::get).post(login::post))
        .route("/{pool_id}/challenge", axum::routing::post(challenge::post))
        .route(
            "/{pool_id}/signup",
            get(signup::get_signup).post(signup::post_signup),
        )
        .route(
            "/{pool_id}/confirmUser",
            get(signup::get_confirm).post(signup::post_confirm),
        )
        .route(
            "/{pool_id}/forgotPassword",
            get(password::get_forgot).post(password::post_forgot),
        )
        .route(
            "/{pool_id}/confirmforgotPassword",
            get(password::get_reset).post(password::post_reset),
        )
        .route("/{pool_id}/logout", get(logout::handle))
        .route("/{pool_id}/ui/logo/{client_id}", get(logo::handle))
}

/// A form POST's flow and fields, once its CSRF token for `form` checked out.
async fn load_and_check(
    app: Arc<App>,
    request: &PageRequest,
    body: &Bytes,
    form: &str,
) -> Result<(Flow, Params), Response> {
    let flow = Flow::load(app, request).await?;
    // Anything but a urlencoded form is an error page.
    let fields = match Params::from_form(&request.headers, body) {
        Ok(fields) => fields,
        Err(e) => {
            let detail = e.description.unwrap_or_else(|| "invalid form".to_owned());
            return Err(flow.error(StatusCode::BAD_REQUEST, &detail));
        }
    };
    flow.check_csrf(form, &fields).await?;
    Ok((flow, fields))
}

/// `request` after the service model's checks (lengths, patterns), as the API applies
/// them, so that the pages cannot send core what the API would refuse.
fn validated<T: Serialize + DeserializeOwned>(op: &str, request: &T) -> Result<T, Error> {
    let operation = monban_wire::IDP
        .operation(op)
        .ok_or_else(|| Error::internal(format!("no operation {op} in the model")))?;
    let body = serde_json::to_vec(request).map_err(Error::internal)?;
    monban_wire::decode(&monban_wire::IDP, operation, &body)
        .map_err(|e| Error::new(e.kind, e.message))
}
