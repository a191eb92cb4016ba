//! The event a trigger receives (reference/triggers.md §2).

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::entities::{User, UserPool};

/// `callerContext.clientId` of events fired by an operation that has no app client
/// (AdminCreateUser, AdminConfirmSignUp, ... called with IAM credentials only).
pub const CLIENT_ID_NOT_APPLICABLE: &str = "CLIENT_ID_NOT_APPLICABLE";

/// Cognito passes the caller's SDK version; monban does not know it.
const AWS_SDK_VERSION: &str = "aws-sdk-unknown-unknown";

/// An event being built. `region` is filled in by [`fire`](super::fire) from the settings.
/// Its `Debug` leaves out `request`, which may carry a code or a password.
#[derive(Clone)]
pub struct TriggerEvent {
    pub version: &'static str,
    pub trigger_source: String,
    pub user_pool_id: String,
    pub user_name: Option<String>,
    pub client_id: Option<String>,
    pub request: Map<String, Value>,
    /// What `response` holds when sent: `{}`, or the trigger's members set to null.
    pub response: Map<String, Value>,
}

impl std::fmt::Debug for TriggerEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TriggerEvent")
            .field("trigger_source", &self.trigger_source)
            .field("user_pool_id", &self.user_pool_id)
            .field("user_name", &self.user_name)
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

impl TriggerEvent {
    pub fn new(pool: &UserPool, trigger_source: impl Into<String>) -> Self {
        Self {
            version: "1",
            trigger_source: trigger_source.into(),
            user_pool_id: pool.id.clone(),
            user_name: None,
            client_id: None,
            request: Map::new(),
            response: Map::new(),
        }
    }

    /// The event `version` ("1" unless pre token generation V2/V3 says otherwise).
    pub fn version(mut self, version: &'static str) -> Self {
        self.version = version;
        self
    }

    pub fn user_name(mut self, user_name: impl Into<String>) -> Self {
        self.user_name = Some(user_name.into());
        self
    }

    /// The app client of the call; without one the event says `CLIENT_ID_NOT_APPLICABLE`.
    pub fn client_id(mut self, client_id: impl Into<String>) -> Self {
        self.client_id = Some(client_id.into());
        self
    }

    pub fn maybe_client_id(self, client_id: Option<&str>) -> Self {
        match client_id {
            Some(id) => self.client_id(id),
            None => self,
        }
    }

    /// `request.userAttributes` of a stored user: `sub`, every attribute and
    /// `cognito:user_status`.
    pub fn user_attributes(self, user: &User) -> Self {
        let attributes = stored_user_attributes(user);
        self.request("userAttributes", Value::Object(attributes))
    }

    /// `request.userAttributes` given as a map (a user not stored yet: PreSignUp).
    pub fn attributes_map(self, attributes: &BTreeMap<String, String>) -> Self {
        let map = attributes
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect();
        self.request("userAttributes", Value::Object(map))
    }

    /// Any other member of `request`.
    pub fn request(mut self, key: &str, value: Value) -> Self {
        self.request.insert(key.to_owned(), value);
        self
    }

    /// A member of `response` as sent (Cognito sends e.g. `"emailMessage": null`).
    pub fn initial_response(mut self, key: &str, value: Value) -> Self {
        self.response.insert(key.to_owned(), value);
        self
    }

    /// `request.clientMetadata`, present when the operation passed `ClientMetadata`.
    pub fn client_metadata(self, metadata: Option<&BTreeMap<String, String>>) -> Self {
        match metadata {
            Some(m) => self.request("clientMetadata", string_map(m)),
            None => self,
        }
    }

    /// The JSON sent to the function.
    pub fn to_json(&self, region: &str) -> Value {
        let mut event = Map::new();
        event.insert("version".into(), Value::from(self.version));
        event.insert(
            "triggerSource".into(),
            Value::from(self.trigger_source.as_str()),
        );
        event.insert("region".into(), Value::from(region));
        event.insert("userPoolId".into(), Value::from(self.user_pool_id.as_str()));
        if let Some(name) = &self.user_name {
            event.insert("userName".into(), Value::from(name.as_str()));
        }
        let client_id = self
            .client_id
            .as_deref()
            .unwrap_or(CLIENT_ID_NOT_APPLICABLE);
        event.insert(
            "callerContext".into(),
            serde_json::json!({"awsSdkVersion": AWS_SDK_VERSION, "clientId": client_id}),
        );
        event.insert("request".into(), Value::Object(self.request.clone()));
        event.insert("response".into(), Value::Object(self.response.clone()));
        Value::Object(event)
    }
}

/// A string map as a JSON object (`validationData`, `clientMetadata`).
pub fn string_map<'a>(map: impl IntoIterator<Item = (&'a String, &'a String)>) -> Value {
    Value::Object(
        map.into_iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect(),
    )
}

fn stored_user_attributes(user: &User) -> Map<String, Value> {
    let mut map = Map::new();
    map.insert("sub".into(), Value::from(user.sub.as_str()));
    for (name, value) in &user.attributes {
        map.insert(name.clone(), Value::from(value.as_str()));
    }
    map.insert(
        "cognito:user_status".into(),
        Value::from(user.status.as_str()),
    );
    map
}
