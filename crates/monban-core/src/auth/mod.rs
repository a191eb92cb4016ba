//! Sign-in building blocks: Cognito's SRP and the client SECRET_HASH.

pub mod client;
pub mod flows;
pub mod secret_hash;
pub mod server_secrets;
pub mod srp;

use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

/// Standard base64 for decoding what clients send: padding optional, since SDKs differ.
/// Encode with `base64::engine::general_purpose::STANDARD` (padded), as Cognito does.
pub(crate) const BASE64_LENIENT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// HMAC-SHA256 over the concatenation of `parts`.
pub(crate) fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    use hmac::{Hmac, Mac};
    use sha2::{Digest, Sha256};

    // RFC 2104 key preparation done here (hash if longer than a block, zero-pad to a block)
    // so that the fixed-size, infallible constructor can be used.
    let mut block = [0u8; 64];
    if key.len() > block.len() {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let mut mac = <Hmac<Sha256> as hmac::digest::KeyInit>::new(&block.into());
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().into()
}
