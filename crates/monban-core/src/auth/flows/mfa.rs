//! The second factor of a sign-in (flows.md §3): SMS_MFA, EMAIL_OTP and
//! SOFTWARE_TOKEN_MFA, SELECT_MFA_TYPE when the user has several factors and no
//! preference, and MFA_SETUP (in [`super::mfa_setup`]) when MFA is required and the user
//! has none.
//!
//! States:
//! 1. After the password ([`challenge`]): the factor's challenge — for SMS and email a
//!    6-digit code is sent and its keyed hash kept in the session row, so the code is
//!    valid for that session only and dies with it (`AuthSessionValidity`) — or
//!    SELECT_MFA_TYPE, or MFA_SETUP.
//! 2. The code answered ([`respond_code`]): session taken → same user → not locked out →
//!    code checked (TOTP: RFC 6238, each time step once). A wrong code is
//!    `CodeMismatchException`, counts towards the lockout, and puts the session back so
//!    the user can retype it (up to [`MAX_WRONG_CODES`] times); an expired session is
//!    `ExpiredCodeException`. A right code forgets the failed sign-ins and ends the
//!    sign-in ([`signed_in::complete`]); a first SMS or email code also marks the phone
//!    number or email verified, as Cognito does.
//! 3. SELECT_MFA_TYPE answered with `ANSWER`: that factor's challenge, as in 1.

use std::collections::BTreeMap;

use monban_wire::idp::ChallengeNameType;
use serde::{Deserialize, Serialize};

use super::lockout::{check_not_locked, clear_failures, record_failure};
use super::messages::{invalid_session, session_expired};
use super::outcome::{Challenge, Outcome};
use super::params::Params;
use super::session::{self, SessionState};
use super::{mfa_setup, same_user, signed_in, SignIn};
use crate::auth::client::check_secret_hash;
use crate::entities::User;
use crate::error::{Error, ErrorKind};
use crate::mfa::{check_sign_in_code, code_matches, send_mfa_code, MfaFactor, MfaStep};
use crate::users::{modify_user, KeyWrite, Target};

/// Wrong codes one session accepts before the sign-in must start again.
pub const MAX_WRONG_CODES: u32 = 3;

/// What an MFA session row keeps, besides the common sign-in state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct MfaState {
    #[serde(flatten)]
    pub base: SessionState,
    /// SMS_MFA / EMAIL_OTP: the keyed hash of the code sent, and its salt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_hash: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_salt: Option<String>,
    /// Wrong codes presented in this session so far.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub wrong_codes: u32,
    /// SELECT_MFA_TYPE / MFA_SETUP: the factors offered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<String>,
    /// MFA_SETUP: a TOTP authenticator was verified through this session.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub software_token_verified: bool,
    /// MFA_SETUP by email: the factor to turn on once its first code is right.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_on_success: Option<String>,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl MfaState {
    pub(super) fn new(base: SessionState) -> Self {
        Self {
            base,
            code_hash: None,
            code_salt: None,
            wrong_codes: 0,
            choices: Vec::new(),
            software_token_verified: false,
            enable_on_success: None,
        }
    }

    /// The common part, for the next step of the sign-in.
    pub(super) fn carried(&self) -> Self {
        Self {
            enable_on_success: self.enable_on_success.clone(),
            ..Self::new(self.base.clone())
        }
    }
}

/// `CodeMismatchException: Invalid code received for user` (wrong MFA code).
pub fn code_mismatch() -> Error {
    Error::new(
        ErrorKind::CodeMismatchException,
        "Invalid code received for user",
    )
}

/// `ExpiredCodeException`: the session the code belonged to has expired.
pub fn code_expired() -> Error {
    Error::new(
        ErrorKind::ExpiredCodeException,
        "Invalid code provided, please request a code again.",
    )
}

fn json_list(factors: &[MfaFactor]) -> Result<String, Error> {
    let names: Vec<&str> = factors.iter().map(|f| f.as_str()).collect();
    serde_json::to_string(&names).map_err(Error::internal)
}

