//! What an operation tells its triggers about the call.

use std::collections::BTreeMap;

use super::TriggerEvent;

/// The app client of the call (`None` for admin calls with IAM credentials only:
/// `CLIENT_ID_NOT_APPLICABLE`) and the call's `ClientMetadata`.
#[derive(Debug, Clone, Copy, Default)]
pub struct CallContext<'a> {
    pub client_id: Option<&'a str>,
    pub client_metadata: Option<&'a BTreeMap<String, String>>,
}

impl<'a> CallContext<'a> {
    pub fn new(
        client_id: Option<&'a str>,
        client_metadata: Option<&'a BTreeMap<String, String>>,
    ) -> Self {
        Self {
            client_id,
            client_metadata,
        }
    }

    /// Puts the client id and `clientMetadata` on `event`.
    pub fn apply(&self, event: TriggerEvent) -> TriggerEvent {
        event
            .maybe_client_id(self.client_id)
            .client_metadata(self.client_metadata)
    }
}
