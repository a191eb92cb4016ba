//! Identifiers in Cognito's formats.

use crate::cx::Rng;

const ALNUM: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/// base32hex, lowercase: what real client ids and secrets are made of.
const BASE32HEX: &[u8] = b"0123456789abcdefghijklmnopqrstuv";

pub fn random_from(rng: &dyn Rng, alphabet: &[u8], len: usize) -> String {
    let mut out = String::with_capacity(len);
    let mut buf = [0u8; 1];
    while out.len() < len {
        rng.fill(&mut buf);
        // Rejection sampling keeps every character equally likely.
        let limit = 256 - (256 % alphabet.len());
        if usize::from(buf[0]) < limit {
            out.push(char::from(alphabet[usize::from(buf[0]) % alphabet.len()]));
        }
    }
    out
}

/// `us-east-1_AbC123xyZ`.
pub fn new_user_pool_id(rng: &dyn Rng, region: &str) -> String {
    format!("{region}_{}", random_from(rng, ALNUM, 9))
}

/// 26 characters of lowercase base32hex, like `56mo66skn061vgpqj8mg154g5h`.
pub fn new_client_id(rng: &dyn Rng) -> String {
    random_from(rng, BASE32HEX, 26)
}

/// 51 characters of lowercase base32hex.
pub fn new_client_secret(rng: &dyn Rng) -> String {
    random_from(rng, BASE32HEX, 51)
}

/// A lowercase UUID v4, for `sub` and other opaque ids.
pub fn new_uuid(rng: &dyn Rng) -> String {
    let mut bytes = [0u8; 16];
    rng.fill(&mut bytes);
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .to_string()
}

/// A remembered device's key, `{region}_{uuid}` (NewDeviceMetadata.DeviceKey).
pub fn new_device_key(rng: &dyn Rng, region: &str) -> String {
    format!("{region}_{}", new_uuid(rng))
}

/// A user's device group key: `-` and 8 alphanumerics, like `-nNwnPidS`.
pub fn new_device_group_key(rng: &dyn Rng) -> String {
    format!("-{}", random_from(rng, ALNUM, 8))
}

pub fn user_pool_arn(region: &str, account_id: &str, pool_id: &str) -> String {
    format!("arn:aws:cognito-idp:{region}:{account_id}:userpool/{pool_id}")
}
