//! The triggers around a code message: CustomMessage (the function rewrites the text; the
//! code is still sent by monban) and CustomEmailSender / CustomSMSSender (the function
//! delivers the message itself and receives the code).
//!
//! Order, as in Cognito: a custom sender for the channel replaces delivery (and then no
//! CustomMessage runs for it); otherwise CustomMessage, if configured, supplies the text.
//!
//! The code in a sender event: Cognito encrypts it with the pool's KMS key
//! (`LambdaConfig.KMSKeyID`). monban has no KMS: `request.code` is the plaintext code.
//! It is protected in transit by the webhook's transport (use an `https://` URL or a
//! loopback address) and the event is signed (see [`super::signing`]), so a receiver can
//! refuse events that do not come from monban. A `KMSKeyID` in the pool is kept and
//! ignored.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{fire, fire_at, invalid_response, response, CallContext, Trigger, TriggerEvent};
use crate::entities::{User, UserPool};
use crate::error::Error;
use crate::Cx;

/// The placeholder the function must keep where the code goes.
pub const CODE_PARAMETER: &str = "{####}";
/// The placeholder of the user name in AdminCreateUser invitations.
pub const USERNAME_PARAMETER: &str = "{username}";
/// The placeholder of a confirmation link (monban sends codes, not links).
const LINK_PARAMETER: &str = "{##Click Here##}";
/// Cognito's limit on a custom email message.
const MAX_EMAIL_MESSAGE: usize = 20_000;

/// The operation that sends a message: the suffix of `CustomMessage_*`,
/// `CustomEmailSender_*` and `CustomSMSSender_*`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageSource {
    SignUp,
    AdminCreateUser,
    ResendCode,
    ForgotPassword,
    UpdateUserAttribute,
    VerifyUserAttribute,
    Authentication,
}

impl MessageSource {
    pub fn suffix(self) -> &'static str {
        match self {
            Self::SignUp => "SignUp",
            Self::AdminCreateUser => "AdminCreateUser",
            Self::ResendCode => "ResendCode",
            Self::ForgotPassword => "ForgotPassword",
            Self::UpdateUserAttribute => "UpdateUserAttribute",
            Self::VerifyUserAttribute => "VerifyUserAttribute",
            Self::Authentication => "Authentication",
        }
    }
}

/// Why a message is sent and for which call: what its triggers are told.
#[derive(Debug, Clone, Copy)]
pub struct MessageTrigger<'a> {
    pub source: MessageSource,
    pub call: CallContext<'a>,
}

impl<'a> MessageTrigger<'a> {
    pub fn new(
        source: MessageSource,
        client_id: Option<&'a str>,
        client_metadata: Option<&'a BTreeMap<String, String>>,
    ) -> Self {
        Self {
            source,
            call: CallContext::new(client_id, client_metadata),
        }
    }
}

/// The texts a CustomMessage function returned, placeholders still in. `None` members
/// keep the pool's own text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomTexts {
    pub email_subject: Option<String>,
    pub email_message: Option<String>,
    pub sms_message: Option<String>,
    /// Whether `{username}` is filled in (AdminCreateUser invitations only).
    pub username_parameter: bool,
}

impl CustomTexts {
    /// Replaces `subject` / `body` (already rendered from the pool's templates) with the
    /// function's texts where it gave them, filled in with `code` and `username`.
    pub fn apply_email(&self, subject: &mut String, body: &mut String, code: &str, username: &str) {
        if let Some(s) = &self.email_subject {
            *subject = self.render(s, code, username);
        }
        if let Some(m) = &self.email_message {
            *body = self.render(m, code, username);
        }
    }

    /// The SMS text, if the function gave one, filled in.
    pub fn sms(&self, code: &str, username: &str) -> Option<String> {
        self.sms_message
            .as_ref()
            .map(|m| self.render(m, code, username))
    }

    fn render(&self, text: &str, code: &str, username: &str) -> String {
        let text = text.replace(CODE_PARAMETER, code);
        if self.username_parameter {
            text.replace(USERNAME_PARAMETER, username)
        } else {
            text
        }
    }
}

/// Runs CustomMessage for a message to `user`; `None` when the pool has none. A text
/// without the code placeholder, or an email over 20,000 characters, is
/// `InvalidLambdaResponseException`: it could not carry the code.
pub async fn custom_message(
    cx: &Cx,
    pool: &UserPool,
    user: &User,
    trigger: MessageTrigger<'_>,
) -> Result<Option<CustomTexts>, Error> {
    let MessageTrigger { source, call } = trigger;
    let username_parameter = source == MessageSource::AdminCreateUser;
    let event = TriggerEvent::new(pool, format!("CustomMessage_{}", source.suffix()))
        .user_name(&user.username)
        .user_attributes(user)
        .request("codeParameter", Value::from(CODE_PARAMETER))
        .request("linkParameter", Value::from(LINK_PARAMETER))
        .request(
            "usernameParameter",
            if username_parameter {
                Value::from(USERNAME_PARAMETER)
            } else {
                Value::Null
            },
        )
        .initial_response("smsMessage", Value::Null)
        .initial_response("emailMessage", Value::Null)
        .initial_response("emailSubject", Value::Null);
    let Some(answer) = fire(cx, pool, Trigger::CustomMessage, call.apply(event)).await? else {
        return Ok(None);
    };
    let texts = CustomTexts {
        email_subject: response::string(&answer, "emailSubject")?,
        email_message: response::string(&answer, "emailMessage")?,
        sms_message: response::string(&answer, "smsMessage")?,
        username_parameter,
    };
    for message in [&texts.email_message, &texts.sms_message]
        .into_iter()
        .flatten()
    {
        if !message.contains(CODE_PARAMETER) {
            return Err(invalid_response());
        }
    }
    if texts
        .email_message
        .as_ref()
        .is_some_and(|m| m.chars().count() > MAX_EMAIL_MESSAGE)
    {
        return Err(invalid_response());
    }
    Ok(Some(texts))
}

/// The channel of a custom sender.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SenderChannel {
    Email,
    Sms,
}

/// If the pool has a custom sender for `channel`, hands it `code` for `user` and returns
/// true: the caller then sends nothing itself. As in Cognito the sender runs
/// asynchronously: the operation does not wait for it, and its failures are only logged.
pub fn custom_sender(
    cx: &Cx,
    pool: &UserPool,
    channel: SenderChannel,
    user: &User,
    message: MessageTrigger<'_>,
    code: &str,
) -> bool {
    let MessageTrigger { source, call } = message;
    let (trigger, request_type) = match channel {
        SenderChannel::Email => (Trigger::CustomEmailSender, "customEmailSenderRequestV1"),
        SenderChannel::Sms => (Trigger::CustomSmsSender, "customSMSSenderRequestV1"),
    };
    let Some(target) = trigger.target(pool) else {
        return false;
    };
    let event = TriggerEvent::new(pool, format!("{}_{}", trigger.name(), source.suffix()))
        .user_name(&user.username)
        .user_attributes(user)
        .request("type", Value::from(request_type))
        .request("code", Value::from(code));
    let event = call.apply(event);
    let (cx, target) = (cx.clone(), target.to_owned());
    tokio::spawn(async move {
        if let Err(e) = fire_at(&cx, &target, trigger, event).await {
            tracing::warn!(trigger = trigger.name(), error = ?e, "custom sender failed");
        }
    });
    true
}
