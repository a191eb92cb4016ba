//! The three functions that drive a custom sign-in (triggers.md §3), called with the
//! envelope every sign-in trigger shares (`userAttributes`, `userNotFound` for clients that
//! hide user existence) and the round history:
//! - DefineAuthChallenge (`session`) → fail, issue tokens, or the next challenge's name;
//! - CreateAuthChallenge (`challengeName`, `session`) → `publicChallengeParameters`,
//!   `privateChallengeParameters`, `challengeMetadata`;
//! - VerifyAuthChallengeResponse (`privateChallengeParameters`, `challengeAnswer`) →
//!   `answerCorrect`.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::custom_state::CustomState;
use super::sign_in_triggers::{sign_in_event, with_client_metadata, Subject};
use super::SignIn;
use crate::entities::User;
use crate::error::Error;
use crate::triggers::{self, response, string_map, Trigger, TriggerEvent};

/// What DefineAuthChallenge decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Fail,
    IssueTokens,
    /// Present this challenge (`CUSTOM_CHALLENGE`, `PASSWORD_VERIFIER`, ...).
    Challenge(String),
}

/// What CreateAuthChallenge made.
#[derive(Clone, Default)]
pub struct Created {
    pub public_parameters: BTreeMap<String, String>,
    pub private_parameters: BTreeMap<String, String>,
    pub metadata: Option<String>,
}

/// `InvalidParameterException` for a pool without the functions a custom sign-in needs.
pub fn not_configured() -> Error {
    Error::invalid_parameter("Custom auth lambda trigger is not configured for the user pool.")
}

fn event(
    s: &SignIn<'_>,
    source: &str,
    user: Option<&User>,
    state: &CustomState,
    metadata: Option<&BTreeMap<String, String>>,
) -> TriggerEvent {
    let who = match user {
        Some(user) => Subject::User(user),
        None => Subject::NotFound(&state.username),
    };
    with_client_metadata(sign_in_event(s.pool, s.client, source, who), metadata)
}

fn history(state: &CustomState) -> Result<Value, Error> {
    serde_json::to_value(&state.history).map_err(Error::internal)
}

async fn fire(
    s: &SignIn<'_>,
    trigger: Trigger,
    event: TriggerEvent,
) -> Result<Map<String, Value>, Error> {
    triggers::fire(s.cx, s.pool, trigger, event)
        .await?
        .ok_or_else(not_configured)
}

/// DefineAuthChallenge_Authentication. `failAuthentication` wins over `issueTokens`, which
/// wins over `challengeName`; an answer with none of them is not a decision.
pub async fn define(
    s: &SignIn<'_>,
    user: Option<&User>,
    state: &CustomState,
    metadata: Option<&BTreeMap<String, String>>,
) -> Result<Decision, Error> {
    let event = event(
        s,
        "DefineAuthChallenge_Authentication",
        user,
        state,
        metadata,
    )
    .request("session", history(state)?);
    let r = fire(s, Trigger::DefineAuthChallenge, event).await?;
    decide(&r)
}

fn decide(r: &Map<String, Value>) -> Result<Decision, Error> {
    if response::flag(r, "failAuthentication")? {
        return Ok(Decision::Fail);
    }
    if response::flag(r, "issueTokens")? {
        return Ok(Decision::IssueTokens);
    }
    match response::string(r, "challengeName")? {
        Some(name) if !name.is_empty() => Ok(Decision::Challenge(name)),
        _ => Err(triggers::invalid_response()),
    }
}

/// CreateAuthChallenge_Authentication for the challenge `name`.
pub async fn create(
    s: &SignIn<'_>,
    user: Option<&User>,
    state: &CustomState,
    name: &str,
    metadata: Option<&BTreeMap<String, String>>,
) -> Result<Created, Error> {
    let event = event(
        s,
        "CreateAuthChallenge_Authentication",
        user,
        state,
        metadata,
    )
    .request("challengeName", Value::String(name.to_owned()))
    .request("session", history(state)?);
    let r = fire(s, Trigger::CreateAuthChallenge, event).await?;
    Ok(Created {
        public_parameters: response::string_map(&r, "publicChallengeParameters")?
            .unwrap_or_default(),
        private_parameters: response::string_map(&r, "privateChallengeParameters")?
            .unwrap_or_default(),
        metadata: response::string(&r, "challengeMetadata")?,
    })
}

/// VerifyAuthChallengeResponse_Authentication: whether `answer` is right.
pub async fn verify(
    s: &SignIn<'_>,
    user: Option<&User>,
    state: &CustomState,
    answer: &str,
) -> Result<bool, Error> {
    let event = event(
        s,
        "VerifyAuthChallengeResponse_Authentication",
        user,
        state,
        s.client_metadata,
    )
    .request(
        "privateChallengeParameters",
        string_map(&state.private_parameters),
    )
    .request("challengeAnswer", Value::String(answer.to_owned()));
    let r = fire(s, Trigger::VerifyAuthChallengeResponse, event).await?;
    response::flag(&r, "answerCorrect")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use monban_wire::ErrorKind;
    use serde_json::json;

    use super::*;

    fn decision(v: Value) -> Result<Decision, Error> {
        decide(v.as_object().unwrap())
    }

    #[test]
    fn define_decisions_in_cognito_precedence() {
        assert_eq!(
            decision(
                json!({"challengeName": "CUSTOM_CHALLENGE", "issueTokens": false,
                            "failAuthentication": false})
            )
            .unwrap(),
            Decision::Challenge("CUSTOM_CHALLENGE".into())
        );
        assert_eq!(
            decision(json!({"challengeName": "CUSTOM_CHALLENGE", "issueTokens": true})).unwrap(),
            Decision::IssueTokens
        );
        assert_eq!(
            decision(json!({"issueTokens": true, "failAuthentication": true})).unwrap(),
            Decision::Fail
        );
        for nothing in [
            json!({}),
            json!({"challengeName": ""}),
            json!({"issueTokens": "yes"}),
        ] {
            assert_eq!(
                decision(nothing).unwrap_err().kind,
                ErrorKind::InvalidLambdaResponseException
            );
        }
    }
}