/// The MFA step `step` for `user`, who proved the first factor at `auth_time_ms`.
pub async fn challenge(
    s: &SignIn<'_>,
    user: &User,
    step: MfaStep,
    auth_time_ms: i64,
    device_key: Option<String>,
) -> Result<Outcome, Error> {
    let state = MfaState::new(SessionState {
        sub: user.sub.clone(),
        auth_time_ms,
        device_key,
    });
    match step {
        MfaStep::Challenge(factor) => ask(s, user, factor, state).await,
        MfaStep::Select(factors) => {
            let state = MfaState {
                choices: factors.iter().map(|f| f.as_str().to_owned()).collect(),
                ..state
            };
            let mut parameters = base_parameters(user);
            parameters.insert("MFAS_CAN_CHOOSE".to_owned(), json_list(&factors)?);
            open(
                s,
                user,
                ChallengeNameType::SelectMfaType,
                &state,
                parameters,
            )
            .await
        }
        MfaStep::Setup(factors) => {
            let state = MfaState {
                choices: factors.iter().map(|f| f.as_str().to_owned()).collect(),
                ..state
            };
            let mut parameters = base_parameters(user);
            parameters.insert("MFAS_CAN_SETUP".to_owned(), json_list(&factors)?);
            open(s, user, ChallengeNameType::MfaSetup, &state, parameters).await
        }
        MfaStep::None => Err(Error::internal("no MFA step to challenge")),
    }
}

/// Every MFA challenge names the user as the answers must (`USER_ID_FOR_SRP`).
fn base_parameters(user: &User) -> BTreeMap<String, String> {
    BTreeMap::from([("USER_ID_FOR_SRP".to_owned(), user.username.clone())])
}

pub(super) async fn open(
    s: &SignIn<'_>,
    user: &User,
    name: ChallengeNameType,
    state: &MfaState,
    parameters: BTreeMap<String, String>,
) -> Result<Outcome, Error> {
    let session = session::open_with(s, name, &user.username, state).await?;
    Ok(Outcome::Challenge(Challenge {
        name,
        parameters,
        session: Some(session),
    }))
}

/// The challenge of `factor`; for SMS and email, the code is sent now.
pub(super) async fn ask(
    s: &SignIn<'_>,
    user: &User,
    factor: MfaFactor,
    state: MfaState,
) -> Result<Outcome, Error> {
    let mut parameters = base_parameters(user);
    let state = match factor {
        MfaFactor::SoftwareToken => {
            if let Some(name) = user
                .data
                .software_token
                .as_ref()
                .and_then(|t| t.friendly_device_name.clone())
            {
                parameters.insert("FRIENDLY_DEVICE_NAME".to_owned(), name);
            }
            state
        }
        MfaFactor::Sms | MfaFactor::Email => {
            let sent = send_mfa_code(s.cx, s.pool, user, factor, &s.client.client_id).await?;
            let medium = if factor == MfaFactor::Sms {
                "SMS"
            } else {
                "EMAIL"
            };
            parameters.insert(
                "CODE_DELIVERY_DELIVERY_MEDIUM".to_owned(),
                medium.to_owned(),
            );
            parameters.insert("CODE_DELIVERY_DESTINATION".to_owned(), sent.destination);
            MfaState {
                code_hash: Some(sent.hash),
                code_salt: Some(sent.salt),
                ..state
            }
        }
    };
    open(s, user, factor.challenge(), &state, parameters).await
}

/// The `ChallengeResponses` entry carrying the code of `factor`.
fn code_parameter(factor: MfaFactor) -> &'static str {
    match factor {
        MfaFactor::Sms => "SMS_MFA_CODE",
        MfaFactor::SoftwareToken => "SOFTWARE_TOKEN_MFA_CODE",
        MfaFactor::Email => "EMAIL_OTP_CODE",
    }
}

/// Takes the MFA session of `name` and finds its user, who must be the one `username`
/// names.
pub(super) async fn take(
    s: &SignIn<'_>,
    session_value: Option<&str>,
    name: ChallengeNameType,
    username: &str,
) -> Result<(crate::entities::AuthSession, MfaState, User), Error> {
    let (row, state): (_, MfaState) = session::take_with(s, session_value, name).await?;
    let user =
        s.cx.store
            .get_user_by_sub(&s.pool.id, &state.base.sub)
            .await?
            .ok_or_else(invalid_session)?;
    if !same_user(s, &user, username).await? {
        return Err(invalid_session());
    }
    Ok((row, state, user))
}

