//! Redirect URIs: the check of a client's CallbackURLs/LogoutURLs, and the exact match
//! `/oauth2/authorize` makes against them. Input: `registered\nrequested`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use monban_core::pool_config::check_redirect_url;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (registered, requested) = text.split_once('\n').unwrap_or((text, text));
    let accepted = check_redirect_url(registered, "CallbackURLs").is_ok();
    if accepted {
        // What the check lets through is absolute, fragment-free, and http only on loopback.
        assert!(registered.contains(':') && !registered.contains('#'));
        if registered
            .get(..5)
            .is_some_and(|s| s.eq_ignore_ascii_case("http:"))
        {
            // The host as a browser reads it: the authority ends at `/`, `?`, `#` or `\`.
            let authority = registered[5..].trim_start_matches(['/', '\\']);
            let authority = authority
                .split(['/', '?', '#', '\\'])
                .next()
                .unwrap_or_default();
            let host_port = authority.rsplit('@').next().unwrap_or_default();
            let host = if host_port.starts_with('[') {
                host_port.split(']').next().unwrap_or_default().to_owned() + "]"
            } else {
                host_port.split(':').next().unwrap_or_default().to_owned()
            };
            assert!(
                matches!(
                    host.to_ascii_lowercase().as_str(),
                    "localhost" | "127.0.0.1" | "[::1]"
                ),
                "http redirect to a host that is not loopback: {registered}"
            );
        }
    }
    let _ = check_redirect_url(requested, "redirect_uri");
});
