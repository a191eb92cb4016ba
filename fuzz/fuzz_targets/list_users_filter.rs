//! The ListUsers `Filter` parser.
#![no_main]

use libfuzzer_sys::fuzz_target;
use monban_core::users::parse_filter;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(Some(filter)) = parse_filter(Some(text)) {
        // A parsed value comes from inside the filter's quotes.
        assert!(filter.value.chars().count() <= text.chars().count());
    }
});
