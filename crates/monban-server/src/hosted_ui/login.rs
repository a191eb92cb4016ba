//! `/login`: the sign-in form. Its POST runs USER_PASSWORD_AUTH through core's sign-in
//! flow (`Api::HostedUi`: lockout, PreAuthentication / PostAuthentication, migration and
//! MFA apply as for InitiateAuth), then either a challenge page or the redirect back to
//! the application.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use minijinja::context;
use monban_core::auth::flows::{initiate, Api, Outcome, SignIn};
use monban_core::hosted_ui::signed_in_user;
use monban_core::Error;
use monban_wire::idp::AuthFlowType;
use monban_wire::ErrorKind;

use super::audit;
use super::challenge::challenge_page;
use super::cookies;
use super::finish::{back_to_app, signed_in};
use super::flow::{see, Flow, PageRequest};
use super::load_and_check;
use crate::app::App;

pub const FORM: &str = "login";

pub async fn get(State(app): State<Arc<App>>, request: PageRequest) -> Response {
    let flow = match Flow::load(app, &request).await {
        Ok(f) => f,
        Err(response) => return response,
    };
    // Already signed in (a bookmarked login page): straight back to the application.
    if let Some(cookie) = cookies::get(&request.headers, cookies::SESSION) {
        if let Ok(Some((user, auth_time))) = signed_in_user(flow.cx(), &flow.pool.id, &cookie).await
        {
            return back_to_app(
                &flow.app,
                &flow.pool,
                &flow.client,
                &flow.params,
                &flow.granted,
                &user,
                auth_time,
            )
            .await;
        }
    }
    let username = flow.params.get("login_hint").unwrap_or_default().to_owned();
    login_page(&flow, StatusCode::OK, &username, None, None).await
}

pub async fn login_page(
    flow: &Flow,
    status: StatusCode,
    username: &str,
    error: Option<&str>,
    message: Option<&str>,
) -> Response {
    let values = context! {
        username => username,
        forgot_url => flow.url("forgotPassword", &[]),
        signup_url => flow.url("signup", &[]),
    };
    let action = flow.url("login", &[]);
    flow.form(
        status,
        FORM,
        "login.html",
        "Sign in",
        action,
        error,
        message,
        values,
    )
    .await
}

pub async fn post(State(app): State<Arc<App>>, request: PageRequest, body: Bytes) -> Response {
    let (flow, fields) = match load_and_check(app, &request, &body, FORM).await {
        Ok(loaded) => loaded,
        Err(response) => return response,
    };
    let username = fields.get("username").unwrap_or_default().trim().to_owned();
    let password = fields.get("password").unwrap_or_default().to_owned();
    if username.is_empty() || password.is_empty() {
        let error = "Enter your username and password.";
        return login_page(&flow, StatusCode::BAD_REQUEST, &username, Some(error), None).await;
    }
    let mut parameters = BTreeMap::from([
        ("USERNAME".to_owned(), username.clone()),
        ("PASSWORD".to_owned(), password),
    ]);
    if let Some(hash) = flow.secret_hash(&username) {
        parameters.insert("SECRET_HASH".to_owned(), hash);
    }
    let sign_in = SignIn {
        cx: flow.cx(),
        pool: &flow.pool,
        client: &flow.client,
        api: Api::HostedUi,
        client_metadata: None,
        token_source: Default::default(),
    };
    let outcome = initiate(&sign_in, AuthFlowType::UserPasswordAuth, Some(&parameters)).await;
    audit::sign_in_step(&flow, &username, None, &outcome).await;
    match outcome {
        Err(e) if e.kind == ErrorKind::UserNotConfirmedException => {
            see(&flow.url("confirmUser", &[("username", &username)]))
        }
        Err(e) => failed(&flow, &username, &e).await,
        Ok(outcome) => after(&flow, &username, outcome).await,
    }
}

async fn failed(flow: &Flow, username: &str, e: &Error) -> Response {
    let status = if e.kind == ErrorKind::InternalErrorException {
        StatusCode::INTERNAL_SERVER_ERROR
    } else {
        StatusCode::BAD_REQUEST
    };
    login_page(flow, status, username, Some(&e.message), None).await
}

/// Where a sign-in step leads: the next challenge's page, or back to the application.
pub async fn after(flow: &Flow, username: &str, outcome: Outcome) -> Response {
    match outcome {
        Outcome::SignedIn { user, auth_time_ms } => signed_in(flow, &user, auth_time_ms).await,
        Outcome::Challenge(challenge) => challenge_page(flow, username, challenge, None).await,
        Outcome::Authenticated(_) => flow.error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "The sign-in ended without an authorization.",
        ),
    }
}
