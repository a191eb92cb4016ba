//! Verifying an email by code. A code is issued for one value and carries it: the current
//! value, or a pending new one when the pool keeps the original value until the new one is
//! verified (`UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate`). So
//! a code only ever verifies the address it was sent to, and a pending value lives exactly
//! as long as its code: until then the original value is the one sign-in, password reset
//! and messages use.

use monban_wire::idp::{CodeDeliveryDetailsType, VerifiedAttributeType};
use serde::{Deserialize, Serialize};

use crate::codes::{code_data, send_code, Destination, Purpose};
use crate::entities::{ConfirmationCode, User, UserPool};
use crate::error::{Error, ErrorKind};
use crate::pool_config::auto_verified_attributes;
use crate::triggers::MessageTrigger;
use crate::Cx;

/// The attributes that can be verified, with their flag and their setting name.
pub(super) const VERIFIABLE: [(&str, &str, VerifiedAttributeType); 2] = [
    ("email", "email_verified", VerifiedAttributeType::Email),
    (
        "phone_number",
        "phone_number_verified",
        VerifiedAttributeType::PhoneNumber,
    ),
];

/// The value a code verifies, kept with the code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Target {
    pub value: String,
    /// Not yet the attribute's value: it becomes it once verified.
    #[serde(default)]
    pub pending: bool,
}

impl Target {
    /// What `code` was issued for; `None` for a code issued without a value (it verifies
    /// the current one).
    pub fn of(code: &ConfirmationCode) -> Option<Self> {
        code_data(code).and_then(|data| serde_json::from_value(data).ok())
    }
}

/// Whether a new value of `attribute` waits for verification before it applies. Only an
/// auto-verified attribute can (its verification message is what confirms it), and only
/// email: monban sends no SMS, so a pending phone number could never be confirmed.
pub(super) fn keeps_original(pool: &UserPool, attribute: &str) -> bool {
    let Some((_, _, kind)) = VERIFIABLE.iter().find(|(name, _, _)| *name == attribute) else {
        return false;
    };
    let required = pool
        .config
        .user_attribute_update_settings
        .as_ref()
        .and_then(|s| s.attributes_require_verification_before_update.as_ref())
        .is_some_and(|kinds| kinds.contains(kind));
    attribute == "email" && required && auto_verified_attributes(pool).contains(kind)
}

/// The pending value of `attribute` waiting for verification, if any.
pub(super) async fn pending_value(
    cx: &Cx,
    user: &User,
    attribute: &str,
) -> Result<Option<String>, Error> {
    let Some(purpose) = Purpose::verify(attribute) else {
        return Ok(None);
    };
    let code = cx
        .store
        .get_code(&user.pool_id, &user.sub, purpose.as_str())
        .await?;
    Ok(code
        .as_ref()
        .and_then(Target::of)
        .filter(|t| t.pending)
        .map(|t| t.value))
}

/// Issues a code for `target` (replacing any earlier code for the attribute, and with it
/// any other pending value) and emails it to the target value; `trigger` names the
/// operation to the message triggers.
pub(crate) async fn send_verification(
    cx: &Cx,
    pool: &UserPool,
    user: &User,
    attribute: &str,
    target: &Target,
    trigger: MessageTrigger<'_>,
) -> Result<CodeDeliveryDetailsType, Error> {
    let purpose = verifiable(attribute)?;
    let data = serde_json::to_value(target).map_err(Error::internal)?;
    send_code(
        cx,
        pool,
        user,
        purpose,
        Destination {
            attribute,
            value: &target.value,
        },
        Some(&data),
        trigger,
    )
    .await
}

/// Forgets any code (and pending value) of `attribute`.
pub(super) async fn drop_verification(cx: &Cx, user: &User, attribute: &str) -> Result<(), Error> {
    if let Some(purpose) = Purpose::verify(attribute) {
        cx.store
            .delete_code(&user.pool_id, &user.sub, purpose.as_str())
            .await?;
    }
    Ok(())
}

/// The code purpose of a verifiable attribute; `InvalidParameterException` for others.
pub(super) fn verifiable(attribute: &str) -> Result<Purpose, Error> {
    Purpose::verify(attribute).ok_or_else(|| {
        Error::invalid_parameter(format!(
            "Attribute {attribute} cannot be verified: only email and phone_number can."
        ))
    })
}

/// The answer for a code that no longer matches anything to verify (as for an expired one).
pub(super) fn stale_code() -> Error {
    Error::new(
        ErrorKind::ExpiredCodeException,
        "Invalid code provided, please request a code again.",
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use monban_wire::idp::UserAttributeUpdateSettingsType;

    use super::*;
    use crate::pool_config::standard_schema;
    use crate::users::test_support::pool_with_schema;

    fn pool(keep: &[VerifiedAttributeType], auto: &[VerifiedAttributeType]) -> UserPool {
        let mut pool = pool_with_schema(standard_schema());
        pool.config.user_attribute_update_settings = Some(UserAttributeUpdateSettingsType {
            attributes_require_verification_before_update: Some(keep.to_vec()),
        });
        pool.config.auto_verified_attributes = Some(auto.to_vec());
        pool
    }

    #[test]
    fn only_an_auto_verified_email_keeps_its_original_value() {
        use VerifiedAttributeType::{Email, PhoneNumber};
        assert!(keeps_original(&pool(&[Email], &[Email]), "email"));
        assert!(!keeps_original(&pool(&[Email], &[]), "email"));
        assert!(!keeps_original(&pool(&[], &[Email]), "email"));
        // No SMS: a pending phone number could never be confirmed.
        assert!(!keeps_original(
            &pool(&[Email, PhoneNumber], &[Email, PhoneNumber]),
            "phone_number"
        ));
        assert!(!keeps_original(&pool(&[Email], &[Email]), "name"));
    }

    #[test]
    fn a_code_carries_the_value_it_verifies() {
        let target = Target {
            value: "new@example.com".to_owned(),
            pending: true,
        };
        let code = ConfirmationCode {
            pool_id: "us-east-1_test".to_owned(),
            sub: "sub".to_owned(),
            purpose: "verify:email".to_owned(),
            code_hash: String::new(),
            created_ms: 0,
            expires_ms: 1,
            failed_attempts: 0,
            data: serde_json::to_string(&target).unwrap(),
        };
        assert_eq!(Target::of(&code), Some(target));
        let bare = ConfirmationCode {
            data: "null".to_owned(),
            ..code
        };
        assert_eq!(Target::of(&bare), None);
    }

    #[test]
    fn only_email_and_phone_number_are_verifiable() {
        assert_eq!(verifiable("email").unwrap(), Purpose::VerifyEmail);
        assert_eq!(
            verifiable("phone_number").unwrap(),
            Purpose::VerifyPhoneNumber
        );
        assert_eq!(
            verifiable("name").unwrap_err().kind,
            ErrorKind::InvalidParameterException
        );
    }
}
