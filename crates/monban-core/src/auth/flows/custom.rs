//! CUSTOM_AUTH: the application's functions decide how a user proves who they are
//! (flows.md §2-§3, triggers.md §3), DefineAuthChallenge choosing each next step from the
//! history of the rounds so far.
//!
//! States:
//! 1. InitiateAuth / AdminInitiateAuth (client allows CUSTOM_AUTH): USERNAME and SECRET_HASH
//!    checked → the user found (an unknown name goes on with `userNotFound` when the client
//!    hides user existence, else `UserNotFoundException`) → PreAuthentication → history `[]`,
//!    or `[SRP_A ✓]` when `CHALLENGE_NAME=SRP_A` and `SRP_A` start with SRP → Define.
//! 2. Define decides: `failAuthentication` → `NotAuthorizedException: Incorrect username or
//!    password.`; `issueTokens` → the user's state, then tokens as after any first factor
//!    ([`proceed`](super::signed_in::proceed)); `CUSTOM_CHALLENGE` → CreateAuthChallenge,
//!    whose public parameters (with `USERNAME`) go to the client and whose private ones and
//!    metadata stay in the session row; `PASSWORD_VERIFIER` (right after `SRP_A`) → the SRP
//!    challenge of USER_SRP_AUTH, whose answer comes back here.
//! 3. RespondToAuthChallenge CUSTOM_CHALLENGE (`ANSWER`): the session taken (each Session
//!    works once; every round gets a new one) → VerifyAuthChallengeResponse →
//!    `[..., CUSTOM_CHALLENGE answerCorrect metadata]` → Define (2).
//!    PASSWORD_VERIFIER: the proof checked as in USER_SRP_AUTH (a wrong one ends the
//!    sign-in there, counted towards the lockout) → `[..., PASSWORD_VERIFIER ✓]` → Define.
//!
//! A sign-in answers at most [`MAX_ROUNDS`] challenges: Cognito bounds the loop too but does
//! not document its limit; monban's is a constant, ended like `failAuthentication`.
//! `ClientMetadata` reaches Define/Create/Verify only from RespondToAuthChallenge, as in
//! Cognito.

use std::collections::BTreeMap;

use monban_wire::idp::ChallengeNameType;

use super::custom_state::{secret_block_sha256, ChallengeResult, CustomState};
use super::custom_triggers::{create, define, not_configured, verify, Decision};
use super::decoy::prevents_existence_errors;
use super::messages::{incorrect_credentials, invalid_session};
use super::outcome::{Challenge, Outcome};
use super::params::Params;
use super::sign_in_triggers::{pre_authentication, Subject};
use super::{same_user, session, signed_in, srp, SignIn};
use crate::auth::client::check_secret_hash;
use crate::entities::User;
use crate::error::Error;
use crate::triggers::Trigger;
use crate::users::{lookup_user, normalise, KeyKind, NameRules};

/// The most challenges (custom or PASSWORD_VERIFIER) one sign-in may answer.
pub const MAX_ROUNDS: usize = 10;

const CUSTOM_CHALLENGE: &str = "CUSTOM_CHALLENGE";
const PASSWORD_VERIFIER: &str = "PASSWORD_VERIFIER";
const SRP_A: &str = "SRP_A";

/// InitiateAuth / AdminInitiateAuth with CUSTOM_AUTH.
pub async fn initiate(
    s: &SignIn<'_>,
    params: Params<'_>,
    validation_data: Option<&BTreeMap<String, String>>,
) -> Result<Outcome, Error> {
    let username = params.required("USERNAME")?;
    check_secret_hash(s.client, username, params.raw("SECRET_HASH"))?;
    if !Trigger::DefineAuthChallenge.is_configured(s.pool) {
        return Err(not_configured());
    }
    // CHALLENGE_NAME=SRP_A starts with the password (the SDKs' "custom with SRP"); any
    // other value (CUSTOM_CHALLENGE, as Amplify sends) starts with the functions.
    let srp_a = match params.optional("CHALLENGE_NAME") {
        Some(SRP_A) => Some(srp::parse_a(params.required("SRP_A")?)?),
        _ => None,
    };
    let device_key = params.optional("DEVICE_KEY").map(str::to_owned);
    let user = lookup_user(s.cx, s.pool, username).await?;
    if user.is_none() && !prevents_existence_errors(s.client) {
        return Err(Error::user_not_found());
    }
    let who = user
        .as_ref()
        .map_or(Subject::NotFound(username), Subject::User);
    pre_authentication(s, who, validation_data).await?;

    let mut state = CustomState::new(user.as_ref(), username, device_key);
    if srp_a.is_some() {
        state.history.push(ChallengeResult::new(SRP_A, true, None));
    }
    // InitiateAuth's ClientMetadata went to PreAuthentication only.
    next_round(s, user, state, srp_a, None).await
}

/// RespondToAuthChallenge / AdminRespondToAuthChallenge with CUSTOM_CHALLENGE.
pub async fn respond(
    s: &SignIn<'_>,
    responses: Params<'_>,
    session_value: Option<&str>,
) -> Result<Outcome, Error> {
    let username = responses.required("USERNAME")?;
    let answer = responses.required("ANSWER")?;
    check_secret_hash(s.client, username, responses.raw("SECRET_HASH"))?;
    let (_, mut state) =
        session::take_with::<CustomState>(s, session_value, ChallengeNameType::CustomChallenge)
            .await?;
    let user = current_user(s, &state).await?;
    if !names(s, user.as_ref(), &state, username).await? {
        return Err(invalid_session());
    }
    let correct = verify(s, user.as_ref(), &state, answer).await?;
    state.record(CUSTOM_CHALLENGE, correct);
    next_round(s, user, state, None, s.client_metadata).await
}

