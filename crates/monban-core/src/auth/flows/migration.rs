//! UserMigration (triggers.md §3): a name the pool does not know may belong to the
//! application's old user directory. When a user signs in with USER_PASSWORD_AUTH /
//! ADMIN_USER_PASSWORD_AUTH (`UserMigration_Authentication`, with the password typed) or asks
//! ForgotPassword (`UserMigration_ForgotPassword`), the function is asked; if it answers the
//! user's attributes, monban creates the user and the call goes on with it.
//!
//! The answer: `userAttributes` (required: none means "not migrated"), `finalUserStatus`
//! (`CONFIRMED` or `RESET_REQUIRED`, the default), `messageAction`, `desiredDeliveryMediums`,
//! `forceAliasCreation` (a verified email / phone alias held by another user moves to this
//! one) and `enableSMSMFA`. A CONFIRMED user signing in keeps the password typed, stored
//! without the pool's policy as Cognito does; a RESET_REQUIRED user gets no password and
//! must reset it. SRP sign-in never migrates (the password does not travel), as in Cognito.
//!
//! Outcomes: a function error is a user-not-found error carrying its message
//! (`UserNotFoundException: UserMigration failed with error <message>.`), which clients
//! that hide user existence turn into their usual answer. Deviation: no welcome message is
//! sent (Cognito does not document its content, and the invitation template needs a
//! temporary password that a migrated user does not have); `messageAction` and
//! `desiredDeliveryMediums` are checked, then ignored.

use std::collections::BTreeMap;

use monban_wire::idp::{AttributeType, DeliveryMediumType, MessageActionType, UserStatusType};
use serde_json::{Map, Value};

use super::sign_in_triggers::{with_client_metadata, with_validation_data};
use crate::entities::{AppClient, User, UserPool};
use crate::error::{Error, ErrorKind};
use crate::triggers::{self, invalid_response, response, Trigger, TriggerEvent};
use crate::users::{
    insert_new_user, new_user, set_migrated_password, validate_writes, AttributeWrite, KeyWrite,
    NewUser,
};
use crate::Cx;

/// Why the function is asked.
#[derive(Clone, Copy)]
pub enum MigrationSource<'a> {
    /// UserMigration_Authentication: the password typed, and InitiateAuth's
    /// `ClientMetadata` (sent as `validationData`).
    SignIn {
        password: &'a str,
        validation_data: Option<&'a BTreeMap<String, String>>,
    },
    /// UserMigration_ForgotPassword: ForgotPassword's `ClientMetadata`.
    ForgotPassword {
        client_metadata: Option<&'a BTreeMap<String, String>>,
    },
}

/// What the function answered, checked.
#[derive(Debug, PartialEq, Eq)]
struct Answer {
    attributes: BTreeMap<String, String>,
    status: UserStatusType,
    force_alias: bool,
    sms_mfa: bool,
}

/// Asks the pool's UserMigration function about `typed`, unknown to the pool. `Ok(None)`:
/// no function, or it did not migrate the user; `Ok(Some(user))`: the user now exists.
pub async fn migrate_user(
    cx: &Cx,
    pool: &UserPool,
    client: &AppClient,
    typed: &str,
    source: MigrationSource<'_>,
) -> Result<Option<User>, Error> {
    if !Trigger::UserMigration.is_configured(pool) {
        return Ok(None);
    }
    let (trigger_source, event) = match source {
        MigrationSource::SignIn {
            password,
            validation_data,
        } => (
            "UserMigration_Authentication",
            with_validation_data(
                base_event(pool, client, "UserMigration_Authentication", typed)
                    .request("password", Value::String(password.to_owned())),
                validation_data,
            ),
        ),
        MigrationSource::ForgotPassword { client_metadata } => (
            "UserMigration_ForgotPassword",
            with_client_metadata(
                base_event(pool, client, "UserMigration_ForgotPassword", typed),
                client_metadata,
            ),
        ),
    };
    let answer = match triggers::fire(cx, pool, Trigger::UserMigration, event).await {
        Ok(Some(r)) => r,
        Ok(None) => return Ok(None),
        // Cognito answers a function error as a user it could not find.
        Err(mut e) if e.kind == ErrorKind::UserLambdaValidationException => {
            e.kind = ErrorKind::UserNotFoundException;
            return Err(e);
        }
        Err(e) => return Err(e),
    };
    let Some(answer) = read_answer(&answer)? else {
        return Ok(None);
    };
    let user = create(cx, pool, typed, &answer, source).await?;
    tracing::info!(
        pool_id = %pool.id,
        sub = %user.sub,
        source = trigger_source,
        status = user.status.as_str(),
        "user migrated by the UserMigration trigger"
    );
    Ok(Some(user))
}

