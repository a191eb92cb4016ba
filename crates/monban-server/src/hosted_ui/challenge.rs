//! The challenge pages that follow the password: NEW_PASSWORD_REQUIRED, the MFA codes
//! (SMS_MFA, EMAIL_OTP, SOFTWARE_TOKEN_MFA), SELECT_MFA_TYPE, and MFA_SETUP for an
//! authenticator app (QR code + the key as text). Each page carries the challenge's
//! Session in a hidden field and posts to `/challenge`, which answers it through core's
//! RespondToAuthChallenge flow (`Api::HostedUi`).

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use minijinja::context;
use monban_core::auth::flows::{
    associate_in_session, respond, verify_in_session, Api, Challenge, SignIn,
};
use monban_core::Error;
use monban_wire::idp::ChallengeNameType;
use monban_wire::ErrorKind;

use super::audit;
use super::flow::{Flow, PageRequest};
use super::load_and_check;
use super::login::{after, login_page};
use super::totp::qr_svg;
use crate::app::App;

pub const FORM: &str = "challenge";

/// What a challenge page shows.
struct View {
    name: ChallengeNameType,
    session: String,
    username: String,
    /// Where an SMS or email code went.
    destination: Option<String>,
    /// SELECT_MFA_TYPE's choices.
    choices: Vec<String>,
    /// MFA_SETUP's authenticator key.
    secret_code: Option<String>,
}

/// The page of `challenge` for the user who typed `username`.
pub async fn challenge_page(
    flow: &Flow,
    username: &str,
    challenge: Challenge,
    error: Option<&str>,
) -> Response {
    let p = &challenge.parameters;
    let username = p
        .get("USER_ID_FOR_SRP")
        .or_else(|| p.get("USERNAME"))
        .cloned()
        .unwrap_or_else(|| username.to_owned());
    let Some(mut session) = challenge.session else {
        return flow.error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "The challenge has no session.",
        );
    };
    let list = |key: &str| -> Vec<String> {
        p.get(key)
            .and_then(|v| serde_json::from_str(v).ok())
            .unwrap_or_default()
    };
    let mut secret_code = None;
    match challenge.name {
        ChallengeNameType::NewPasswordRequired
        | ChallengeNameType::SmsMfa
        | ChallengeNameType::EmailOtp
        | ChallengeNameType::SoftwareTokenMfa
        | ChallengeNameType::SelectMfaType => {}
        ChallengeNameType::MfaSetup => {
            if !list("MFAS_CAN_SETUP")
                .iter()
                .any(|f| f == "SOFTWARE_TOKEN_MFA")
            {
                return flow.error(
                    StatusCode::BAD_REQUEST,
                    "Your account must set up a second factor that this page cannot set up. Contact your administrator.",
                );
            }
            match associate_in_session(flow.cx(), &session).await {
                Ok((secret, next)) => {
                    secret_code = Some(secret);
                    session = next;
                }
                Err(e) => {
                    return login_page(
                        flow,
                        StatusCode::BAD_REQUEST,
                        &username,
                        Some(&e.message),
                        None,
                    )
                    .await
                }
            }
        }
        other => {
            let detail = format!("The {} challenge cannot be answered here.", other.as_str());
            return flow.error(StatusCode::BAD_REQUEST, &detail);
        }
    }
    let view = View {
        name: challenge.name,
        session,
        username,
        destination: p.get("CODE_DELIVERY_DESTINATION").cloned(),
        choices: list("MFAS_CAN_CHOOSE"),
        secret_code,
    };
    render(flow, &view, error).await
}

async fn render(flow: &Flow, view: &View, error: Option<&str>) -> Response {
    let (title, prompt, code_label) = match view.name {
        ChallengeNameType::NewPasswordRequired => ("Change your password", String::new(), ""),
        ChallengeNameType::SmsMfa => (
            "Enter your code",
            format!(
                "We sent a code by text message to {}.",
                view.destination.as_deref().unwrap_or("your phone")
            ),
            "Code",
        ),
        ChallengeNameType::EmailOtp => (
            "Enter your code",
            format!(
                "We sent a code by email to {}.",
                view.destination.as_deref().unwrap_or("your address")
            ),
            "Code",
        ),
        ChallengeNameType::SelectMfaType => ("Choose a sign-in method", String::new(), ""),
        ChallengeNameType::MfaSetup => (
            "Set up your authenticator app",
            String::new(),
            "Code from your app",
        ),
        _ => (
            "Enter your code",
            "Enter the code from your authenticator app.".to_owned(),
            "Code from your authenticator app",
        ),
    };
    let qr = match &view.secret_code {
        Some(secret) => qr_svg(&flow.pool.name, &view.username, secret),
        None => String::new(),
    };
    let values = context! {
        challenge_name => view.name.as_str(),
        session => view.session,
        username => view.username,
        prompt => prompt,
        code_label => code_label,
        choices => view.choices,
        choice_labels => context! {
            SMS_MFA => "Text message (SMS)",
            EMAIL_OTP => "Email",
            SOFTWARE_TOKEN_MFA => "Authenticator app",
        },
        secret_code => view.secret_code,
        qr_svg => qr,
    };
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let action = flow.url("challenge", &[]);
    flow.form(
        status,
        FORM,
        "challenge.html",
        title,
        action,
        error,
        None,
        values,
    )
    .await
}

