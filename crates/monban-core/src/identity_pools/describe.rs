//! Identities as DescribeIdentity and ListIdentities return them.

use monban_wire::identity::IdentityDescription;

use crate::cx::wire_time;
use crate::entities::Identity;

pub fn identity_description(identity: &Identity) -> IdentityDescription {
    let logins = identity.provider_names();
    IdentityDescription {
        identity_id: Some(identity.identity_id.clone()),
        logins: (!logins.is_empty()).then_some(logins),
        creation_date: Some(wire_time(identity.created_ms)),
        last_modified_date: Some(wire_time(identity.modified_ms)),
    }
}
