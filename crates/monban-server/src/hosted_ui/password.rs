//! `/forgotPassword` and `/confirmforgotPassword`: ForgotPassword sends a code, then
//! ConfirmForgotPassword sets the new password with it (the API's core operations, model
//! validation included), then the sign-in page.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use minijinja::context;
use monban_core::ops::sign_up::{confirm_forgot_password, forgot_password};
use monban_core::Caller;
use monban_wire::idp::{ConfirmForgotPasswordRequest, ForgotPasswordRequest};

use super::flow::{see, Flow, PageRequest};
use super::login::login_page;
use super::{load_and_check, validated};
use crate::app::App;

const FORGOT: &str = "forgot";
const RESET: &str = "reset";

pub async fn get_forgot(State(app): State<Arc<App>>, request: PageRequest) -> Response {
    match Flow::load(app, &request).await {
        Ok(flow) => forgot_page(&flow, StatusCode::OK, "", None).await,
        Err(response) => response,
    }
}

async fn forgot_page(
    flow: &Flow,
    status: StatusCode,
    username: &str,
    error: Option<&str>,
) -> Response {
    let values = context! { username => username, login_url => flow.url("login", &[]) };
    let action = flow.url("forgotPassword", &[]);
    flow.form(
        status,
        FORGOT,
        "forgot.html",
        "Forgot your password?",
        action,
        error,
        None,
        values,
    )
    .await
}

pub async fn post_forgot(
    State(app): State<Arc<App>>,
    request: PageRequest,
    body: Bytes,
) -> Response {
    let (flow, fields) = match load_and_check(app, &request, &body, FORGOT).await {
        Ok(loaded) => loaded,
        Err(response) => return response,
    };
    let username = fields.get("username").unwrap_or_default().trim().to_owned();
    let request = ForgotPasswordRequest {
        client_id: flow.client.client_id.clone(),
        secret_hash: flow.secret_hash(&username),
        username: username.clone(),
        ..ForgotPasswordRequest::default()
    };
    let result = match validated("ForgotPassword", &request) {
        Ok(request) => forgot_password(flow.cx(), Caller::Public, request).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => see(&flow.url("confirmforgotPassword", &[("username", &username)])),
        Err(e) => forgot_page(&flow, StatusCode::BAD_REQUEST, &username, Some(&e.message)).await,
    }
}

pub async fn get_reset(State(app): State<Arc<App>>, request: PageRequest) -> Response {
    let flow = match Flow::load(app, &request).await {
        Ok(flow) => flow,
        Err(response) => return response,
    };
    let username = flow.extra("username");
    let message = "We sent you a code. Enter it and choose a new password.";
    reset_page(&flow, StatusCode::OK, &username, None, Some(message)).await
}

async fn reset_page(
    flow: &Flow,
    status: StatusCode,
    username: &str,
    error: Option<&str>,
    message: Option<&str>,
) -> Response {
    let values = context! { username => username, login_url => flow.url("login", &[]) };
    let action = flow.url("confirmforgotPassword", &[]);
    flow.form(
        status,
        RESET,
        "reset.html",
        "Reset your password",
        action,
        error,
        message,
        values,
    )
    .await
}

pub async fn post_reset(
    State(app): State<Arc<App>>,
    request: PageRequest,
    body: Bytes,
) -> Response {
    let (flow, fields) = match load_and_check(app, &request, &body, RESET).await {
        Ok(loaded) => loaded,
        Err(response) => return response,
    };
    let username = fields.get("username").unwrap_or_default().trim().to_owned();
    let request = ConfirmForgotPasswordRequest {
        client_id: flow.client.client_id.clone(),
        secret_hash: flow.secret_hash(&username),
        username: username.clone(),
        confirmation_code: fields.get("code").unwrap_or_default().trim().to_owned(),
        password: fields.get("password").unwrap_or_default().to_owned(),
        ..ConfirmForgotPasswordRequest::default()
    };
    let result = match validated("ConfirmForgotPassword", &request) {
        Ok(request) => confirm_forgot_password(flow.cx(), Caller::Public, request).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => {
            let message = "Your password has been changed. Sign in with it.";
            login_page(&flow, StatusCode::OK, &username, None, Some(message)).await
        }
        Err(e) => {
            reset_page(
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
