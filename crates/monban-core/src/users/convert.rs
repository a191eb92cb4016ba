//! Users as the wire returns them: `UserType` (AdminCreateUser, ListUsers,
//! ListUsersInGroup) and `AdminGetUserResponse`.

use monban_wire::idp::{
    AdminGetUserResponse, AttributeType, DeliveryMediumType, MFAOptionType, UserType,
};

use crate::cx::wire_time;
use crate::entities::User;

/// Every attribute, `sub` first as Cognito lists it.
pub fn wire_attributes(user: &User) -> Vec<AttributeType> {
    std::iter::once(("sub", user.sub.as_str()))
        .chain(
            user.attributes
                .iter()
                .map(|(name, value)| (name.as_str(), value.as_str())),
        )
        .map(|(name, value)| AttributeType {
            name: name.to_owned(),
            value: Some(value.to_owned()),
        })
        .collect()
}

/// The legacy MFA options, each stored as a pair of a delivery medium and an attribute
/// name (accepted in either order).
pub fn mfa_options(user: &User) -> Option<Vec<MFAOptionType>> {
    let options: Vec<MFAOptionType> = user
        .data
        .mfa_options
        .iter()
        .map(|(a, b)| {
            let (medium, attribute) = match DeliveryMediumType::parse(a) {
                Some(medium) => (Some(medium), b),
                None => (DeliveryMediumType::parse(b), a),
            };
            MFAOptionType {
                attribute_name: Some(attribute.clone()),
                delivery_medium: medium,
            }
        })
        .collect();
    (!options.is_empty()).then_some(options)
}

pub fn user_type(user: &User) -> UserType {
    user_type_with(user, wire_attributes(user))
}

/// A `UserType` with only the attributes named (ListUsers `AttributesToGet`).
pub fn user_type_selected(user: &User, names: &[String]) -> UserType {
    let attributes = wire_attributes(user)
        .into_iter()
        .filter(|a| names.contains(&a.name))
        .collect();
    user_type_with(user, attributes)
}

fn user_type_with(user: &User, attributes: Vec<AttributeType>) -> UserType {
    UserType {
        username: Some(user.username.clone()),
        attributes: Some(attributes),
        user_create_date: Some(wire_time(user.created_ms)),
        user_last_modified_date: Some(wire_time(user.modified_ms)),
        enabled: Some(user.enabled),
        user_status: Some(user.status),
        mfa_options: mfa_options(user),
    }
}

pub fn admin_get_user_response(user: &User) -> AdminGetUserResponse {
    AdminGetUserResponse {
        username: user.username.clone(),
        user_attributes: Some(wire_attributes(user)),
        user_create_date: Some(wire_time(user.created_ms)),
        user_last_modified_date: Some(wire_time(user.modified_ms)),
        enabled: Some(user.enabled),
        user_status: Some(user.status),
        mfa_options: mfa_options(user),
        preferred_mfa_setting: user.data.preferred_mfa.clone(),
        user_mfa_setting_list: (!user.data.enabled_mfas.is_empty())
            .then(|| user.data.enabled_mfas.clone()),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::collections::BTreeMap;

    use monban_wire::idp::UserStatusType;

    use super::*;
    use crate::entities::UserData;

    fn user() -> User {
        User {
            pool_id: "us-east-1_test".to_owned(),
            username: "alice".to_owned(),
            sub: "0f8fad5b-d9cb-469f-a165-70867728950e".to_owned(),
            status: UserStatusType::Confirmed,
            enabled: true,
            attributes: BTreeMap::from([
                ("email".to_owned(), "a@example.com".to_owned()),
                ("email_verified".to_owned(), "true".to_owned()),
            ]),
            password_hash: Some("$argon2id$secret".to_owned()),
            created_ms: 1_700_000_000_123,
            modified_ms: 1_700_000_001_000,
            version: 3,
            keys: vec!["u:alice".to_owned()],
            data: UserData::default(),
        }
    }

    #[test]
    fn user_type_lists_sub_first_and_dates_in_seconds() {
        let wire = user_type(&user());
        assert_eq!(wire.username.as_deref(), Some("alice"));
        let names: Vec<_> = wire
            .attributes
            .as_ref()
            .unwrap()
            .iter()
            .map(|a| a.name.as_str())
            .collect();
        assert_eq!(names, vec!["sub", "email", "email_verified"]);
        assert_eq!(wire.user_create_date, Some(1_700_000_000.123));
        assert_eq!(wire.user_status, Some(UserStatusType::Confirmed));
        assert_eq!(wire.enabled, Some(true));
        assert_eq!(wire.mfa_options, None);
        // Nothing of the password reaches the wire.
        let json = serde_json::to_string(&wire).unwrap();
        assert!(!json.contains("argon2"));
    }

    #[test]
    fn selected_attributes_only() {
        let wire = user_type_selected(&user(), &["email".to_owned()]);
        let attributes = wire.attributes.unwrap();
        assert_eq!(attributes.len(), 1);
        assert_eq!(attributes[0].value.as_deref(), Some("a@example.com"));
    }

    #[test]
    fn admin_get_user_reports_mfa_settings() {
        let mut u = user();
        u.data.mfa_options = vec![("SMS".to_owned(), "phone_number".to_owned())];
        u.data.preferred_mfa = Some("SOFTWARE_TOKEN_MFA".to_owned());
        u.data.enabled_mfas = vec!["SOFTWARE_TOKEN_MFA".to_owned()];
        let wire = admin_get_user_response(&u);
        assert_eq!(wire.username, "alice");
        let option = &wire.mfa_options.unwrap()[0];
        assert_eq!(option.delivery_medium, Some(DeliveryMediumType::Sms));
        assert_eq!(option.attribute_name.as_deref(), Some("phone_number"));
        assert_eq!(
            wire.preferred_mfa_setting.as_deref(),
            Some("SOFTWARE_TOKEN_MFA")
        );
        assert_eq!(
            wire.user_mfa_setting_list,
            Some(vec!["SOFTWARE_TOKEN_MFA".to_owned()])
        );
    }
}
