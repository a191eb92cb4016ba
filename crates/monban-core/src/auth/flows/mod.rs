//! The sign-in flows behind InitiateAuth / AdminInitiateAuth and RespondToAuthChallenge /
//! AdminRespondToAuthChallenge, each an explicit state machine (its states listed at the
//! top of its file):
//! - [`password`]: USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, ADMIN_NO_SRP_AUTH;
//! - [`srp`]: USER_SRP_AUTH → PASSWORD_VERIFIER;
//! - [`refresh`]: REFRESH_TOKEN_AUTH / REFRESH_TOKEN;
//! - [`custom`]: CUSTOM_AUTH → CUSTOM_CHALLENGE rounds driven by the pool's challenge
//!   functions (optionally SRP first);
//! - then [`signed_in`] decides between an error, [`new_password`] (NEW_PASSWORD_REQUIRED),
//!   [`mfa`] (SMS_MFA, EMAIL_OTP, SOFTWARE_TOKEN_MFA, SELECT_MFA_TYPE; MFA_SETUP in
//!   [`mfa_setup`]) and tokens — after a remembered device's proof in [`device`]
//!   (DEVICE_SRP_AUTH → DEVICE_PASSWORD_VERIFIER) when the client names one.
//!
//! Challenge state lives in the database (a session row) or, for SRP, in the sealed
//! SECRET_BLOCK, never in process memory, so any node continues a sign-in. Failed
//! passwords count towards the [`lockout`]; unknown users get the [`decoy`] treatment when
//! the client prevents user existence errors. The pool's sign-in triggers run where Cognito
//! runs them ([`sign_in_triggers`], [`migration`]). USER_AUTH is refused as not supported
//! yet.

mod allowed;
mod custom;
mod custom_state;
mod custom_triggers;
mod decoy;
mod device;
mod lockout;
mod messages;
mod mfa;
mod mfa_setup;
mod migration;
mod new_password;
mod outcome;
mod params;
mod password;
mod refresh;
mod session;
mod sign_in_triggers;
mod signed_in;
mod srp;

use std::collections::BTreeMap;

use monban_wire::idp::{AuthFlowType, ChallengeNameType};

pub use allowed::{enabled as flow_enabled, Flow};
pub use custom::MAX_ROUNDS as MAX_CUSTOM_CHALLENGE_ROUNDS;
pub use lockout::{check_not_locked, clear_failures, record_failure, LockoutSettings};
pub use mfa::MAX_WRONG_CODES as MAX_WRONG_MFA_CODES;
pub use mfa_setup::{associate_in_session, verify_in_session};
pub use migration::{migrate_user, MigrationSource};
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
    /// The hosted UI's pages: the password form works whatever the client's
    /// `ExplicitAuthFlows` (as Cognito's hosted UI does), and a passed sign-in ends in
    /// [`Outcome::SignedIn`] (the page then mints an authorization code) instead of tokens.
    HostedUi,
}

/// One sign-in request: the pool and client it is for, the API it came through, and the
/// request's `ClientMetadata` (for the triggers).
#[derive(Clone, Copy)]
pub struct SignIn<'a> {
    pub cx: &'a Cx,
    pub pool: &'a UserPool,
    pub client: &'a AppClient,
    pub api: Api,
    pub client_metadata: Option<&'a BTreeMap<String, String>>,
    /// What the tokens of this request are issued for (PreTokenGeneration's
    /// `TokenGeneration_*`): `NewPasswordChallenge` once NEW_PASSWORD_REQUIRED is answered.
    pub token_source: crate::triggers::TokenSource,
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
    // A first factor's ClientMetadata goes to PreAuthentication and UserMigration (as
    // `validationData`) only: the other triggers of the call get none, as in Cognito.
    let validation_data = s.client_metadata;
    let first_factor = &SignIn {
        client_metadata: None,
        ..*s
    };
    match flow {
        Flow::Password => password::initiate(first_factor, params, validation_data).await,
        Flow::Srp => srp::initiate(first_factor, params, validation_data).await,
        Flow::Custom => custom::initiate(first_factor, params, validation_data).await,
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
        ChallengeNameType::CustomChallenge => custom::respond(s, responses, session).await,
        ChallengeNameType::NewPasswordRequired => {
            new_password::respond(s, responses, session).await
        }
        ChallengeNameType::DeviceSrpAuth => device::respond_srp_auth(s, responses, session).await,
        ChallengeNameType::DevicePasswordVerifier => {
            device::respond_password_verifier(s, responses, session).await
        }
        ChallengeNameType::SmsMfa => {
            mfa::respond_code(s, crate::mfa::MfaFactor::Sms, responses, session).await
        }
        ChallengeNameType::EmailOtp => {
            mfa::respond_code(s, crate::mfa::MfaFactor::Email, responses, session).await
        }
        ChallengeNameType::SoftwareTokenMfa => {
            let factor = crate::mfa::MfaFactor::SoftwareToken;
            mfa::respond_code(s, factor, responses, session).await
        }
        ChallengeNameType::SelectMfaType => mfa::respond_select(s, responses, session).await,
        ChallengeNameType::MfaSetup => mfa::respond_setup(s, responses, session).await,
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

/// Runs CPU-heavy work (SRP exponentiations) off the async workers, bounded.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, Error> {
    crate::heavy::run(f).await
}
