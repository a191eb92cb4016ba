//! The authenticator-app QR code of the MFA setup page: an `otpauth://` URI (Key URI
//! Format: issuer = the pool's name, account = the username) rendered as inline SVG.

use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use qrcode::render::svg;
use qrcode::QrCode;

/// The `otpauth://totp/…` URI of `secret` (base32) for `username` of pool `issuer`.
pub fn otpauth_uri(issuer: &str, username: &str, secret: &str) -> String {
    let issuer = utf8_percent_encode(issuer, NON_ALPHANUMERIC).to_string();
    let account = utf8_percent_encode(username, NON_ALPHANUMERIC);
    format!("otpauth://totp/{issuer}:{account}?secret={secret}&issuer={issuer}")
}

/// The QR code of [`otpauth_uri`] as an `<svg>` element (empty if it cannot be made; the
/// key is shown as text as well).
pub fn qr_svg(issuer: &str, username: &str, secret: &str) -> String {
    let Ok(code) = QrCode::new(otpauth_uri(issuer, username, secret).as_bytes()) else {
        return String::new();
    };
    let document = code
        .render::<svg::Color<'_>>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    // The element only: the page is HTML, not an SVG document.
    match document.find("<svg") {
        Some(start) => document[start..].to_owned(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_uri_names_the_pool_and_user_and_the_svg_is_inline() {
        assert_eq!(
            otpauth_uri("My Pool", "a@b.c", "ABC"),
            "otpauth://totp/My%20Pool:a%40b%2Ec?secret=ABC&issuer=My%20Pool"
        );
        let svg = qr_svg("p", "u", "JBSWY3DPEHPK3PXP");
        assert!(svg.contains("<svg"), "{svg}");
        assert!(!svg.contains("<?xml"), "an inline element, not a document");
    }
}
