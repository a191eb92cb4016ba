//! SMS_MFA and EMAIL_OTP codes: six random digits, sent by SMS (the pool's
//! `SmsAuthenticationMessage`) or email (`EmailMfaConfiguration`'s message and subject),
//! and kept only as a keyed hash in the sign-in session they belong to, so that a code is
//! valid for that session alone and for as long as it lives.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use subtle::ConstantTimeEq;

use super::factors::MfaFactor;
use crate::auth::hmac_sha256;
use crate::codes::{mask_destination, message_texts, MessageTexts};
use crate::entities::{User, UserPool};
use crate::error::{Error, ErrorKind};
use crate::ids::random_from;
use crate::mail::{render_template, Email};
use crate::sms::Sms;
use crate::triggers::{MessageSource, MessageTrigger, SenderChannel};
use crate::users::{email_sender, sign_in_name, NameRules};
use crate::Cx;

pub const DEFAULT_SMS_MESSAGE: &str = "Your authentication code is {####}. ";
pub const DEFAULT_EMAIL_MESSAGE: &str = "Your authentication code is {####}. ";
pub const DEFAULT_EMAIL_SUBJECT: &str = "Your authentication code";

/// Name of the server secret keying the code hashes.
const KEY_NAME: &str = "mfa-code";
const KEY_LEN: usize = 32;
const DIGITS: &[u8] = b"0123456789";
const CODE_LENGTH: usize = 6;

/// A code on its way to the user and the hash its session keeps. `Debug` shows no digits.
pub struct SentCode {
    /// Keyed hash of the code, salted per session.
    pub hash: String,
    pub salt: String,
    /// Masked, as `CODE_DELIVERY_DESTINATION` shows it.
    pub destination: String,
}

impl std::fmt::Debug for SentCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SentCode")
            .field("destination", &self.destination)
            .finish_non_exhaustive()
    }
}

async fn code_hash(
    cx: &Cx,
    pool_id: &str,
    sub: &str,
    salt: &str,
    code: &str,
) -> Result<String, Error> {
    let key = cx.secrets.get(cx, KEY_NAME, KEY_LEN).await?;
    Ok(URL_SAFE_NO_PAD.encode(hmac_sha256(
        &key,
        &[
            b"mfa\0",
            pool_id.as_bytes(),
            b"\0",
            sub.as_bytes(),
            b"\0",
            salt.as_bytes(),
            b"\0",
            code.as_bytes(),
        ],
    )))
}

/// Whether `presented` is the code whose hash is `hash`.
pub async fn code_matches(
    cx: &Cx,
    pool_id: &str,
    sub: &str,
    salt: &str,
    hash: &str,
    presented: &str,
) -> Result<bool, Error> {
    let presented = code_hash(cx, pool_id, sub, salt, presented.trim()).await?;
    Ok(presented.as_bytes().ct_eq(hash.as_bytes()).into())
}

fn delivery_failed(medium: &str, e: Error) -> Error {
    // A sending limit is the caller's to see, as Cognito's own throttling is.
    if e.kind == ErrorKind::LimitExceededException {
        return e;
    }
    Error::new(
        ErrorKind::CodeDeliveryFailureException,
        format!("Unable to deliver the authentication code by {medium}."),
    )
    .with_source(e)
}

/// Sends a new code for `factor` (SMS or email) to `user`, signing in through the app
/// client `client_id`. The message triggers take part as for other codes: the pool's
/// custom sender for the channel gets the code instead, else CustomMessage
/// (`CustomMessage_Authentication`) may rewrite the text.
pub async fn send_mfa_code(
    cx: &Cx,
    pool: &UserPool,
    user: &User,
    factor: MfaFactor,
    client_id: &str,
) -> Result<SentCode, Error> {
    let attribute = factor
        .attribute()
        .ok_or_else(|| Error::internal("TOTP codes are not sent"))?;
    let to = user
        .attributes
        .get(attribute)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| {
            Error::new(
                ErrorKind::CodeDeliveryFailureException,
                format!("The user has no {attribute} to send the code to."),
            )
        })?;
    let code = random_from(cx.rng.as_ref(), DIGITS, CODE_LENGTH);
    let mut salt = [0u8; 16];
    cx.rng.fill(&mut salt);
    let salt = URL_SAFE_NO_PAD.encode(salt);
    let hash = code_hash(cx, &pool.id, &user.sub, &salt, &code).await?;
    let sent = SentCode {
        hash,
        salt,
        destination: mask_destination(attribute, to),
    };
    let channel = match factor {
        MfaFactor::Sms => SenderChannel::Sms,
        _ => SenderChannel::Email,
    };
    let trigger = MessageTrigger::new(MessageSource::Authentication, Some(client_id), None);
    let MessageTexts::Send(texts) = message_texts(cx, pool, user, channel, trigger, &code).await?
    else {
        return Ok(sent);
    };
    let name = sign_in_name(&NameRules::of(pool), &user.username, &user.attributes);
    let with_code = |t: &str| render_template(t, &code, &name);
    let template = |t: Option<&String>, default: &str| {
        t.filter(|t| t.contains("{####}"))
            .cloned()
            .unwrap_or_else(|| default.to_owned())
    };
    match factor {
        MfaFactor::Sms => {
            let message = template(
                pool.config.sms_authentication_message.as_ref(),
                DEFAULT_SMS_MESSAGE,
            );
            let body = texts
                .and_then(|t| t.sms(&code, &name))
                .unwrap_or_else(|| with_code(&message));
            cx.sms
                .send(Sms {
                    pool_id: Some(pool.id.clone()),
                    to: to.clone(),
                    body,
                })
                .await
                .map_err(|e| delivery_failed("SMS", e))?;
        }
        _ => {
            let config = pool.data.email_mfa.as_ref();
            let message = template(
                config.and_then(|c| c.message.as_ref()),
                DEFAULT_EMAIL_MESSAGE,
            );
            let subject = config
                .and_then(|c| c.subject.clone())
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| DEFAULT_EMAIL_SUBJECT.to_owned());
            let (mut subject, mut body) = (with_code(&subject), with_code(&message));
            if let Some(texts) = texts {
                texts.apply_email(&mut subject, &mut body, &code, &name);
            }
            let (from, reply_to) = email_sender(cx, pool);
            let meta = crate::mail::MailMeta {
                purpose: crate::mail::MailPurpose::MfaCode,
                user_sub: Some(user.sub.clone()),
            };
            cx.mailer
                .send_traced(
                    Email {
                        pool_id: Some(pool.id.clone()),
                        to: to.clone(),
                        from,
                        reply_to,
                        subject,
                        body,
                    },
                    meta,
                )
                .await
                .map_err(|e| delivery_failed("email", e))?;
        }
    }
    Ok(sent)
}
