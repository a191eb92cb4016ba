//! The sign-in flows behind InitiateAuth / AdminInitiateAuth and RespondToAuthChallenge /
//! AdminRespondToAuthChallenge, each an explicit state machine (its states listed at the
//! top of its file):
//! - [`password`]: USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, ADMIN_NO_SRP_AUTH;
//! - [`srp`]: USER_SRP_AUTH → PASSWORD_VERIFIER;
//! - [`refresh`]: REFRESH_TOKEN_AUTH / REFRESH_TOKEN;
//! - then [`signed_in`] decides between an error, [`new_password`] (NEW_PASSWORD_REQUIRED)
//!   and tokens.
//!
//! Challenge state lives in the database (a session row) or, for SRP, in the sealed
//! SECRET_BLOCK, never in process memory, so any node continues a sign-in. Failed
//! passwords count towards the [`lockout`]; unknown users get the [`decoy`] treatment when
//! the client prevents user existence errors. CUSTOM_AUTH, USER_AUTH, MFA and device
//! challenges are refused as not supported yet.

mod allowed;
mod decoy;
mod lockout;
mod messages;
mod new_password;
mod outcome;
mod params;
mod password;
mod refresh;
mod session;
mod signed_in;
mod srp;

use std::collections::BTreeMap;

use monban_wire::idp::{AuthFlowType, ChallengeNameType};

pub use allowed::{enabled as flow_enabled, Flow};
pub use lockout::{check_not_locked, clear_failures, record_failure, LockoutSettings};
pub use outcome::{Challenge, Outcome, ResponseParts};
pub use signed_in::{next_step, NextStep};

use crate::entities::{AppClient, User, UserPool};
use crate::error::Error;
use crate::users::{lookup_user, normalise, KeyKind, NameRules};
use crate::Cx;
use messages::not_supported;
use params::Params;

/// Which API the request came through: some flows belong to one of them only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Api {
    /// InitiateAuth / RespondToAuthChallenge (unsigned, authorised by the client).
    Public,
    /// AdminInitiateAuth / AdminRespondToAuthChallenge (IAM).
    Admin,
}

/// One sign-in request: the pool and client it is for, and the API it came through.
#[derive(Clone, Copy)]
pub struct SignIn<'a> {
    pub cx: &'a Cx,
    pub pool: &'a UserPool,
    pub client: &'a AppClient,
    pub api: Api,
}

/// InitiateAuth / AdminInitiateAuth.
pub async fn initiate(
    s: &SignIn<'_>,
    auth_flow: AuthFlowType,
    auth_parameters: Option<&BTreeMap<String, String>>,
) -> Result<Outcome, Error> {
    let flow = allowed::check_flow(s.client, s.api, auth_flow)?;
    let empty = BTreeMap::new();
    let params = Params(auth_parameters.unwrap_or(&empty));
    match flow {
        Flow::Password => password::initiate(s, params).await,
        Flow::Srp => srp::initiate(s, params).await,
        Flow::Refresh => refresh::initiate(s, params).await,
    }
}

/// RespondToAuthChallenge / AdminRespondToAuthChallenge.
pub async fn respond(
    s: &SignIn<'_>,
    challenge: ChallengeNameType,
    responses: Option<&BTreeMap<String, String>>,
    session: Option<&str>,
) -> Result<Outcome, Error> {
    let empty = BTreeMap::new();
    let responses = Params(responses.unwrap_or(&empty));
    match challenge {
        ChallengeNameType::PasswordVerifier => srp::respond(s, responses, session).await,
        ChallengeNameType::NewPasswordRequired => {
            new_password::respond(s, responses, session).await
        }
        ChallengeNameType::AdminNoSrpAuth => Err(Error::invalid_parameter(
            "ADMIN_NO_SRP_AUTH is an auth flow, not a challenge to respond to.",
        )),
        other => Err(not_supported(&format!("The {} challenge", other.as_str()))),
    }
}

/// Whether `name` (the USERNAME of a challenge response) designates `user`: its internal
/// username, as the SDKs echo it, or any name that finds the same user.
async fn same_user(s: &SignIn<'_>, user: &User, name: &str) -> Result<bool, Error> {
    let rules = NameRules::of(s.pool);
    if normalise(&rules, KeyKind::Username, name)
        == normalise(&rules, KeyKind::Username, &user.username)
    {
        return Ok(true);
    }
    Ok(lookup_user(s.cx, s.pool, name)
        .await?
        .is_some_and(|found| found.sub == user.sub))
}

/// Runs CPU-heavy work (SRP exponentiations) on the blocking pool.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, Error> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(Error::internal)
}
