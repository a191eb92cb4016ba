//! Cognito's Lambda triggers, run as webhooks (DESIGN.md "Lambda triggers are webhooks",
//! reference/triggers.md).
//!
//! How to fire a trigger from an operation (the one way to do it):
//!
//! ```ignore
//! use crate::triggers::{self, Trigger, TriggerEvent};
//! let event = TriggerEvent::new(&pool, "PreSignUp_SignUp")
//!     .user_name(&user.username)
//!     .client_id(&client.client_id)          // absent: "CLIENT_ID_NOT_APPLICABLE"
//!     .user_attributes(&user)                // or .attributes_map(map)
//!     .request("validationData", json)       // any other request member
//!     .client_metadata(req.client_metadata.as_ref());
//! // Ok(None): the pool has no such trigger. Ok(Some(response)): the `response` object the
//! // function filled in. Err: Cognito's error (UserLambdaValidationException
//! // "PreSignUp failed with error <errorMessage>.", UnexpectedLambdaException,
//! // InvalidLambdaResponseException), ready to return to the caller.
//! let response: Option<serde_json::Map<_, _>> = triggers::fire(cx, &pool, Trigger::PreSignUp, event).await?;
//! ```
//!
//! [`fire`] looks the target up in the pool's `LambdaConfig` ([`Trigger::target`]), builds
//! the envelope (version, region, userPoolId, userName, callerContext, triggerSource,
//! request, response: `{}`), calls the port, and checks that the answer is an object whose
//! `response` is an object or null. Field helpers for responses are in [`response`].
//!
//! The triggers outside sign-in have one helper each, called where Cognito fires them:
//! [`pre_sign_up`] (SignUp, AdminCreateUser) → [`PreSignUpOutcome`];
//! [`post_confirmation`] (ConfirmSignUp, AdminConfirmSignUp, auto-confirmed SignUp,
//! ConfirmForgotPassword); [`custom_message`] and [`custom_sender`] (every code and
//! invitation message, through `codes::send_code` and `users::send_invitation`, with a
//! [`MessageTrigger`] naming the source); [`pre_token_generation`] (in `tokens::issue_for`
//! and `tokens::refresh_with_metadata`, with a [`TokenTrigger`]). [`CallContext`] carries
//! the app client and `ClientMetadata` of the call. How receivers verify the calls:
//! [`signing`].
//!
//! The port, [`Triggers`] (`cx.triggers`), only delivers an event to a target and returns
//! what came back: the webhook adapter lives in monban-server (`webhook.rs`); [`NoTriggers`]
//! is for a `Cx` that has no trigger transport (every configured trigger then fails with
//! `UnexpectedLambdaException`).

mod call;
mod config;
mod event;
mod fire;
mod messages;
mod post_confirmation;
mod pre_sign_up;
mod pre_token;
pub mod response;
pub mod signing;
#[cfg(test)]
mod tests;

use async_trait::async_trait;

pub use call::CallContext;
pub use config::{PreTokenVersion, Trigger};
pub use event::{string_map, TriggerEvent, CLIENT_ID_NOT_APPLICABLE};
pub use fire::{fire, fire_at, invalid_response, map_error};
pub use messages::{
    custom_message, custom_sender, CustomTexts, MessageSource, MessageTrigger, SenderChannel,
    CODE_PARAMETER, USERNAME_PARAMETER,
};
pub use post_confirmation::{post_confirmation, ConfirmationSource};
pub use pre_sign_up::{pre_sign_up, PreSignUpOutcome, SignUpSource};
pub use pre_token::{pre_token_generation, pre_token_generation_m2m, TokenSource, TokenTrigger};

/// Delivers one trigger event. Implementations: the webhook adapter (monban-server) and
/// [`NoTriggers`].
#[async_trait]
pub trait Triggers: Send + Sync {
    /// Sends `event` to `target` (the `LambdaConfig` value: an `http(s)://` URL, or an ARN
    /// the adapter maps to one) on behalf of pool `pool_id`, and returns the JSON the
    /// function answered: the whole event with `response` filled in.
    async fn invoke(
        &self,
        target: &str,
        pool_id: &str,
        event: serde_json::Value,
    ) -> Result<serde_json::Value, TriggerError>;
}

/// Why an invocation produced no usable answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TriggerError {
    /// The function ran and threw: the Lambda Invoke API's `{"errorType", "errorMessage"}`.
    Function {
        error_type: String,
        error_message: String,
    },
    /// It could not be reached, did not answer in time, or the target maps to no URL.
    Unreachable(String),
    /// It answered 2xx with something that is not a trigger response.
    InvalidResponse(String),
}

impl std::fmt::Display for TriggerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Function {
                error_type,
                error_message,
            } => write!(f, "function error {error_type}: {error_message}"),
            Self::Unreachable(why) => write!(f, "trigger unreachable: {why}"),
            Self::InvalidResponse(why) => write!(f, "invalid trigger response: {why}"),
        }
    }
}

impl std::error::Error for TriggerError {}

/// A `Cx` without a trigger transport (tools, unit tests): every call fails as unreachable.
pub struct NoTriggers;

#[async_trait]
impl Triggers for NoTriggers {
    async fn invoke(
        &self,
        target: &str,
        _pool_id: &str,
        _event: serde_json::Value,
    ) -> Result<serde_json::Value, TriggerError> {
        Err(TriggerError::Unreachable(format!(
            "no trigger transport is configured to call {target}"
        )))
    }
}
