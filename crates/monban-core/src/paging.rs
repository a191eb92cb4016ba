//! Opaque pagination tokens: the last key of a page, so that a page stays correct while
//! rows are added before or after it.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use crate::error::Error;

pub fn encode_token(last_key: &str) -> String {
    URL_SAFE_NO_PAD.encode(last_key.as_bytes())
}

pub fn decode_token(token: Option<&str>) -> Result<Option<String>, Error> {
    let Some(token) = token else { return Ok(None) };
    URL_SAFE_NO_PAD
        .decode(token)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .map(Some)
        .ok_or_else(|| Error::invalid_parameter("Invalid pagination token."))
}

/// The page size from an optional limit, with Cognito's default and maximum.
pub fn page_size(limit: Option<i32>, default: usize) -> usize {
    match limit {
        Some(n) if n > 0 => usize::try_from(n).unwrap_or(default),
        _ => default,
    }
}

/// A page read with one row more than `limit` (so that one query tells whether more
/// follow): the page, and the token naming its last item when more follow.
pub fn split_page<T>(
    mut items: Vec<T>,
    limit: usize,
    key: impl Fn(&T) -> &str,
) -> (Vec<T>, Option<String>) {
    if items.len() > limit {
        items.truncate(limit);
        let token = items.last().map(|item| encode_token(key(item)));
        (items, token)
    } else {
        (items, None)
    }
}
