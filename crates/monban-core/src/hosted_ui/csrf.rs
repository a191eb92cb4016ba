//! CSRF tokens of the hosted UI's forms: each form carries
//! `HMAC-SHA256(server secret, pre-session cookie | form name)`, so a POST is accepted only
//! from a page this server rendered for the browser holding that cookie, and a token for
//! one form does not fit another.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::error::Error;
use crate::Cx;

const SECRET_NAME: &str = "hosted_ui_csrf";
const SECRET_BYTES: usize = 32;

/// The token of form `form` for the browser whose pre-session cookie is `pre_session`.
pub async fn csrf_token(cx: &Cx, pre_session: &str, form: &str) -> Result<String, Error> {
    let key = cx.secrets.get(cx, SECRET_NAME, SECRET_BYTES).await?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).map_err(Error::internal)?;
    mac.update(pre_session.as_bytes());
    mac.update(b"|");
    mac.update(form.as_bytes());
    Ok(URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes()))
}

/// Whether `token` is the token of `form` for `pre_session` (an empty cookie never is).
pub async fn csrf_valid(
    cx: &Cx,
    pre_session: &str,
    form: &str,
    token: &str,
) -> Result<bool, Error> {
    if pre_session.is_empty() {
        return Ok(false);
    }
    let expected = csrf_token(cx, pre_session, form).await?;
    Ok(bool::from(expected.as_bytes().ct_eq(token.as_bytes())))
}
