//! Reading STS's XML answers: the `Credentials` of `AssumeRoleWithWebIdentityResponse`, and
//! the `Code`/`Message` of an `ErrorResponse`. STS answers are small, flat and without
//! namespace prefixes, so a scan for elements by name is enough; no XML library needed.

use super::TemporaryCredentials;
use crate::calendar::days_from_civil;

/// An STS error answer (`Sender`/`Receiver` faults such as `AccessDenied`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StsError {
    pub code: String,
    pub message: String,
}

/// The credentials of a successful `AssumeRoleWithWebIdentity` answer.
pub fn parse_assume_role_response(xml: &str) -> Result<TemporaryCredentials, String> {
    let result = element(xml, "AssumeRoleWithWebIdentityResult")
        .ok_or("no AssumeRoleWithWebIdentityResult element")?;
    let credentials = element(result, "Credentials").ok_or("no Credentials element")?;
    let field = |name: &str| -> Result<String, String> {
        element(credentials, name)
            .map(unescape)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
            .ok_or_else(|| format!("Credentials has no {name}"))
    };
    let expiration = field("Expiration")?;
    let expires_ms = parse_iso8601(&expiration)
        .ok_or_else(|| format!("Expiration {expiration:?} is not an ISO 8601 time"))?;
    Ok(TemporaryCredentials {
        access_key_id: field("AccessKeyId")?,
        secret_access_key: field("SecretAccessKey")?,
        session_token: field("SessionToken")?,
        expires_ms,
    })
}

/// The code and message of an error answer; empty strings for a body that is not one (a
/// proxy's HTML page, say).
pub fn parse_error_response(xml: &str) -> StsError {
    let error = element(xml, "Error").unwrap_or_default();
    let text = |name| element(error, name).map(unescape).unwrap_or_default();
    StsError {
        code: text("Code").trim().to_owned(),
        message: text("Message").trim().to_owned(),
    }
}

/// The content of the first element called `name` (`<name>`, `<name attr="…">`, `<name/>`).
fn element<'a>(xml: &'a str, name: &str) -> Option<&'a str> {
    let open = format!("<{name}");
    let mut from = 0;
    while let Some(found) = xml.get(from..)?.find(&open) {
        let start = from + found + open.len();
        let rest = xml.get(start..)?;
        // `<Credentials>` must not match `<CredentialsX>`.
        match rest.chars().next()? {
            '>' => {
                let content = rest.get(1..)?;
                let end = content.find(&format!("</{name}>"))?;
                return content.get(..end);
            }
            c if c.is_whitespace() || c == '/' => {
                let tag_end = rest.find('>')?;
                if rest.get(..tag_end)?.ends_with('/') {
                    return Some("");
                }
                let content = rest.get(tag_end + 1..)?;
                let end = content.find(&format!("</{name}>"))?;
                return content.get(..end);
            }
            _ => from = start,
        }
    }
    None
}

/// XML's five named entities and numeric character references.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp..];
        let Some(semi) = after.find(';') else {
            out.push_str(after);
            return out;
        };
        let entity = &after[1..semi];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .map(|hex| u32::from_str_radix(hex, 16))
                .or_else(|| entity.strip_prefix('#').map(str::parse))
                .and_then(Result::ok)
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => out.push(c),
            None => out.push_str(&after[..=semi]),
        }
        rest = &after[semi + 1..];
    }
    out.push_str(rest);
    out
}

/// Epoch milliseconds of `YYYY-MM-DDTHH:MM:SS[.fff…](Z|±HH:MM)`, as STS writes Expiration.
fn parse_iso8601(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let digits = text.get(range)?;
        digits
            .bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| digits.parse().ok())?
    };
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut rest = text.get(19..)?;
    let mut millis = 0;
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        let padded = format!("{:0<3}", fraction.get(..digits.min(3))?);
        millis = padded.parse::<i64>().ok()?;
        rest = fraction.get(digits..)?;
    }
    let offset_minutes = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let (h, m) = rest.get(1..)?.split_once(':')?;
            if h.len() != 2 || m.len() != 2 {
                return None;
            }
            sign * (h.parse::<i64>().ok()? * 60 + m.parse::<i64>().ok()?)
        }
    };
    let days = days_from_civil(year, month, day);
    let secs = ((days * 24 + hour) * 60 + minute - offset_minutes) * 60 + second;
    Some(secs * 1000 + millis)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    /// AWS's documented example answer.
    const AWS_ANSWER: &str = r#"<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult>
    <SubjectFromWebIdentityToken>amzn1.account.AF6RHO7KZU5XRVQJGXK6HB56KR2A</SubjectFromWebIdentityToken>
    <Audience>client.5498841531868486423.1548@apps.example.com</Audience>
    <AssumedRoleUser>
      <Arn>arn:aws:sts::123456789012:assumed-role/FederatedWebIdentityRole/app1</Arn>
      <AssumedRoleId>AROACLKWSDQRAOEXAMPLE:app1</AssumedRoleId>
    </AssumedRoleUser>
    <Credentials>
      <SessionToken>AQoDYXdzEE0a8ANXXXXXXXXNO1ewxE5TijQyp+IEXAMPLE</SessionToken>
      <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>
      <Expiration>2014-10-24T23:00:23Z</Expiration>
      <AccessKeyId>ASgeIAIOSFODNN7EXAMPLE</AccessKeyId>
    </Credentials>
    <SourceIdentity>SourceIdentityValue</SourceIdentity>
    <Provider>www.amazon.com</Provider>
  </AssumeRoleWithWebIdentityResult>
  <ResponseMetadata>
    <RequestId>ad4156e9-bce1-11e2-82e6-6b6efEXAMPLE</RequestId>
  </ResponseMetadata>
