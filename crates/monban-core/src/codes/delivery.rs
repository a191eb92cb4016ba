//! Sending a code and describing where it went (`CodeDeliveryDetailsType`, destination
//! masked as Cognito masks it: `j***@e***`, `+*******0100`).
//!
//! monban sends these codes by SMS only through the pool's CustomSMSSender. Without one, a
//! code that could only go to a phone number is refused with `CodeDeliveryFailureException`
//! before anything is stored or claimed as sent: no delivery is ever faked.

use monban_wire::idp::{CodeDeliveryDetailsType, DeliveryMediumType, RecoveryOptionNameType};

use crate::decoy_store::{decoy_name, put_attempts, DecoyAttempts};
use crate::entities::{User, UserPool};
use crate::error::{Error, ErrorKind};
use crate::mail::{sending_limit_reached, Email, MailMeta, MailPurpose};
use crate::triggers::{
    custom_message, custom_sender, CustomTexts, MessageTrigger, SenderChannel, Trigger,
};
use crate::users::{
    email_sender, is_email, is_phone_number, recovery_channel, sign_in_name, NameRules,
    RecoveryChannel,
};
use crate::Cx;

use super::book::{issue_code, simulate_issue, Env};
use super::hash::{code_key, simulation_bytes};
use super::message::render_code_message;
use super::Purpose;

/// Where a code goes: the attribute (`email` or `phone_number`) and its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Destination<'a> {
    /// `email` or `phone_number`.
    pub attribute: &'a str,
    pub value: &'a str,
}

/// Where a password-reset code goes: the channel the pool's `AccountRecoverySetting`
/// chooses (`InvalidParameterException` when the user has no verified one). When that is
/// the phone number, the pool's CustomSMSSender gets the code; without one, a verified
/// email the setting also allows is used, since monban cannot text, and a phone number
/// alone is `CodeDeliveryFailureException`.
pub fn recovery_destination<'a>(pool: &UserPool, user: &'a User) -> Result<Destination<'a>, Error> {
    let value = |name: &str| {
        user.attributes
            .get(name)
            .map(String::as_str)
            .unwrap_or_default()
    };
    let email = Destination {
        attribute: "email",
        value: value("email"),
    };
    match recovery_channel(pool, user)? {
        RecoveryChannel::Email => Ok(email),
        // The pool's CustomSMSSender delivers it, as Cognito's SMS would.
        RecoveryChannel::PhoneNumber if Trigger::CustomSmsSender.is_configured(pool) => {
            Ok(Destination {
                attribute: "phone_number",
                value: value("phone_number"),
            })
        }
        RecoveryChannel::PhoneNumber => {
            let email_verified = !email.value.is_empty()
                && user
                    .attributes
                    .get("email_verified")
                    .is_some_and(|v| v.eq_ignore_ascii_case("true"));
            let email_allowed = pool
                .config
                .account_recovery_setting
                .as_ref()
                .and_then(|s| s.recovery_mechanisms.as_ref())
                .filter(|m| !m.is_empty())
                .is_none_or(|m| {
                    m.iter()
                        .any(|o| o.name == RecoveryOptionNameType::VerifiedEmail)
                });
            if email_verified && email_allowed {
                Ok(email)
            } else {
                Err(sms_not_supported())
            }
        }
    }
}

/// The error for a code that only an SMS could carry.
pub fn sms_not_supported() -> Error {
    Error::new(
        ErrorKind::CodeDeliveryFailureException,
        "Unable to deliver the code by SMS: this server does not send SMS messages. Use an \
         email address for verification and recovery.",
    )
}

/// Cognito's masking: the first character of the address and of its domain
/// (`j***@e***`); for a phone number, every digit but the last four (`+*******0100`).
pub fn mask_destination(attribute: &str, value: &str) -> String {
    if attribute == "phone_number" {
        let digits: Vec<char> = value.chars().filter(char::is_ascii_digit).collect();
        let shown = digits.len().saturating_sub(4);
        let mut masked = String::from("+");
        masked.extend(std::iter::repeat_n('*', shown));
        masked.extend(&digits[shown..]);
        return masked;
    }
    let (local, domain) = value.split_once('@').unwrap_or((value, ""));
    let first = |s: &str| s.chars().next().map(String::from).unwrap_or_default();
    format!("{}***@{}***", first(local), first(domain))
}

fn details(attribute: &str, value: &str) -> CodeDeliveryDetailsType {
    CodeDeliveryDetailsType {
        attribute_name: Some(attribute.to_owned()),
        delivery_medium: Some(if attribute == "phone_number" {
            DeliveryMediumType::Sms
        } else {
            DeliveryMediumType::Email
        }),
        destination: Some(mask_destination(attribute, value)),
    }
}

