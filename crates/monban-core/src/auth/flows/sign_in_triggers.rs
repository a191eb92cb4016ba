//! The Lambda triggers around a sign-in (triggers.md §3-§4): PreAuthentication before the
//! first factor is checked (InitiateAuth / AdminInitiateAuth, with the call's
//! `ClientMetadata` as `validationData`), PostAuthentication once the sign-in has
//! succeeded, before tokens (with `ClientMetadata` only when RespondToAuthChallenge finished
//! it). A function error denies the sign-in: `UserLambdaValidationException`
//! `"PreAuthentication failed with error <message>."` (resp. PostAuthentication).

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::decoy::prevents_existence_errors;
use super::SignIn;
use crate::entities::{AppClient, User, UserPool};
use crate::error::Error;
use crate::triggers::{self, string_map, Trigger, TriggerEvent};

/// Whom a sign-in trigger is about: a user of the pool, or — when the client prevents user
/// existence errors — the name typed for a user that does not exist.
#[derive(Clone, Copy)]
pub enum Subject<'a> {
    User(&'a User),
    NotFound(&'a str),
}

impl Subject<'_> {
    /// `userName` of the event: the internal username, or the name typed.
    pub fn user_name(&self) -> &str {
        match self {
            Subject::User(user) => &user.username,
            Subject::NotFound(typed) => typed,
        }
    }
}

/// The envelope every sign-in trigger shares: `userName`, the app client, the user's
/// attributes (`{}` for a user that does not exist) and, when the client prevents user
/// existence errors, `userNotFound`.
pub fn sign_in_event(
    pool: &UserPool,
    client: &AppClient,
    trigger_source: &str,
    who: Subject<'_>,
) -> TriggerEvent {
    let event = TriggerEvent::new(pool, trigger_source)
        .user_name(who.user_name())
        .client_id(&client.client_id);
    let event = match who {
        Subject::User(user) => event.user_attributes(user),
        Subject::NotFound(_) => event.request("userAttributes", Value::Object(Map::new())),
    };
    // Cognito fills the flag only for clients that hide user existence.
    if prevents_existence_errors(client) {
        event.request(
            "userNotFound",
            Value::Bool(matches!(who, Subject::NotFound(_))),
        )
    } else {
        event
    }
}

/// `request.clientMetadata` when the call passed any.
pub fn with_client_metadata(
    event: TriggerEvent,
    metadata: Option<&BTreeMap<String, String>>,
) -> TriggerEvent {
    match metadata {
        Some(m) => event.request("clientMetadata", string_map(m)),
        None => event,
    }
}

/// `validationData` and `clientMetadata`: what InitiateAuth's `ClientMetadata` becomes for
/// the triggers that receive it (PreAuthentication, UserMigration_Authentication).
pub fn with_validation_data(
    event: TriggerEvent,
    validation_data: Option<&BTreeMap<String, String>>,
) -> TriggerEvent {
    match validation_data {
        Some(m) => with_client_metadata(event.request("validationData", string_map(m)), Some(m)),
        None => event,
    }
}

/// PreAuthentication_Authentication, before the password (or the custom challenges) of
/// `who` is checked. Its answer carries nothing; a function error denies the sign-in.
pub async fn pre_authentication(
    s: &SignIn<'_>,
    who: Subject<'_>,
    validation_data: Option<&BTreeMap<String, String>>,
) -> Result<(), Error> {
    if !Trigger::PreAuthentication.is_configured(s.pool) {
        return Ok(());
    }
    let event = sign_in_event(s.pool, s.client, "PreAuthentication_Authentication", who);
    let event = with_validation_data(event, validation_data);
    triggers::fire(s.cx, s.pool, Trigger::PreAuthentication, event).await?;
    Ok(())
}

/// PostAuthentication_Authentication, once `user` has signed in and before tokens are
/// issued. `newDeviceUsed` is sent only when the pool tracks devices.
pub async fn post_authentication(
    s: &SignIn<'_>,
    user: &User,
    device_key: Option<&str>,
) -> Result<(), Error> {
    if !Trigger::PostAuthentication.is_configured(s.pool) {
        return Ok(());
    }
    let mut event = sign_in_event(
        s.pool,
        s.client,
        "PostAuthentication_Authentication",
        Subject::User(user),
    );
    if let Some(new_device) = new_device_used(s.pool, device_key) {
        event = event.request("newDeviceUsed", Value::Bool(new_device));
    }
    let event = with_client_metadata(event, s.client_metadata);
    triggers::fire(s.cx, s.pool, Trigger::PostAuthentication, event).await?;
    Ok(())
}

