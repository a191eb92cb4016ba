//! What a sign-in step answers: tokens, or the next challenge with its parameters and the
//! Session that continues it. The four operations copy it into their response shapes.

use std::collections::BTreeMap;

use monban_wire::idp::{AuthenticationResultType, ChallengeNameType};

use crate::entities::User;

#[derive(Debug)]
pub enum Outcome {
    Authenticated(AuthenticationResultType),
    Challenge(Challenge),
    /// A hosted-UI sign-in (`Api::HostedUi`) that passed every challenge: no tokens yet,
    /// the page mints an authorization code for this user.
    SignedIn {
        user: Box<User>,
        auth_time_ms: i64,
    },
}

#[derive(Debug)]
pub struct Challenge {
    pub name: ChallengeNameType,
    /// All strings (JSON-in-string where structured), as Cognito sends them.
    pub parameters: BTreeMap<String, String>,
    pub session: Option<String>,
}

/// The members every sign-in response shape has.
#[derive(Debug, Default)]
pub struct ResponseParts {
    pub authentication_result: Option<AuthenticationResultType>,
    pub challenge_name: Option<ChallengeNameType>,
    /// Present (empty) with tokens too, as Cognito returns it.
    pub challenge_parameters: Option<BTreeMap<String, String>>,
    pub session: Option<String>,
}

impl Outcome {
    pub fn into_parts(self) -> ResponseParts {
        match self {
            Outcome::Authenticated(result) => ResponseParts {
                authentication_result: Some(result),
                challenge_parameters: Some(BTreeMap::new()),
                ..ResponseParts::default()
            },
            Outcome::Challenge(challenge) => ResponseParts {
                authentication_result: None,
                challenge_name: Some(challenge.name),
                challenge_parameters: Some(challenge.parameters),
                session: challenge.session,
            },
            // Only the hosted UI gets this outcome, and it never answers with API shapes.
            Outcome::SignedIn { .. } => ResponseParts::default(),
        }
    }
}
