//! A pool's `DeviceConfiguration`: whether it tracks devices, and what follows from it.

use monban_wire::idp::DeviceRememberedStatusType;

use crate::entities::{Device, UserPool};

/// The device settings of a pool that tracks devices.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeviceTracking {
    /// `ChallengeRequiredOnNewDevice`: a remembered device stands in for the second factor,
    /// so only devices that are not remembered get the MFA challenge. Without it every
    /// sign-in gets MFA (AWS's DeviceConfiguration documentation).
    pub remembered_skips_mfa: bool,
    /// `DeviceOnlyRememberedOnUserPrompt`: ConfirmDevice leaves the device not remembered
    /// until the user says so (UpdateDeviceStatus); otherwise it is remembered at once.
    pub remembered_on_user_prompt: bool,
}

/// The pool's device tracking; `None` when it does not track devices. Any value in
/// `DeviceConfiguration` turns tracking on (flows.md §10), `false` included.
pub fn tracking(pool: &UserPool) -> Option<DeviceTracking> {
    let config = pool.config.device_configuration.as_ref()?;
    let challenge = config.challenge_required_on_new_device;
    let on_prompt = config.device_only_remembered_on_user_prompt;
    if challenge.is_none() && on_prompt.is_none() {
        return None;
    }
    Some(DeviceTracking {
        remembered_skips_mfa: challenge == Some(true),
        remembered_on_user_prompt: on_prompt == Some(true),
    })
}

impl DeviceTracking {
    /// The status ConfirmDevice gives a device; `UserConfirmationNecessary` is whether it
    /// is `not_remembered` for now.
    pub fn confirmed_status(&self) -> DeviceRememberedStatusType {
        if self.remembered_on_user_prompt {
            DeviceRememberedStatusType::NotRemembered
        } else {
            DeviceRememberedStatusType::Remembered
        }
    }

    /// Whether a sign-in naming `device` skips MFA. The device still has to prove itself
    /// (DEVICE_SRP_AUTH) before any token is issued.
    pub fn skips_mfa(&self, device: &Device) -> bool {
        self.remembered_skips_mfa
            && device.is_confirmed()
            && device.status == DeviceRememberedStatusType::Remembered
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use monban_wire::idp::{DeviceConfigurationType, UserPoolType};

    use super::*;
    use crate::entities::SrpCredential;

    fn pool(config: Option<DeviceConfigurationType>) -> UserPool {
        UserPool {
            id: "us-east-1_AbCdEf123".to_owned(),
            name: "p".to_owned(),
            created_ms: 0,
            modified_ms: 0,
            version: 1,
            config: UserPoolType {
                device_configuration: config,
                ..UserPoolType::default()
            },
            data: Default::default(),
        }
    }

    fn config(challenge: Option<bool>, on_prompt: Option<bool>) -> Option<DeviceConfigurationType> {
        Some(DeviceConfigurationType {
            challenge_required_on_new_device: challenge,
            device_only_remembered_on_user_prompt: on_prompt,
        })
    }

    fn device(confirmed: bool, status: DeviceRememberedStatusType) -> Device {
        Device {
            pool_id: "p".to_owned(),
            sub: "s".to_owned(),
            device_key: "us-east-1_k".to_owned(),
            device_group_key: "-g".to_owned(),
            verifier: confirmed.then(|| SrpCredential {
                salt: "01".to_owned(),
                verifier: "02".to_owned(),
            }),
            name: None,
            attributes: BTreeMap::new(),
            status,
            created_ms: 0,
            modified_ms: 0,
            last_authenticated_ms: 0,
        }
    }

    #[test]
    fn any_value_turns_tracking_on() {
        assert_eq!(tracking(&pool(None)), None);
        assert_eq!(tracking(&pool(config(None, None))), None);
        assert_eq!(
            tracking(&pool(config(Some(false), Some(false)))),
            Some(DeviceTracking::default())
        );
        assert_eq!(
            tracking(&pool(config(Some(true), None))),
            Some(DeviceTracking {
                remembered_skips_mfa: true,
                remembered_on_user_prompt: false
            })
        );
        let on_prompt = tracking(&pool(config(None, Some(true)))).unwrap_or_default();
        assert!(on_prompt.remembered_on_user_prompt);
        assert_eq!(
            on_prompt.confirmed_status(),
            DeviceRememberedStatusType::NotRemembered
        );
        assert_eq!(
            DeviceTracking::default().confirmed_status(),
            DeviceRememberedStatusType::Remembered
        );
    }

    #[test]
    fn only_a_confirmed_remembered_device_skips_mfa_and_only_when_the_pool_says_so() {
        let skip = DeviceTracking {
            remembered_skips_mfa: true,
            remembered_on_user_prompt: false,
        };
        let remembered = DeviceRememberedStatusType::Remembered;
        let not_remembered = DeviceRememberedStatusType::NotRemembered;
        assert!(skip.skips_mfa(&device(true, remembered)));
        assert!(!skip.skips_mfa(&device(true, not_remembered)));
        assert!(!skip.skips_mfa(&device(false, remembered)));
        assert!(!DeviceTracking::default().skips_mfa(&device(true, remembered)));
    }
}
