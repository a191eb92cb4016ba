//! UI customization (SetUICustomization / GetUICustomization): CSS and a logo for the
//! hosted UI, per client or for the whole pool (client id `ALL`), as Cognito keeps them.
//! A client without its own customization shows the pool's.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

use crate::error::Error;
use crate::Cx;

/// The client id of a pool's default customization.
pub const ALL_CLIENTS: &str = "ALL";

/// Cognito's limit on the logo: 100 KB.
const MAX_LOGO_BYTES: usize = 100 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logo {
    /// `image/png` or `image/jpeg`.
    pub content_type: String,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UiCustomization {
    pub pool_id: String,
    /// A client id, or [`ALL_CLIENTS`].
    pub client_id: String,
    pub css: Option<String>,
    pub logo: Option<Logo>,
    pub created_ms: i64,
    pub modified_ms: i64,
}

/// The customization the pages of `client_id` show: its own, else the pool's.
pub async fn effective_customization(
    cx: &Cx,
    pool_id: &str,
    client_id: &str,
) -> Result<Option<UiCustomization>, Error> {
    if client_id != ALL_CLIENTS {
        if let Some(own) = cx.store.get_ui_customization(pool_id, client_id).await? {
            return Ok(Some(own));
        }
    }
    Ok(cx.store.get_ui_customization(pool_id, ALL_CLIENTS).await?)
}

/// The CSS is pasted into a `<style>` element of every page: nothing in it may end that
/// element or open markup, so `<` is refused outright (Cognito only accepts rules for
/// its listed classes; monban accepts any rule but keeps the page's structure safe).
pub fn check_css(css: &str) -> Result<(), Error> {
    if css.contains('<') {
        return Err(Error::invalid_parameter(
            "CSS must not contain '<' (markup such as </style> is not allowed).",
        ));
    }
    Ok(())
}

/// The logo from SetUICustomization's `ImageFile` (base64 of a PNG or JPEG, at most
/// 100 KB). Other formats are refused: an SVG could carry script.
pub fn decode_logo(image_file: &str) -> Result<Logo, Error> {
    let bytes = STANDARD
        .decode(image_file.trim())
        .map_err(|_| Error::invalid_parameter("ImageFile is not valid base64."))?;
    if bytes.len() > MAX_LOGO_BYTES {
        return Err(Error::invalid_parameter(
            "ImageFile must be at most 100 KB.",
        ));
    }
    let content_type = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        "image/png"
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        "image/jpeg"
    } else {
        return Err(Error::invalid_parameter(
            "ImageFile must be a PNG or JPEG image.",
        ));
    };
    Ok(Logo {
        content_type: content_type.to_owned(),
        bytes,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn css_cannot_close_its_style_element() {
        assert!(check_css(".banner-customizable { background: #123; }").is_ok());
        assert!(check_css("a{}</style><script>alert(1)</script>").is_err());
    }

    #[test]
    fn logos_are_png_or_jpeg() {
        let png = STANDARD.encode(b"\x89PNG\r\n\x1a\nrest");
        assert_eq!(decode_logo(&png).unwrap().content_type, "image/png");
        let jpeg = STANDARD.encode([0xFF, 0xD8, 0xFF, 0xE0]);
        assert_eq!(decode_logo(&jpeg).unwrap().content_type, "image/jpeg");
        let svg = STANDARD.encode(b"<svg onload=alert(1)>");
        assert!(decode_logo(&svg).is_err());
        assert!(decode_logo("not base64!").is_err());
    }
}