/// Issues a code for `purpose` (replacing the user's earlier one), emails it with the
/// pool's verification template and says where it went. `data` is kept with the code.
/// The pool's triggers take part as `trigger` says: a CustomEmailSender gets the code
/// instead of the mail; otherwise CustomMessage may rewrite the text. A code for a phone
/// number goes to the pool's CustomSMSSender, the only way monban delivers it.
pub async fn send_code(
    cx: &Cx,
    pool: &UserPool,
    user: &User,
    purpose: Purpose,
    to: Destination<'_>,
    data: Option<&serde_json::Value>,
    trigger: MessageTrigger<'_>,
) -> Result<CodeDeliveryDetailsType, Error> {
    let channel = match to.attribute {
        "email" => SenderChannel::Email,
        _ if Trigger::CustomSmsSender.is_configured(pool) => SenderChannel::Sms,
        _ => return Err(sms_not_supported()),
    };
    let code = issue_code(cx, &pool.id, &user.sub, purpose, data).await?;
    let MessageTexts::Send(texts) =
        message_texts(cx, pool, user, channel, trigger, code.as_str()).await?
    else {
        return Ok(details(to.attribute, to.value));
    };
    let name = sign_in_name(&NameRules::of(pool), &user.username, &user.attributes);
    let mut message = render_code_message(pool, code.as_str(), &name);
    if let Some(texts) = texts {
        texts.apply_email(
            &mut message.subject,
            &mut message.body,
            code.as_str(),
            &name,
        );
    }
    let (from, reply_to) = email_sender(cx, pool);
    let meta = MailMeta {
        purpose: MailPurpose::of_code(purpose),
        user_sub: Some(user.sub.clone()),
    };
    let mail_id = cx
        .mailer
        .send_traced(
            Email {
                pool_id: Some(pool.id.clone()),
                to: to.value.to_owned(),
                from,
                reply_to,
                subject: message.subject,
                body: message.body,
            },
            meta,
        )
        .await
        .map_err(|e| match e.kind {
            ErrorKind::InternalErrorException => Error::new(
                ErrorKind::CodeDeliveryFailureException,
                "Unable to deliver the code by email.",
            )
            .with_source(e),
            _ => e,
        })?;
    if let Some(mail_id) = mail_id {
        tracing::debug!(mail_id, pool_id = %pool.id, sub = %user.sub, "code mail queued");
    }
    Ok(details(to.attribute, to.value))
}

/// What the message triggers decided for a code on its way out.
#[derive(Debug)]
pub enum MessageTexts {
    /// The pool's custom sender for the channel took the code: nothing more to send.
    SentByTrigger,
    /// Send it, with CustomMessage's texts when the pool has that trigger.
    Send(Option<CustomTexts>),
}

/// The message triggers for `code` on `channel`, in Cognito's order: the pool's custom
/// sender for the channel, if any, takes the code; otherwise CustomMessage, if
/// configured, supplies the texts.
pub async fn message_texts(
    cx: &Cx,
    pool: &UserPool,
    user: &User,
    channel: SenderChannel,
    trigger: MessageTrigger<'_>,
    code: &str,
) -> Result<MessageTexts, Error> {
    if custom_sender(cx, pool, channel, user, trigger, code) {
        return Ok(MessageTexts::SentByTrigger);
    }
    Ok(MessageTexts::Send(
        custom_message(cx, pool, user, trigger).await?,
    ))
}

/// The purpose under which the messages "sent" to unknown names are counted.
const SIMULATED_MAIL: &str = "mail";

/// What the message carrying a real code costs, for a name the pool does not have: a read
/// and a write of its own (as the mail log's count and insert are), counting the messages
/// "sent" to the name within the mailer's window, and past the mailer's per-recipient
/// limit the refusal a real recipient gets.
/// `name` is normalised ([`decoy_name`]).
async fn simulate_mail(cx: &Cx, pool: &UserPool, name: String) -> Result<(), Error> {
    let now = cx.now_ms();
    let limits = cx.mailer.send_limits();
    let window_ms = limits.unwrap_or_default().window_ms;
    let stored = cx
        .store
        .get_decoy_attempts(&pool.id, &name, SIMULATED_MAIL, now)
        .await?;
    let sent = stored.as_ref().map_or(0, |a| a.failures);
    let refused = limits.is_some_and(|l| l.per_recipient > 0 && sent >= i64::from(l.per_recipient));
    let attempts = DecoyAttempts {
        pool_id: pool.id.clone(),
        name,
        purpose: SIMULATED_MAIL.to_owned(),
        failures: if refused {
            sent
        } else {
            sent.saturating_add(1)
        },
        last_failure_ms: Some(now),
        expires_ms: stored.map_or(now.saturating_add(window_ms), |a| a.expires_ms),
    };
    put_attempts(cx.store.as_ref(), cx.rng.as_ref(), &attempts, now).await?;
    if refused {
        return Err(sending_limit_reached());
    }
    Ok(())
}

/// The `CodeDeliveryDetails` answered for a user that does not exist (or cannot receive a
/// code) when the client hides user existence: the name itself masked when it is an email
/// or phone number, else a made-up address that stays the same for the same name. It
/// costs what [`send_code`] costs in the store (the key read, a write where the code would
/// be kept).
pub async fn simulated_delivery(
    cx: &Cx,
    pool: &UserPool,
    name: &str,
    purpose: Purpose,
) -> Result<CodeDeliveryDetailsType, Error> {
    let env = Env::of(cx);
    let key = code_key(env.store, env.rng).await?;
    // The write a real code costs, which also starts the name's count of wrong codes
    // afresh, as a new code does.
    let decoy = decoy_name(pool, name);
    simulate_issue(&env, &pool.id, &decoy, purpose).await?;
    simulate_mail(cx, pool, decoy).await?;
    if is_email(name) {
        return Ok(details("email", name));
    }
    if is_phone_number(name) {
        return Ok(details("phone_number", name));
    }
    let bytes = simulation_bytes(&key, &pool.id, name);
    let letter = |b: u8| char::from(b'a' + b % 26);
    let made_up = format!("{}@{}", letter(bytes[0]), letter(bytes[1]));
    Ok(details("email", &made_up))
}
