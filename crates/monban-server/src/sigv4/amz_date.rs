//! `X-Amz-Date` timestamps (ISO 8601 basic format, `20150830T123600Z`) to and from epoch
//! milliseconds, without a date crate: the proleptic Gregorian calendar in UTC is enough.

use monban_core::calendar::{civil_from_days, days_from_civil, days_in_month};

/// Epoch milliseconds of an `X-Amz-Date` value, `None` unless it is exactly `YYYYMMDDTHHMMSSZ`.
pub fn parse(value: &str) -> Option<i64> {
    let b = value.as_bytes();
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let digits = value.get(range)?;
        if !digits.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        digits.parse().ok()
    };
    let (year, month, day) = (num(0..4)?, num(4..6)?, num(6..8)?);
    let (hour, minute, second) = (num(9..11)?, num(11..13)?, num(13..15)?);
    if !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }
    let days = days_from_civil(year, month, day);
    Some(((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000)
}

/// The `X-Amz-Date` form of epoch milliseconds (fractions of a second are dropped).
pub fn format(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}{month:02}{day:02}T{:02}{:02}{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_instants() {
        assert_eq!(parse("19700101T000000Z"), Some(0));
        assert_eq!(parse("20150830T123600Z"), Some(1_440_938_160_000));
        assert_eq!(parse("20000229T235959Z"), Some(951_868_799_000));
        assert_eq!(format(1_440_938_160_999), "20150830T123600Z");
        assert_eq!(format(951_868_799_000), "20000229T235959Z");
    }

    #[test]
    fn round_trips_across_years() {
        let mut ms = -86_400_000 * 400;
        while ms < 4_102_444_800_000 {
            assert_eq!(parse(&format(ms)), Some(ms), "{}", format(ms));
            ms += 86_400_000 * 7 + 3_661_000;
        }
    }

    #[test]
    fn rejects_malformed_values() {
        for bad in [
            "",
            "20150830T123600",
            "2015-08-30T12:36:00Z",
            "20150830t123600Z",
            "20151330T123600Z",
            "20150230T123600Z",
            "20190229T000000Z",
            "20150830T246000Z",
            "2015083OT123600Z",
            "+0150830T123600Z",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }
}