/// The custom sign-in waiting for the PASSWORD_VERIFIER answer that brings
/// `secret_block`: its session, taken (the Session is required: it names the round).
pub(super) async fn take_password_round(
    s: &SignIn<'_>,
    session_value: Option<&str>,
    secret_block: &str,
) -> Result<CustomState, Error> {
    let (_, state) =
        session::take_with::<CustomState>(s, session_value, ChallengeNameType::PasswordVerifier)
            .await?;
    if state.secret_block_sha256.as_deref() != Some(secret_block_sha256(secret_block).as_str()) {
        return Err(invalid_session());
    }
    Ok(state)
}

/// The password was proven in a custom sign-in: recorded, and Define asked what next.
pub(super) async fn password_verified(
    s: &SignIn<'_>,
    mut state: CustomState,
    user: User,
) -> Result<Outcome, Error> {
    if state.sub.as_deref() != Some(user.sub.as_str()) {
        return Err(invalid_session());
    }
    state.record(PASSWORD_VERIFIER, true);
    next_round(s, Some(user), state, None, s.client_metadata).await
}

/// Asks DefineAuthChallenge what follows `state.history`, and does it. `srp_a`: the client's
/// SRP_A, when this is the first round of a sign-in that starts with SRP.
async fn next_round(
    s: &SignIn<'_>,
    user: Option<User>,
    mut state: CustomState,
    srp_a: Option<crate::auth::srp::PublicA>,
    metadata: Option<&BTreeMap<String, String>>,
) -> Result<Outcome, Error> {
    let decision = define(s, user.as_ref(), &state, metadata).await?;
    let name = match decision {
        Decision::Fail => return Err(incorrect_credentials()),
        Decision::IssueTokens => {
            // Tokens need a user: an unknown name never gets further than here.
            let Some(user) = user else {
                return Err(incorrect_credentials());
            };
            let device_key = state.device_key.take();
            return signed_in::proceed(s, user, s.cx.now_ms(), device_key).await;
        }
        Decision::Challenge(name) => name,
    };
    if state.rounds() >= MAX_ROUNDS {
        tracing::info!(
            pool_id = %s.pool.id,
            username = %state.username,
            "custom sign-in refused: {MAX_ROUNDS} challenges answered without a decision"
        );
        return Err(incorrect_credentials());
    }
    match (name.as_str(), srp_a) {
        (CUSTOM_CHALLENGE, _) => custom_challenge(s, user, state, metadata).await,
        (PASSWORD_VERIFIER, Some(a)) => {
            let (parameters, secret_block) = srp::challenge(
                s,
                user.as_ref(),
                &state.username,
                a,
                state.device_key.clone(),
                true,
            )
            .await?;
            state.secret_block_sha256 = Some(secret_block_sha256(&secret_block));
            let session = session::open_with(
                s,
                ChallengeNameType::PasswordVerifier,
                &state.username,
                &state,
            )
            .await?;
            Ok(Outcome::Challenge(Challenge {
                name: ChallengeNameType::PasswordVerifier,
                parameters,
                session: Some(session),
            }))
        }
        (PASSWORD_VERIFIER, None) => Err(Error::new(
            crate::error::ErrorKind::InvalidLambdaResponseException,
            "DefineAuthChallenge chose PASSWORD_VERIFIER, which only follows SRP_A \
             (InitiateAuth with CHALLENGE_NAME SRP_A and SRP_A).",
        )),
        (other, _) => Err(Error::new(
            crate::error::ErrorKind::InvalidLambdaResponseException,
            format!("DefineAuthChallenge chose {other}, which a custom sign-in cannot present."),
        )),
    }
}

/// CreateAuthChallenge, then the CUSTOM_CHALLENGE with a new session.
async fn custom_challenge(
    s: &SignIn<'_>,
    user: Option<User>,
    mut state: CustomState,
    metadata: Option<&BTreeMap<String, String>>,
) -> Result<Outcome, Error> {
    let created = create(s, user.as_ref(), &state, CUSTOM_CHALLENGE, metadata).await?;
    state.private_parameters = created.private_parameters;
    state.challenge_metadata = created.metadata;
    let session = session::open_with(
        s,
        ChallengeNameType::CustomChallenge,
        &state.username,
        &state,
    )
    .await?;
    let mut parameters = created.public_parameters;
    parameters.insert("USERNAME".to_owned(), state.username.clone());
    Ok(Outcome::Challenge(Challenge {
        name: ChallengeNameType::CustomChallenge,
        parameters,
        session: Some(session),
    }))
}

/// The user being signed in, as stored now (attributes may have changed between rounds);
/// `None` for a name that designates nobody.
async fn current_user(s: &SignIn<'_>, state: &CustomState) -> Result<Option<User>, Error> {
    let Some(sub) = &state.sub else {
        return Ok(None);
    };
    match s.cx.store.get_user_by_sub(&s.pool.id, sub).await? {
        Some(user) => Ok(Some(user)),
        // Deleted since the last round.
        None if prevents_existence_errors(s.client) => Err(incorrect_credentials()),
        None => Err(Error::user_not_found()),
    }
}

/// Whether the USERNAME of an answer designates the user of the sign-in.
async fn names(
    s: &SignIn<'_>,
    user: Option<&User>,
    state: &CustomState,
    name: &str,
) -> Result<bool, Error> {
    match user {
        Some(user) => same_user(s, user, name).await,
        None => {
            let rules = NameRules::of(s.pool);
            Ok(normalise(&rules, KeyKind::Username, name)
                == normalise(&rules, KeyKind::Username, &state.username))
        }
    }
}