/// Answers SMS_MFA, EMAIL_OTP or SOFTWARE_TOKEN_MFA.
pub async fn respond_code(
    s: &SignIn<'_>,
    factor: MfaFactor,
    responses: Params<'_>,
    session_value: Option<&str>,
) -> Result<Outcome, Error> {
    let username = responses.required("USERNAME")?;
    let code = responses.required(code_parameter(factor))?;
    check_secret_hash(s.client, username, responses.raw("SECRET_HASH"))?;
    let (row, mut state, user) = take(s, session_value, factor.challenge(), username)
        .await
        .map_err(|e| {
            // The code lived as long as its session.
            if e.kind == ErrorKind::NotAuthorizedException && e.message == session_expired().message
            {
                code_expired()
            } else {
                e
            }
        })?;
    if let Err(e) = check_not_locked(s.cx, &user) {
        session::put_back(s.cx, row, &state).await?;
        return Err(e);
    }
    let right = match factor {
        MfaFactor::SoftwareToken => check_sign_in_code(s.cx, s.pool, &user, code).await?,
        MfaFactor::Sms | MfaFactor::Email => match (&state.code_hash, &state.code_salt) {
            (Some(hash), Some(salt)) => {
                code_matches(s.cx, &s.pool.id, &user.sub, salt, hash, code).await?
            }
            _ => return Err(invalid_session()),
        },
    };
    if !right {
        record_failure(s.cx, s.pool, &user).await?;
        state.wrong_codes += 1;
        if state.wrong_codes < MAX_WRONG_CODES {
            session::put_back(s.cx, row, &state).await?;
        }
        return Err(code_mismatch());
    }
    let user = after_right_code(s, user, factor, state.enable_on_success.as_deref()).await?;
    let user = clear_failures(s.cx, s.pool, user).await?;
    let (auth_time_ms, device_key) = (state.base.auth_time_ms, state.base.device_key);
    signed_in::complete_answering(s, user, auth_time_ms, device_key, session_value).await
}

/// A right SMS or email code proves the phone number or address: marked verified (as
/// Cognito does after a first MFA), and, when the sign-in was setting up email MFA, that
/// factor turned on. A verification that cannot be stored (the address became another
/// user's verified alias meanwhile) does not fail the sign-in.
async fn after_right_code(
    s: &SignIn<'_>,
    user: User,
    factor: MfaFactor,
    enable: Option<&str>,
) -> Result<User, Error> {
    let Some(attribute) = factor.attribute() else {
        return Ok(user);
    };
    let verified = format!("{attribute}_verified");
    let already = user
        .attributes
        .get(&verified)
        .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    let enable = enable.filter(|f| *f == factor.as_str());
    if already && enable.is_none() {
        return Ok(user);
    }
    let changed = modify_user(
        s.cx,
        s.pool,
        Target::Sub(&user.sub),
        KeyWrite::Update,
        |u| {
            u.attributes.insert(verified.clone(), "true".to_owned());
            if let Some(f) = enable {
                if !u.data.enabled_mfas.iter().any(|e| e == f) {
                    u.data.enabled_mfas.push(f.to_owned());
                    u.data.enabled_mfas.sort_by_key(|e| MfaFactor::parse(e));
                }
            }
            Ok(())
        },
    )
    .await;
    match changed {
        Ok(user) => Ok(user),
        Err(e) if e.kind != ErrorKind::InternalErrorException => {
            tracing::warn!(pool_id = %s.pool.id, sub = %user.sub, error = %e, "MFA destination not marked verified");
            Ok(user)
        }
        Err(e) => Err(e),
    }
}

/// Answers SELECT_MFA_TYPE: `ANSWER` names one of the factors offered.
pub async fn respond_select(
    s: &SignIn<'_>,
    responses: Params<'_>,
    session_value: Option<&str>,
) -> Result<Outcome, Error> {
    let username = responses.required("USERNAME")?;
    let answer = responses.required("ANSWER")?;
    check_secret_hash(s.client, username, responses.raw("SECRET_HASH"))?;
    let (row, state, user) =
        take(s, session_value, ChallengeNameType::SelectMfaType, username).await?;
    let Some(factor) =
        MfaFactor::parse(answer).filter(|f| state.choices.iter().any(|c| c == f.as_str()))
    else {
        session::put_back(s.cx, row, &state).await?;
        return Err(Error::invalid_parameter(format!(
            "ANSWER must be one of {}",
            state.choices.join(", ")
        )));
    };
    ask(s, &user, factor, state.carried()).await
}

/// Answers MFA_SETUP (see [`mfa_setup`]).
pub async fn respond_setup(
    s: &SignIn<'_>,
    responses: Params<'_>,
    session_value: Option<&str>,
) -> Result<Outcome, Error> {
    mfa_setup::respond(s, responses, session_value).await
}
