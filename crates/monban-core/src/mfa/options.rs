//! SetUserSettings / AdminSetUserSettings: the legacy `MFAOptions`, which Cognito now keeps
//! only for SMS MFA. An entry `{DeliveryMedium: SMS, AttributeName: phone_number}` turns
//! SMS MFA on (without listing it in UserMFASettingList, as Cognito reports it); an empty
//! list turns it off.

use monban_wire::idp::{DeliveryMediumType, MFAOptionType};

use crate::entities::User;
use crate::error::Error;

/// The stored form of `options` (pairs of delivery medium and attribute name).
pub fn legacy_options(options: &[MFAOptionType]) -> Result<Vec<(String, String)>, Error> {
    let mut out = Vec::new();
    for option in options {
        let medium = option
            .delivery_medium
            .ok_or_else(|| Error::invalid_parameter("MFAOptions entries need a DeliveryMedium."))?;
        if medium != DeliveryMediumType::Sms {
            return Err(Error::invalid_parameter(
                "Only SMS can be set as an MFA option; use SetUserMFAPreference for other factors.",
            ));
        }
        let attribute = option.attribute_name.as_deref().unwrap_or("phone_number");
        if attribute != "phone_number" {
            return Err(Error::invalid_parameter(
                "SMS MFA options must name the phone_number attribute.",
            ));
        }
        let entry = (medium.as_str().to_owned(), attribute.to_owned());
        if !out.contains(&entry) {
            out.push(entry);
        }
    }
    Ok(out)
}

/// Replaces the user's legacy options; turning them off also clears an SMS preference
/// that nothing else supports.
pub fn apply_options(user: &mut User, options: Vec<(String, String)>) {
    user.data.mfa_options = options;
    let sms = super::MfaFactor::Sms.as_str();
    if user.data.mfa_options.is_empty()
        && user.data.preferred_mfa.as_deref() == Some(sms)
        && !user.data.enabled_mfas.iter().any(|f| f == sms)
    {
        user.data.preferred_mfa = None;
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn option(medium: Option<DeliveryMediumType>, attribute: Option<&str>) -> MFAOptionType {
        MFAOptionType {
            attribute_name: attribute.map(str::to_owned),
            delivery_medium: medium,
        }
    }

    #[test]
    fn only_sms_to_the_phone_number() {
        let sms = option(Some(DeliveryMediumType::Sms), Some("phone_number"));
        assert_eq!(
            legacy_options(&[sms.clone(), sms]).unwrap(),
            vec![("SMS".to_owned(), "phone_number".to_owned())]
        );
        assert!(legacy_options(&[]).unwrap().is_empty());
        for bad in [
            option(Some(DeliveryMediumType::Email), Some("email")),
            option(None, Some("phone_number")),
            option(Some(DeliveryMediumType::Sms), Some("email")),
        ] {
            assert!(legacy_options(&[bad]).is_err());
        }
    }
}
