//! What a custom sign-in (CUSTOM_AUTH) carries from one round to the next, in its
//! AuthSession row: the `session` history the challenge triggers receive, and what the
//! pending challenge needs when its answer comes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::entities::User;

/// One entry of the `session` array of DefineAuthChallenge / CreateAuthChallenge, in
/// Cognito's shape: `challengeMetadata` is `null` when the round had none (observed in
/// Cognito's events).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChallengeResult {
    #[serde(rename = "challengeName")]
    pub challenge_name: String,
    #[serde(rename = "challengeResult")]
    pub challenge_result: bool,
    #[serde(rename = "challengeMetadata")]
    pub challenge_metadata: Option<String>,
}

impl ChallengeResult {
    pub fn new(name: &str, result: bool, metadata: Option<String>) -> Self {
        Self {
            challenge_name: name.to_owned(),
            challenge_result: result,
            challenge_metadata: metadata,
        }
    }
}

/// The state of a custom sign-in between two calls. Its `Debug` hides the private challenge
/// parameters (they usually hold the expected answer).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomState {
    /// The user's `sub`; `None` for a name that designates nobody (the triggers then run
    /// with `userNotFound`, and the sign-in can only fail).
    pub sub: Option<String>,
    /// The internal username, or the name typed for a user that does not exist.
    pub username: String,
    /// The rounds so far, oldest first.
    pub history: Vec<ChallengeResult>,
    /// `privateChallengeParameters` of the CUSTOM_CHALLENGE waiting for its answer.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub private_parameters: BTreeMap<String, String>,
    /// `challengeMetadata` of that challenge, recorded in its history entry once answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub challenge_metadata: Option<String>,
    /// For a PASSWORD_VERIFIER round: SHA-256 (hex) of the SECRET_BLOCK it was issued with,
    /// so that its answer cannot bring another exchange's block.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_block_sha256: Option<String>,
    /// `DEVICE_KEY` sent with InitiateAuth, passed on to the tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_key: Option<String>,
}

impl std::fmt::Debug for CustomState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CustomState")
            .field("sub", &self.sub)
            .field("username", &self.username)
            .field("history", &self.history)
            .field(
                "private_parameter_names",
                &self.private_parameters.keys().collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

impl CustomState {
    /// A sign-in of `user` (or of the name `typed`, designating nobody).
    pub fn new(user: Option<&User>, typed: &str, device_key: Option<String>) -> Self {
        Self {
            sub: user.map(|u| u.sub.clone()),
            username: user.map_or_else(|| typed.to_owned(), |u| u.username.clone()),
            history: Vec::new(),
            private_parameters: BTreeMap::new(),
            challenge_metadata: None,
            secret_block_sha256: None,
            device_key,
        }
    }

    /// Records the answer to the pending challenge `name` and forgets what it needed.
    pub fn record(&mut self, name: &str, result: bool) {
        let metadata = self.challenge_metadata.take();
        self.history
            .push(ChallengeResult::new(name, result, metadata));
        self.private_parameters.clear();
        self.secret_block_sha256 = None;
    }

    /// How many challenges were answered (SRP_A, which the client sends with InitiateAuth,
    /// is not one).
    pub fn rounds(&self) -> usize {
        self.history
            .iter()
            .filter(|entry| entry.challenge_name != "SRP_A")
            .count()
    }
}

/// Binds a PASSWORD_VERIFIER round to its SECRET_BLOCK.
pub fn secret_block_sha256(secret_block: &str) -> String {
    hex::encode(Sha256::digest(secret_block.as_bytes()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use serde_json::json;

    use super::*;

    #[test]
    fn history_entries_are_cognito_shaped() {
        let entries = vec![
            ChallengeResult::new("SRP_A", true, None),
            ChallengeResult::new("CUSTOM_CHALLENGE", false, Some("QUESTION".to_owned())),
        ];
        assert_eq!(
            serde_json::to_value(&entries).unwrap(),
            json!([
                {"challengeName": "SRP_A", "challengeResult": true, "challengeMetadata": null},
                {"challengeName": "CUSTOM_CHALLENGE", "challengeResult": false,
                 "challengeMetadata": "QUESTION"},
            ])
        );
    }

    #[test]
    fn an_answer_moves_the_pending_challenge_into_the_history() {
        let mut state = CustomState::new(None, "nobody", None);
        assert_eq!(state.username, "nobody");
        state
            .history
            .push(ChallengeResult::new("SRP_A", true, None));
        state
            .private_parameters
            .insert("answer".into(), "42".into());
        state.challenge_metadata = Some("Q1".into());
        state.record("CUSTOM_CHALLENGE", false);
        assert_eq!(
            state.history.last().unwrap(),
            &ChallengeResult::new("CUSTOM_CHALLENGE", false, Some("Q1".into()))
        );
        assert!(state.private_parameters.is_empty());
        assert_eq!(state.challenge_metadata, None);
        assert_eq!(state.rounds(), 1);
        let json = serde_json::to_string(&state).unwrap();
        assert_eq!(serde_json::from_str::<CustomState>(&json).unwrap(), state);
    }

    #[test]
    fn debug_hides_private_parameters() {
        let mut state = CustomState::new(None, "nobody", None);
        state
            .private_parameters
            .insert("answer".into(), "secret-value".into());
        let shown = format!("{state:?}");
        assert!(
            shown.contains("answer") && !shown.contains("secret-value"),
            "{shown}"
        );
    }
}
