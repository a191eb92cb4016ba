//! The `TIMESTAMP` of a password claim: `EEE MMM d HH:mm:ss 'UTC' yyyy` in English and UTC,
//! day not zero-padded (`Tue Mar 4 05:06:07 UTC 2025`), as amazon-cognito-identity-js and
//! pycognito write it. The signature covers the canonical rendering of the parsed time, as
//! Cognito's does, so a non-canonical spelling (`Mar 04`) parses but fails the signature.

use crate::calendar::{civil_from_days, days_from_civil, days_in_month};

/// How far the client's TIMESTAMP may be from the server's clock. Cognito does not document
/// it; clients more than about five minutes off are reported to fail there too.
pub const MAX_TIMESTAMP_SKEW_MS: i64 = 5 * 60 * 1000;

const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

const MS_PER_DAY: i64 = 86_400_000;

/// Epoch milliseconds of a TIMESTAMP, or `None` if it is not in Cognito's format. The weekday
/// must be a weekday name but is not checked against the date: the canonical re-rendering
/// (which the signature covers) carries the right one.
pub fn parse_timestamp(text: &str) -> Option<i64> {
    let mut fields = text.split(' ');
    let weekday = fields.next()?;
    let month = fields.next()?;
    let day = fields.next()?;
    let time = fields.next()?;
    let zone = fields.next()?;
    let year = fields.next()?;
    if fields.next().is_some() || zone != "UTC" || !WEEKDAYS.contains(&weekday) {
        return None;
    }
    let month = i64::try_from(MONTHS.iter().position(|m| *m == month)?).ok()? + 1;
    let year = number(year, 4, 4)?;
    let day = number(day, 1, 2)?;
    if year < 1 || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let mut hms = time.split(':');
    let hours = number(hms.next()?, 2, 2)?;
    let minutes = number(hms.next()?, 2, 2)?;
    let seconds = number(hms.next()?, 2, 2)?;
    if hms.next().is_some() || hours > 23 || minutes > 59 || seconds > 59 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    Some(days * MS_PER_DAY + ((hours * 60 + minutes) * 60 + seconds) * 1000)
}

/// The canonical TIMESTAMP for an instant (milliseconds are dropped).
pub fn render_timestamp(epoch_ms: i64) -> String {
    let days = epoch_ms.div_euclid(MS_PER_DAY);
    let secs = epoch_ms.rem_euclid(MS_PER_DAY) / 1000;
    let (year, month, day) = civil_from_days(days);
    // 1970-01-01 was a Thursday.
    let weekday = WEEKDAYS[usize::try_from((days + 4).rem_euclid(7)).unwrap_or(0)];
    let month = MONTHS[usize::try_from(month - 1).unwrap_or(0)];
    format!(
        // Four digits, as parse_timestamp requires (years before 1000 are no client's, but
        // the rendering must parse back to the instant).
        "{weekday} {month} {day} {:02}:{:02}:{:02} UTC {year:04}",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// Decimal digits only (no sign, no spaces), between `min` and `max` of them.
fn number(text: &str, min: usize, max: usize) -> Option<i64> {
    if text.len() < min || text.len() > max || !text.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_and_parses_the_vector_timestamps() {
        for text in [
            "Tue Mar 4 05:06:07 UTC 2025",
            "Sun Dec 21 23:59:09 UTC 2025",
        ] {
            let ms = parse_timestamp(text);
            assert!(ms.is_some(), "{text}");
            assert_eq!(render_timestamp(ms.unwrap_or_default()), text);
        }
        assert_eq!(
            parse_timestamp("Tue Mar 4 05:06:07 UTC 2025"),
            Some(1_741_064_767_000)
        );
        assert_eq!(render_timestamp(0), "Thu Jan 1 00:00:00 UTC 1970");
        assert_eq!(
            render_timestamp(951_782_400_000),
            "Tue Feb 29 00:00:00 UTC 2000"
        );
        assert_eq!(render_timestamp(-1000), "Wed Dec 31 23:59:59 UTC 1969");
        // Found by the `srp` fuzz target: a year below 1000 rendered unpadded did not parse.
        let early = parse_timestamp("Tue Mar 4 05:06:07 UTC 0025").unwrap_or_default();
        assert_eq!(render_timestamp(early), "Tue Mar 4 05:06:07 UTC 0025");
        assert_eq!(parse_timestamp(&render_timestamp(early)), Some(early));
    }

    #[test]
    fn round_trips_every_day_over_decades() {
        let mut ms = parse_timestamp("Sat Jan 1 12:34:56 UTC 2000").unwrap_or_default();
        for _ in 0..(366 * 60) {
            assert_eq!(parse_timestamp(&render_timestamp(ms)), Some(ms));
            ms += MS_PER_DAY;
        }
    }

    #[test]
    fn non_canonical_spellings_parse_to_the_same_instant() {
        // Zero-padded day and a wrong weekday parse; the canonical rendering differs.
        let canonical = parse_timestamp("Sat Apr 5 01:02:03 UTC 2025");
        assert_eq!(parse_timestamp("Sat Apr 05 01:02:03 UTC 2025"), canonical);
        assert_eq!(parse_timestamp("Mon Apr 5 01:02:03 UTC 2025"), canonical);
    }

    #[test]
    fn rejects_malformed_timestamps() {
        for text in [
            "",
            "Tue Mar 4 05:06:07 UTC",
            "Tue Mar 4 05:06:07 GMT 2025",
            "Tue Mar 4 05:06:07 UTC 2025 ",
            "Tue  Mar 4 05:06:07 UTC 2025",
            "Tue Mar 4 5:06:07 UTC 2025",
            "Tue Mar 4 05:06 UTC 2025",
            "Tue Mar 4 05:06:07:08 UTC 2025",
            "Tue Mar 4 24:00:00 UTC 2025",
            "Tue Mar 4 23:60:00 UTC 2025",
            "Tue Mar 4 23:00:60 UTC 2025",
            "Tue Mar 0 05:06:07 UTC 2025",
            "Tue Mar 32 05:06:07 UTC 2025",
            "Tue Feb 29 05:06:07 UTC 2025",
            "Tue Mar 004 05:06:07 UTC 2025",
            "Tue Mar +4 05:06:07 UTC 2025",
            "Tue March 4 05:06:07 UTC 2025",
            "Tuesday Mar 4 05:06:07 UTC 2025",
            "tue mar 4 05:06:07 UTC 2025",
            "Tue Mar 4 05:06:07 UTC 25",
            "Tue Mar 4 05:06:07 UTC 0000",
            "2025-03-04T05:06:07Z",
        ] {
            assert_eq!(parse_timestamp(text), None, "{text:?}");
        }
        assert!(parse_timestamp("Thu Feb 29 05:06:07 UTC 2024").is_some());
    }
}