/// `newDeviceUsed`: only for pools that remember devices (`DeviceConfiguration` set); a
/// sign-in is from a new device unless it presented a device key.
fn new_device_used(pool: &UserPool, device_key: Option<&str>) -> Option<bool> {
    pool.config
        .device_configuration
        .as_ref()
        .map(|_| device_key.is_none_or(str::is_empty))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use monban_wire::idp::{
        DeviceConfigurationType, PreventUserExistenceErrorTypes, UserPoolClientType, UserPoolType,
        UserStatusType,
    };

    use super::*;
    use crate::entities::UserData;

    fn pool(devices: bool) -> UserPool {
        UserPool {
            id: "us-east-1_AbCdEf123".to_owned(),
            name: "p".to_owned(),
            created_ms: 0,
            modified_ms: 0,
            version: 1,
            config: UserPoolType {
                device_configuration: devices.then(DeviceConfigurationType::default),
                ..UserPoolType::default()
            },
            data: Default::default(),
        }
    }

    fn client(prevent: bool) -> AppClient {
        AppClient {
            pool_id: "us-east-1_AbCdEf123".to_owned(),
            client_id: "client1".to_owned(),
            name: "app".to_owned(),
            secret: None,
            created_ms: 0,
            modified_ms: 0,
            version: 1,
            config: UserPoolClientType {
                prevent_user_existence_errors: prevent
                    .then_some(PreventUserExistenceErrorTypes::Enabled),
                ..UserPoolClientType::default()
            },
        }
    }

    fn user() -> User {
        User {
            pool_id: "us-east-1_AbCdEf123".to_owned(),
            username: "alice".to_owned(),
            sub: "0f8fad5b-d9cb-469f-a165-70867728950e".to_owned(),
            status: UserStatusType::Confirmed,
            enabled: true,
            attributes: BTreeMap::from([("email".to_owned(), "a@example.com".to_owned())]),
            password_hash: None,
            created_ms: 0,
            modified_ms: 0,
            version: 1,
            keys: vec![],
            data: UserData::default(),
        }
    }

    #[test]
    fn user_not_found_only_for_clients_that_hide_existence() {
        let u = user();
        let e = sign_in_event(&pool(false), &client(false), "X", Subject::User(&u))
            .to_json("us-east-1");
        assert_eq!(e["userName"], "alice");
        assert_eq!(e["callerContext"]["clientId"], "client1");
        assert_eq!(e["request"]["userAttributes"]["email"], "a@example.com");
        assert!(e["request"].get("userNotFound").is_none());

        let e =
            sign_in_event(&pool(false), &client(true), "X", Subject::User(&u)).to_json("us-east-1");
        assert_eq!(e["request"]["userNotFound"], false);
        let e = sign_in_event(&pool(false), &client(true), "X", Subject::NotFound("bob"))
            .to_json("us-east-1");
        assert_eq!(e["userName"], "bob");
        assert_eq!(e["request"]["userNotFound"], true);
        assert_eq!(e["request"]["userAttributes"], serde_json::json!({}));
    }

    #[test]
    fn validation_data_is_also_client_metadata() {
        let m = BTreeMap::from([("k".to_owned(), "v".to_owned())]);
        let e = with_validation_data(TriggerEvent::new(&pool(false), "X"), Some(&m))
            .to_json("us-east-1");
        assert_eq!(
            e["request"]["validationData"],
            serde_json::json!({"k": "v"})
        );
        assert_eq!(
            e["request"]["clientMetadata"],
            serde_json::json!({"k": "v"})
        );
        let e =
            with_validation_data(TriggerEvent::new(&pool(false), "X"), None).to_json("us-east-1");
        assert_eq!(e["request"], serde_json::json!({}));
    }

    #[test]
    fn new_device_used_only_with_device_tracking() {
        assert_eq!(new_device_used(&pool(false), None), None);
        assert_eq!(new_device_used(&pool(true), None), Some(true));
        assert_eq!(new_device_used(&pool(true), Some("")), Some(true));
        assert_eq!(
            new_device_used(&pool(true), Some("us-east-1_x")),
            Some(false)
        );
    }
}