</AssumeRoleWithWebIdentityResponse>"#;

    #[test]
    fn reads_the_credentials_of_an_aws_answer() {
        let c = parse_assume_role_response(AWS_ANSWER).unwrap();
        assert_eq!(c.access_key_id, "ASgeIAIOSFODNN7EXAMPLE");
        assert_eq!(
            c.secret_access_key,
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"
        );
        assert_eq!(
            c.session_token,
            "AQoDYXdzEE0a8ANXXXXXXXXNO1ewxE5TijQyp+IEXAMPLE"
        );
        // date -u -d 2014-10-24T23:00:23Z +%s
        assert_eq!(c.expires_ms, 1_414_191_623_000);
    }

    #[test]
    fn reads_escaped_values_and_fractional_expiry_as_moto_writes_them() {
        let xml = "<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult>\
                   <Credentials>\n<SessionToken>FQo&amp;Gb&#x2F;x&#61;</SessionToken>\
                   <SecretAccessKey>s&lt;e&gt;c</SecretAccessKey>\
                   <Expiration>2024-02-29T12:00:00.250Z</Expiration>\
                   <AccessKeyId> ASIAMOTO </AccessKeyId></Credentials>\
                   </AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>";
        let c = parse_assume_role_response(xml).unwrap();
        assert_eq!(c.session_token, "FQo&Gb/x=");
        assert_eq!(c.secret_access_key, "s<e>c");
        assert_eq!(c.access_key_id, "ASIAMOTO");
        // date -u -d 2024-02-29T12:00:00Z +%s
        assert_eq!(c.expires_ms, 1_709_208_000_250);
    }

    #[test]
    fn a_missing_field_is_an_error_naming_it() {
        let xml = AWS_ANSWER.replace("<AccessKeyId>ASgeIAIOSFODNN7EXAMPLE</AccessKeyId>", "");
        let e = parse_assume_role_response(&xml).unwrap_err();
        assert!(e.contains("AccessKeyId"), "{e}");
        let xml = AWS_ANSWER.replace("2014-10-24T23:00:23Z", "tomorrow");
        assert!(parse_assume_role_response(&xml).is_err());
        assert!(parse_assume_role_response("<html>502</html>").is_err());
        assert!(parse_assume_role_response("").is_err());
    }

    #[test]
    fn reads_an_error_answer() {
        let xml = r#"<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error>
    <Type>Sender</Type>
    <Code>AccessDenied</Code>
    <Message>Not authorized to perform sts:AssumeRoleWithWebIdentity &amp; more</Message>
  </Error>
  <RequestId>4b9a2e0b-0000-0000-0000-000000000000</RequestId>
</ErrorResponse>"#;
        assert_eq!(
            parse_error_response(xml),
            StsError {
                code: "AccessDenied".to_owned(),
                message: "Not authorized to perform sts:AssumeRoleWithWebIdentity & more"
                    .to_owned(),
            }
        );
        assert_eq!(parse_error_response("Bad Gateway").code, "");
    }

    #[test]
    fn elements_match_whole_names_attributes_and_empty_tags() {
        assert_eq!(element("<AB>x</AB><A>y</A>", "A"), Some("y"));
        assert_eq!(element(r#"<A k="v">y</A>"#, "A"), Some("y"));
        assert_eq!(element("<A/><A>y</A>", "A"), Some(""));
        assert_eq!(element("<A>unterminated", "A"), None);
        assert_eq!(element("", "A"), None);
    }

    #[test]
    fn iso8601_times() {
        assert_eq!(parse_iso8601("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_iso8601("1970-01-01T00:00:01.5Z"), Some(1500));
        assert_eq!(parse_iso8601("1970-01-01T01:00:00+01:00"), Some(0));
        assert_eq!(parse_iso8601("1969-12-31T23:00:00-01:00"), Some(0));
        assert_eq!(
            parse_iso8601("2000-03-01T00:00:00.123456Z"),
            Some(951_868_800_123)
        );
        for bad in [
            "",
            "2014-10-24",
            "2014-13-24T23:00:23Z",
            "2014-10-24T23:00:23",
            "2014-10-24T23:00:23.Z",
            "x014-10-24T23:00:23Z",
        ] {
            assert_eq!(parse_iso8601(bad), None, "{bad}");
        }
    }
}
