//! The invitation AdminCreateUser sends: the pool's `InviteMessageTemplate` with the user's
//! sign-in name and temporary password, by email. monban sends no SMS yet: an invitation
//! meant for SMS is logged as not delivered.

use std::collections::BTreeMap;

use monban_wire::idp::{DeliveryMediumType, EmailSendingAccountType};

use crate::entities::{User, UserPool};
use crate::error::Error;
use crate::mail::{render_template, Email};
use crate::triggers::{custom_message, custom_sender, MessageTrigger, SenderChannel};
use crate::Cx;

pub const DEFAULT_INVITE_SUBJECT: &str = "Your temporary password";
pub const DEFAULT_INVITE_MESSAGE: &str =
    "Your username is {username} and temporary password is {####}. ";

/// Where an invitation goes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Delivery {
    /// The address to email.
    pub email: Option<String>,
    /// Cognito would text the user: monban cannot.
    pub sms: bool,
}

/// Where the invitation goes for `DesiredDeliveryMediums`. Without them, Cognito's
/// default is SMS, and email for a user with no phone number. A medium asked for
/// explicitly needs its attribute.
pub fn plan_delivery(
    attributes: &BTreeMap<String, String>,
    requested: Option<&[DeliveryMediumType]>,
) -> Result<Delivery, Error> {
    let value = |name: &str| attributes.get(name).filter(|v| !v.is_empty()).cloned();
    let email = value("email");
    let phone = value("phone_number");
    match requested.filter(|r| !r.is_empty()) {
        None => Ok(match (phone, email) {
            (Some(_), _) => Delivery {
                email: None,
                sms: true,
            },
            (None, email) => Delivery { email, sms: false },
        }),
        Some(requested) => {
            let mut delivery = Delivery::default();
            if requested.contains(&DeliveryMediumType::Email) {
                delivery.email = Some(email.ok_or_else(|| {
                    Error::invalid_parameter(
                        "The user has no email attribute: an invitation by EMAIL needs one.",
                    )
                })?);
            }
            if requested.contains(&DeliveryMediumType::Sms) {
                if phone.is_none() {
                    return Err(Error::invalid_parameter(
                        "The user has no phone_number attribute: an invitation by SMS needs one.",
                    ));
                }
                delivery.sms = true;
            }
            Ok(delivery)
        }
    }
}

/// The sender of the pool's mail: Cognito's default address, or the pool's own `From`
/// with `EmailSendingAccount` DEVELOPER; and the pool's reply-to address if it has one.
pub fn email_sender(cx: &Cx, pool: &UserPool) -> (String, Option<String>) {
    let config = pool.config.email_configuration.as_ref();
    let developer =
        config.and_then(|c| c.email_sending_account) == Some(EmailSendingAccountType::Developer);
    let from = config
        .and_then(|c| c.from.clone())
        .filter(|_| developer)
        .unwrap_or_else(|| cx.settings.default_from.clone());
    let reply_to = config.and_then(|c| c.reply_to_email_address.clone());
    (from, reply_to)
}

/// Sends the invitation. `sign_in_name` fills `{username}`: the name the user signs in
/// with (the email or phone number in pools that use them as username). A
/// CustomEmailSender gets the temporary password instead of the email being sent;
/// otherwise CustomMessage_AdminCreateUser may supply the subject and text.
pub async fn send_invitation(
    cx: &Cx,
    pool: &UserPool,
    user: &User,
    sign_in_name: &str,
    temporary_password: &str,
    delivery: &Delivery,
    trigger: MessageTrigger<'_>,
) -> Result<(), Error> {
    if delivery.sms {
        tracing::warn!(
            pool_id = %pool.id,
            sub = %user.sub,
            "invitation by SMS not delivered: monban does not send SMS"
        );
    }
    let Some(to) = &delivery.email else {
        return Ok(());
    };
    if custom_sender(
        cx,
        pool,
        SenderChannel::Email,
        user,
        trigger,
        temporary_password,
    ) {
        return Ok(());
    }
    let custom = custom_message(cx, pool, user, trigger).await?;
    let custom = custom.as_ref();
    let template = pool
        .config
        .admin_create_user_config
        .as_ref()
        .and_then(|c| c.invite_message_template.as_ref());
    let subject = custom
        .and_then(|c| c.email_subject.as_deref())
        .or_else(|| template.and_then(|t| t.email_subject.as_deref()))
        .unwrap_or(DEFAULT_INVITE_SUBJECT);
    let message = custom
        .and_then(|c| c.email_message.as_deref())
        .or_else(|| template.and_then(|t| t.email_message.as_deref()))
        .unwrap_or(DEFAULT_INVITE_MESSAGE);
    // As in Cognito: without the password placeholder the invitation is not delivered.
    if !message.contains("{####}") {
        tracing::warn!(
            pool_id = %pool.id,
            sub = %user.sub,
            "invitation not delivered: the pool's InviteMessageTemplate has no {{####}}"
        );
        return Ok(());
    }
    let (from, reply_to) = email_sender(cx, pool);
    let meta = crate::mail::MailMeta {
        purpose: crate::mail::MailPurpose::Invitation,
        user_sub: Some(user.sub.clone()),
    };
    cx.mailer
        .send_traced(
            Email {
                pool_id: Some(pool.id.clone()),
                to: to.clone(),
                from,
                reply_to,
                subject: render_template(subject, temporary_password, sign_in_name),
                body: render_template(message, temporary_password, sign_in_name),
            },
            meta,
        )
        .await
        .map(|_| ())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn attrs(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn default_medium_is_sms_then_email() {
        let both = attrs(&[("email", "a@example.com"), ("phone_number", "+15555550100")]);
        assert_eq!(
            plan_delivery(&both, None).unwrap(),
            Delivery {
                email: None,
                sms: true
            }
        );
        let email_only = attrs(&[("email", "a@example.com")]);
        assert_eq!(
            plan_delivery(&email_only, Some(&[]))
                .unwrap()
                .email
                .as_deref(),
            Some("a@example.com")
        );
        assert_eq!(
            plan_delivery(&attrs(&[]), None).unwrap(),
            Delivery::default()
        );
    }

    #[test]
    fn explicit_mediums_need_their_attribute() {
        let email_only = attrs(&[("email", "a@example.com")]);
        let d = plan_delivery(&email_only, Some(&[DeliveryMediumType::Email])).unwrap();
        assert_eq!(d.email.as_deref(), Some("a@example.com"));
        assert!(!d.sms);
        assert!(plan_delivery(&email_only, Some(&[DeliveryMediumType::Sms])).is_err());
        assert!(plan_delivery(&attrs(&[]), Some(&[DeliveryMediumType::Email])).is_err());
        let both = attrs(&[("email", "a@example.com"), ("phone_number", "+15555550100")]);
        let d = plan_delivery(
            &both,
            Some(&[DeliveryMediumType::Email, DeliveryMediumType::Sms]),
        )
        .unwrap();
        assert!(d.sms && d.email.is_some());
    }
}
