//! A device as the device operations return it (`DeviceType`).

use monban_wire::idp::{AttributeType, DeviceType};

use crate::cx::wire_time;
use crate::entities::Device;

/// Attributes every device reports, in the order real Cognito lists them; stored
/// attributes of the same names are not repeated.
const DERIVED: &[&str] = &[
    "device_status",
    "device_name",
    "dev:device_remembered_status",
];

fn attribute(name: &str, value: &str) -> AttributeType {
    AttributeType {
        name: name.to_owned(),
        value: Some(value.to_owned()),
    }
}

pub fn device_type(device: &Device) -> DeviceType {
    let mut attributes = vec![attribute("device_status", "valid")];
    if let Some(name) = &device.name {
        attributes.push(attribute("device_name", name));
    }
    attributes.push(attribute(
        "dev:device_remembered_status",
        device.status.as_str(),
    ));
    attributes.extend(
        device
            .attributes
            .iter()
            .filter(|(name, _)| !DERIVED.contains(&name.as_str()))
            .map(|(name, value)| attribute(name, value)),
    );
    DeviceType {
        device_attributes: Some(attributes),
        device_create_date: Some(wire_time(device.created_ms)),
        device_key: Some(device.device_key.clone()),
        device_last_authenticated_date: Some(wire_time(device.last_authenticated_ms)),
        device_last_modified_date: Some(wire_time(device.modified_ms)),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use monban_wire::idp::DeviceRememberedStatusType;

    use super::*;

    #[test]
    fn a_device_in_cognito_words() {
        let device = Device {
            pool_id: "p".to_owned(),
            sub: "s".to_owned(),
            device_key: "us-east-1_k".to_owned(),
            device_group_key: "-g".to_owned(),
            verifier: None,
            name: Some("Firefox".to_owned()),
            attributes: BTreeMap::from([
                ("device_status".to_owned(), "spoofed".to_owned()),
                ("last_ip_used".to_owned(), "192.0.2.1".to_owned()),
            ]),
            status: DeviceRememberedStatusType::NotRemembered,
            created_ms: 1_700_000_000_123,
            modified_ms: 1_700_000_001_000,
            last_authenticated_ms: 1_700_000_002_500,
        };
        let wire = device_type(&device);
        let attributes: Vec<(String, String)> = wire
            .device_attributes
            .unwrap_or_default()
            .into_iter()
            .map(|a| (a.name, a.value.unwrap_or_default()))
            .collect();
        let expected = [
            ("device_status", "valid"),
            ("device_name", "Firefox"),
            ("dev:device_remembered_status", "not_remembered"),
            ("last_ip_used", "192.0.2.1"),
        ];
        assert_eq!(
            attributes,
            expected.map(|(n, v)| (n.to_owned(), v.to_owned()))
        );
        assert_eq!(wire.device_key.as_deref(), Some("us-east-1_k"));
        assert_eq!(wire.device_create_date, Some(1_700_000_000.123));
        assert_eq!(wire.device_last_modified_date, Some(1_700_000_001.0));
        assert_eq!(wire.device_last_authenticated_date, Some(1_700_000_002.5));
    }
}
