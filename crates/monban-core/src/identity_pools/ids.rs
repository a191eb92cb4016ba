//! Identity pool and identity ids (`{region}:{uuid}`) and identity pool ARNs.

use crate::cx::Settings;
use crate::error::Error;
use crate::ids::new_uuid;
use crate::Cx;

/// `us-east-1:0f8fad5b-d9cb-469f-a165-70867728950e`: identity pools and identities alike.
pub fn new_region_uuid(cx: &Cx) -> String {
    format!("{}:{}", cx.settings.region, new_uuid(cx.rng.as_ref()))
}

/// `arn:aws:cognito-identity:{region}:{account}:identitypool/{id}`.
pub fn identity_pool_arn(settings: &Settings, pool_id: &str) -> String {
    format!(
        "arn:aws:cognito-identity:{}:{}:identitypool/{pool_id}",
        settings.region, settings.account_id
    )
}

/// The identity pool id an ARN names (TagResource and friends).
pub fn pool_id_of_arn(arn: &str) -> Result<&str, Error> {
    let invalid = || Error::invalid_parameter(format!("Invalid ARN: {arn}"));
    let mut parts = arn.splitn(6, ':');
    let (Some("arn"), Some(_partition), Some("cognito-identity"), Some(_region), Some(_account)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return Err(invalid());
    };
    parts
        .next()
        .and_then(|resource| resource.strip_prefix("identitypool/"))
        .filter(|id| !id.is_empty())
        .ok_or_else(invalid)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn arns_name_their_pool() {
        let settings = Settings::default();
        let id = "us-east-1:0f8fad5b-d9cb-469f-a165-70867728950e";
        let arn = identity_pool_arn(&settings, id);
        assert_eq!(
            arn,
            "arn:aws:cognito-identity:us-east-1:000000000000:identitypool/us-east-1:0f8fad5b-d9cb-469f-a165-70867728950e"
        );
        assert_eq!(pool_id_of_arn(&arn).unwrap(), id);
        for bad in [
            "arn:aws:cognito-idp:us-east-1:1:userpool/us-east-1_A",
            "arn:aws:cognito-identity:us-east-1:1:identitypool/",
            "arn:aws:cognito-identity:us-east-1:1:pool/x",
            "identitypool/x",
        ] {
            assert!(pool_id_of_arn(bad).is_err(), "{bad}");
        }
    }
}