/// `userName` is the name typed; there are no attributes to send yet.
fn base_event(
    pool: &UserPool,
    client: &AppClient,
    trigger_source: &str,
    typed: &str,
) -> TriggerEvent {
    TriggerEvent::new(pool, trigger_source)
        .user_name(typed)
        .client_id(&client.client_id)
}

/// The function's answer: `None` when it gave no `userAttributes` (not migrated); a
/// member of the wrong type or value is `InvalidLambdaResponseException`.
fn read_answer(r: &Map<String, Value>) -> Result<Option<Answer>, Error> {
    let Some(attributes) = response::string_map(r, "userAttributes")?.filter(|a| !a.is_empty())
    else {
        return Ok(None);
    };
    let status = match response::string(r, "finalUserStatus")?.as_deref() {
        None | Some("RESET_REQUIRED") => UserStatusType::ResetRequired,
        Some("CONFIRMED") => UserStatusType::Confirmed,
        Some(_) => return Err(invalid_response()),
    };
    if let Some(action) = response::string(r, "messageAction")? {
        MessageActionType::parse(&action).ok_or_else(invalid_response)?;
    }
    for medium in response::string_list(r, "desiredDeliveryMediums")?.unwrap_or_default() {
        DeliveryMediumType::parse(&medium).ok_or_else(invalid_response)?;
    }
    Ok(Some(Answer {
        attributes,
        status,
        force_alias: response::flag(r, "forceAliasCreation")?,
        sms_mfa: response::flag(r, "enableSMSMFA")?,
    }))
}

/// Creates the migrated user: the attributes checked against the schema as
/// AdminCreateUser's are, the password typed (sign-in of a CONFIRMED user) set without the
/// policy.
async fn create(
    cx: &Cx,
    pool: &UserPool,
    typed: &str,
    answer: &Answer,
    source: MigrationSource<'_>,
) -> Result<User, Error> {
    let writes: Vec<AttributeType> = answer
        .attributes
        .iter()
        .map(|(name, value)| AttributeType {
            name: name.clone(),
            value: Some(value.clone()),
        })
        .collect();
    let changes = validate_writes(pool, &writes, AttributeWrite::Create)?;
    let NewUser { mut user, .. } = new_user(cx, pool, typed, &changes, answer.status)?;
    if answer.sms_mfa {
        user.data.enabled_mfas = vec!["SMS_MFA".to_owned()];
    }
    if let (MigrationSource::SignIn { password, .. }, UserStatusType::Confirmed) =
        (source, answer.status)
    {
        set_migrated_password(cx, pool, &mut user, password, UserStatusType::Confirmed).await?;
    }
    insert_new_user(
        cx,
        pool,
        &user,
        KeyWrite::AdminCreateUser,
        answer.force_alias,
    )
    .await?;
    Ok(user)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use serde_json::json;

    use super::*;

    fn answer(v: Value) -> Result<Option<Answer>, Error> {
        read_answer(v.as_object().unwrap())
    }

    #[test]
    fn no_attributes_means_not_migrated() {
        assert_eq!(answer(json!({})).unwrap(), None);
        assert_eq!(answer(json!({"userAttributes": null})).unwrap(), None);
        assert_eq!(answer(json!({"userAttributes": {}})).unwrap(), None);
    }

    #[test]
    fn status_defaults_to_reset_required() {
        let a = answer(json!({"userAttributes": {"email": "a@example.com"}}))
            .unwrap()
            .unwrap();
        assert_eq!(a.status, UserStatusType::ResetRequired);
        assert!(!a.force_alias && !a.sms_mfa);
        let a = answer(json!({
            "userAttributes": {"email": "a@example.com"},
            "finalUserStatus": "CONFIRMED",
            "messageAction": "SUPPRESS",
            "desiredDeliveryMediums": ["EMAIL"],
            "forceAliasCreation": true,
        }))
        .unwrap()
        .unwrap();
        assert_eq!(a.status, UserStatusType::Confirmed);
        assert!(a.force_alias);
    }

    #[test]
    fn bad_members_are_invalid_lambda_responses() {
        for bad in [
            json!({"userAttributes": {"email": 1}}),
            json!({"userAttributes": {"email": "a@x.com"}, "finalUserStatus": "UNCONFIRMED"}),
            json!({"userAttributes": {"email": "a@x.com"}, "messageAction": "SHOUT"}),
            json!({"userAttributes": {"email": "a@x.com"}, "desiredDeliveryMediums": ["FAX"]}),
            json!({"userAttributes": {"email": "a@x.com"}, "forceAliasCreation": "yes"}),
        ] {
            let e = answer(bad.clone()).unwrap_err();
            assert_eq!(e.kind, ErrorKind::InvalidLambdaResponseException, "{bad}");
        }
    }
}