pub async fn post(State(app): State<Arc<App>>, request: PageRequest, body: Bytes) -> Response {
    let (flow, fields) = match load_and_check(app, &request, &body, FORM).await {
        Ok(loaded) => loaded,
        Err(response) => return response,
    };
    let Some(name) = fields
        .get("challenge_name")
        .and_then(ChallengeNameType::parse)
    else {
        return flow.error(StatusCode::BAD_REQUEST, "Unknown challenge.");
    };
    let session = fields.get("session").unwrap_or_default().to_owned();
    let username = fields.get("username").unwrap_or_default().to_owned();
    let code = fields.get("code").unwrap_or_default().trim().to_owned();
    let mut view = View {
        name,
        session: session.clone(),
        username: username.clone(),
        destination: None,
        choices: Vec::new(),
        secret_code: fields.get("secret_code").map(str::to_owned),
    };
    let mut responses = BTreeMap::from([("USERNAME".to_owned(), username.clone())]);
    if let Some(hash) = flow.secret_hash(&username) {
        responses.insert("SECRET_HASH".to_owned(), hash);
    }
    let mut answer_session = session.clone();
    match name {
        ChallengeNameType::NewPasswordRequired => {
            let password = fields.get("new_password").unwrap_or_default();
            responses.insert("NEW_PASSWORD".to_owned(), password.to_owned());
        }
        ChallengeNameType::SmsMfa => {
            responses.insert("SMS_MFA_CODE".to_owned(), code);
        }
        ChallengeNameType::EmailOtp => {
            responses.insert("EMAIL_OTP_CODE".to_owned(), code);
        }
        ChallengeNameType::SoftwareTokenMfa => {
            responses.insert("SOFTWARE_TOKEN_MFA_CODE".to_owned(), code);
        }
        ChallengeNameType::SelectMfaType => {
            let answer = fields.get("answer").unwrap_or_default();
            responses.insert("ANSWER".to_owned(), answer.to_owned());
        }
        ChallengeNameType::MfaSetup => {
            // The app's first code verifies it; the verified setup then answers MFA_SETUP.
            match verify_in_session(flow.cx(), &session, &code, None).await {
                Ok(next) => answer_session = next,
                Err(e) => return retry_or_restart(&flow, &view, &e).await,
            }
        }
        _ => {
            return flow.error(
                StatusCode::BAD_REQUEST,
                "This challenge cannot be answered here.",
            )
        }
    }
    let sign_in = SignIn {
        cx: flow.cx(),
        pool: &flow.pool,
        client: &flow.client,
        api: Api::HostedUi,
        client_metadata: None,
        token_source: Default::default(),
    };
    let result = respond(&sign_in, name, Some(&responses), Some(&answer_session)).await;
    audit::sign_in_step(&flow, &username, Some(name.as_str()), &result).await;
    match result {
        Ok(outcome) => after(&flow, &username, outcome).await,
        Err(e) => {
            view.session = answer_session;
            retry_or_restart(&flow, &view, &e).await
        }
    }
}

/// A wrong code or a refused password keeps the challenge (core kept its session);
/// anything else (session expired or used up, user locked out) starts over at `/login`.
async fn retry_or_restart(flow: &Flow, view: &View, e: &Error) -> Response {
    let retry = matches!(
        e.kind,
        ErrorKind::CodeMismatchException
            | ErrorKind::EnableSoftwareTokenMFAException
            | ErrorKind::InvalidPasswordException
    );
    if retry {
        render(flow, view, Some(&e.message)).await
    } else {
        login_page(
            flow,
            StatusCode::BAD_REQUEST,
            &view.username,
            Some(&e.message),
            None,
        )
        .await
    }
}
