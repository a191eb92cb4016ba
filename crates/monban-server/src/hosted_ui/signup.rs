//! `/signup` and `/confirmUser`: SignUp with a username, an email address and a password
//! (the same core operation as the API, model validation included), then ConfirmSignUp
//! with the emailed code, then the sign-in page.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use minijinja::context;
use monban_core::ops::sign_up::{confirm_sign_up, sign_up};
use monban_core::{Caller, Error};
use monban_wire::idp::{AttributeType, ConfirmSignUpRequest, SignUpRequest};

use super::flow::{see, Flow, PageRequest};
use super::login::login_page;
use super::{load_and_check, validated};
use crate::app::App;

const SIGN_UP: &str = "signup";
const CONFIRM: &str = "confirm";

pub async fn get_signup(State(app): State<Arc<App>>, request: PageRequest) -> Response {
    match Flow::load(app, &request).await {
        Ok(flow) => signup_page(&flow, StatusCode::OK, "", "", None).await,
        Err(response) => response,
    }
}

async fn signup_page(
    flow: &Flow,
    status: StatusCode,
    username: &str,
    email: &str,
    error: Option<&str>,
) -> Response {
    let values = context! {
        username => username,
        email => email,
        login_url => flow.url("login", &[]),
    };
    let action = flow.url("signup", &[]);
    flow.form(
        status,
        SIGN_UP,
        "signup.html",
        "Sign up",
        action,
        error,
        None,
        values,
    )
    .await
}

pub async fn post_signup(
    State(app): State<Arc<App>>,
    request: PageRequest,
    body: Bytes,
) -> Response {
    let (flow, fields) = match load_and_check(app, &request, &body, SIGN_UP).await {
        Ok(loaded) => loaded,
        Err(response) => return response,
    };
    let username = fields.get("username").unwrap_or_default().trim().to_owned();
    let email = fields.get("email").unwrap_or_default().trim().to_owned();
    let password = fields.get("password").unwrap_or_default().to_owned();
    let attributes = (!email.is_empty()).then(|| {
        vec![AttributeType {
            name: "email".to_owned(),
            value: Some(email.clone()),
        }]
    });
    let request = SignUpRequest {
        client_id: flow.client.client_id.clone(),
        secret_hash: flow.secret_hash(&username),
        username: username.clone(),
        password: Some(password),
        user_attributes: attributes,
        ..SignUpRequest::default()
    };
    let result = match validated("SignUp", &request) {
        Ok(request) => sign_up(flow.cx(), Caller::Public, request).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(done) if done.user_confirmed => {
            let message = "Your account is ready. Sign in.";
            login_page(&flow, StatusCode::OK, &username, None, Some(message)).await
        }
        Ok(_) => see(&flow.url("confirmUser", &[("username", &username)])),
        Err(e) => {
            signup_page(
                &flow,
                StatusCode::BAD_REQUEST,
                &username,
                &email,
                Some(&e.message),
            )
            .await
        }
    }
}

pub async fn get_confirm(State(app): State<Arc<App>>, request: PageRequest) -> Response {
    let flow = match Flow::load(app, &request).await {
        Ok(flow) => flow,
        Err(response) => return response,
    };
    let username = flow.extra("username");
    let message = "We sent a verification code to you. Enter it to confirm your account.";
    confirm_page(&flow, StatusCode::OK, &username, None, Some(message)).await
}

async fn confirm_page(
    flow: &Flow,
    status: StatusCode,
    username: &str,
    error: Option<&str>,
    message: Option<&str>,
) -> Response {
    let values = context! { username => username, login_url => flow.url("login", &[]) };
    let action = flow.url("confirmUser", &[]);
    flow.form(
        status,
        CONFIRM,
        "confirm.html",
        "Confirm your account",
        action,
        error,
        message,
        values,
    )
    .await
}

pub async fn post_confirm(
    State(app): State<Arc<App>>,
    request: PageRequest,
    body: Bytes,
) -> Response {
    let (flow, fields) = match load_and_check(app, &request, &body, CONFIRM).await {
        Ok(loaded) => loaded,
        Err(response) => return response,
    };
    let username = fields.get("username").unwrap_or_default().trim().to_owned();
    let request = ConfirmSignUpRequest {
        client_id: flow.client.client_id.clone(),
        secret_hash: flow.secret_hash(&username),
        username: username.clone(),
        confirmation_code: fields.get("code").unwrap_or_default().trim().to_owned(),
        ..ConfirmSignUpRequest::default()
    };
    let result: Result<_, Error> = match validated("ConfirmSignUp", &request) {
        Ok(request) => confirm_sign_up(flow.cx(), Caller::Public, request).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => {
            let message = "Your account is confirmed. Sign in.";
            login_page(&flow, StatusCode::OK, &username, None, Some(message)).await
        }
        Err(e) => {
            confirm_page(
                &flow,
                StatusCode::BAD_REQUEST,
                &username,
                Some(&e.message),
                None,
            )
            .await
        }
    }
}
