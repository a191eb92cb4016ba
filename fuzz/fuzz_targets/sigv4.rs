//! SigV4: the `Authorization` header parser, `X-Amz-Date` parsing (which must round-trip),
//! and the whole verifier on a request built from the input (signed by the harness when
//! it carries no signature, so that the canonical request sees hostile paths and headers).
#![no_main]

use libfuzzer_sys::fuzz_target;
use monban_server::fuzzing;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut lines = text.lines();
    let _ = fuzzing::parse_authorization_ok(lines.next().unwrap_or_default());
    let date = lines.next().unwrap_or_default();
    if let Some(ms) = fuzzing::parse_amz_date(date) {
        assert_eq!(fuzzing::format_amz_date(ms), date, "X-Amz-Date round trip");
    }
    let _ = fuzzing::sigv4_request(data);
});
