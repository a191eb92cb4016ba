//! Server-side verification of AWS Signature Version 4 (`Authorization` header form), with
//! the errors AWS's JSON services answer. Only a successful check makes an [`Iam`].

pub(crate) mod amz_date;
pub mod canonical;

use monban_core::{Error, Iam};
use monban_wire::ErrorKind;
use subtle::ConstantTimeEq;

use crate::app::AdminKey;
pub use canonical::RequestParts;
use canonical::{canonical_request, sha256_hex, signature, signing_key, string_to_sign, ALGORITHM};

/// How far `X-Amz-Date` may be from the server's clock, either way.
const MAX_SKEW_MS: i64 = 15 * 60 * 1000;

/// The parts of an `Authorization: AWS4-HMAC-SHA256 ...` header.
#[derive(Debug, PartialEq, Eq)]
pub struct Authorization<'a> {
    pub access_key_id: &'a str,
    /// `YYYYMMDD` of the credential scope.
    pub date: &'a str,
    pub region: &'a str,
    pub service: &'a str,
    pub signed_headers: Vec<&'a str>,
    pub signature: &'a str,
}

impl Authorization<'_> {
    fn scope(&self) -> String {
        format!(
            "{}/{}/{}/aws4_request",
            self.date, self.region, self.service
        )
    }
}

/// Checks for one request.
pub struct Verifier<'a> {
    pub keys: &'a [AdminKey],
    /// Epoch milliseconds, from `cx.clock`.
    pub now_ms: i64,
    /// Accept any well-formed `Authorization` header from any key (development only).
    pub dev: bool,
}

fn incomplete(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::IncompleteSignatureException, message)
}

fn invalid(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidSignatureException, message)
}

pub fn missing_token() -> Error {
    Error::new(
        ErrorKind::MissingAuthenticationTokenException,
        "Missing Authentication Token",
    )
}

/// Parses the `Authorization` header value. Never echoes the header: a bearer token sent
/// by mistake must not come back in an error message or a log line.
pub fn parse_authorization(value: &str) -> Result<Authorization<'_>, Error> {
    let rest = value
        .strip_prefix(ALGORITHM)
        .filter(|rest| rest.starts_with([' ', '\t']))
        .ok_or_else(|| {
            incomplete(format!(
                "Authorization header requires the '{ALGORITHM}' signing algorithm."
            ))
        })?;
    let (mut credential, mut signed_headers, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let Some((name, value)) = part.split_once('=') else {
            return Err(incomplete(
                "Authorization header contains a parameter that is not a key=value pair.",
            ));
        };
        match name.trim() {
            "Credential" => credential = Some(value.trim()),
            "SignedHeaders" => signed_headers = Some(value.trim()),
            "Signature" => signature = Some(value.trim()),
            _ => {}
        }
    }
    let mut missing = Vec::new();
    for (name, value) in [
        ("Credential", credential),
        ("Signature", signature),
        ("SignedHeaders", signed_headers),
    ] {
        if value.is_none_or(str::is_empty) {
            missing.push(format!("Authorization header requires '{name}' parameter."));
        }
    }
    let (Some(credential), Some(signed_headers), Some(signature), true) =
        (credential, signed_headers, signature, missing.is_empty())
    else {
        return Err(incomplete(missing.join(" ")));
    };
    let parts: Vec<&str> = credential.split('/').collect();
    let [access_key_id, date, region, service, terminator] = parts[..] else {
        return Err(incomplete(format!(
            "Credential must have exactly 5 slash-delimited elements, e.g. \
             keyid/date/region/service/term, got '{credential}'"
        )));
    };
    if terminator != "aws4_request" {
        return Err(incomplete(format!(
            "Credential should be scoped with a valid terminator: 'aws4_request', not \
             '{terminator}'."
        )));
    }
    if [access_key_id, date, region, service].contains(&"") {
        return Err(incomplete(format!(
            "Credential has an empty element: '{credential}'"
        )));
    }
    let signed_headers: Vec<&str> = signed_headers.split(';').collect();
    if signed_headers
        .iter()
        .any(|h| h.is_empty() || h.bytes().any(|b| b.is_ascii_uppercase()))
    {
        return Err(incomplete(
            "SignedHeaders must be a ';'-separated list of lower-case header names.",
        ));
    }
    Ok(Authorization {
        access_key_id,
        date,
        region,
        service,
        signed_headers,
        signature,
    })
}

fn header<'a>(req: &RequestParts<'a>, name: &str) -> Result<Option<&'a str>, Error> {
    match req.headers.get(name) {
        None => Ok(None),
        Some(v) => v
            .to_str()
            .map(Some)
            .map_err(|_| incomplete(format!("The '{name}' header is not valid text."))),
    }
}

impl Verifier<'_> {
    /// Verifies the request's signature for `service` (`cognito-idp`, `cognito-identity`).
    pub fn verify(&self, req: &RequestParts<'_>, body: &[u8], service: &str) -> Result<Iam, Error> {
        let value = header(req, "authorization")?.ok_or_else(missing_token)?;
        let auth = parse_authorization(value)?;
        if self.dev {
            return Ok(Iam {
                access_key_id: auth.access_key_id.to_owned(),
            });
        }
        let amz_date = self.check_scope(req, &auth, Some(service))?;
        // The target names the operation: unsigned, a captured DescribeUserPool could be
        // replayed as DeleteUserPool with the same body. Every SDK signs it.
        if req.headers.contains_key("x-amz-target")
            && !auth.signed_headers.contains(&"x-amz-target")
        {
            return Err(incomplete(
                "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.",
            ));
        }
        let key = self
            .keys
            .iter()
            .find(|k| k.access_key_id == auth.access_key_id)
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::UnrecognizedClientException,
                    "The security token included in the request is invalid.",
                )
            })?;
        self.check_signature(req, body, &auth, amz_date, &key.secret_access_key)?;
        Ok(Iam {
            access_key_id: key.access_key_id.clone(),
        })
    }

    /// Everything but the signature itself: `X-Amz-Date` present, well-formed, matching the
    /// credential scope and within the allowed skew; `host` signed; the scope's service is
    /// `service` when one is required. Returns the `X-Amz-Date` value.
    pub fn check_scope<'r>(
        &self,
        req: &RequestParts<'r>,
        auth: &Authorization<'_>,
        service: Option<&str>,
    ) -> Result<&'r str, Error> {
        let amz_date = header(req, "x-amz-date")?.ok_or_else(|| {
            incomplete("Authorization header requires existence of a 'X-Amz-Date' header.")
        })?;
        let signed_at = amz_date::parse(amz_date).ok_or_else(|| {
            incomplete(format!(
                "Date must be in ISO-8601 'basic format'. Got '{amz_date}'. See \
                 http://en.wikipedia.org/wiki/ISO_8601"
            ))
        })?;
        if !auth.signed_headers.contains(&"host") {
            return Err(incomplete(
                "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
            ));
        }
        if let Some(service) = service.filter(|s| auth.service != *s) {
            return Err(invalid(format!(
                "Credential should be scoped to correct service: '{service}'. "
            )));
        }
        let http_date = amz_date.get(..8).unwrap_or_default();
        if auth.date != http_date {
            return Err(invalid(format!(
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of \
                 date from HTTP: '{}' != '{http_date}', from '{amz_date}'.",
                auth.date
            )));
        }
        self.check_skew(amz_date, signed_at)?;
        Ok(amz_date)
    }

    /// The signature check proper, with the secret of the request's access key (an admin
    /// key's, or the one inside a session token).
    pub fn check_signature(
        &self,
        req: &RequestParts<'_>,
        body: &[u8],
        auth: &Authorization<'_>,
        amz_date: &str,
        secret_access_key: &str,
    ) -> Result<(), Error> {
        let payload_hash = sha256_hex(body);
        if let Some(claimed) = header(req, "x-amz-content-sha256")? {
            // The body must be the one signed: `UNSIGNED-PAYLOAD` is refused too.
            if !claimed.eq_ignore_ascii_case(&payload_hash) {
                return Err(invalid(
                    "The provided 'x-amz-content-sha256' header does not match what was \
                     computed.",
                ));
            }
        }
        let creq = canonical_request(req, &auth.signed_headers, &payload_hash);
        let sts = string_to_sign(amz_date, &auth.scope(), &creq);
        let k = signing_key(secret_access_key, auth.date, auth.region, auth.service);
        let expected = signature(&k, &sts);
        if bool::from(expected.as_bytes().ct_eq(auth.signature.as_bytes())) {
            Ok(())
        } else {
            Err(invalid(
                "The request signature we calculated does not match the signature you \
                 provided. Check your AWS Secret Access Key and signing method. Consult the \
                 service documentation for details.",
            ))
        }
    }

    fn check_skew(&self, amz_date: &str, signed_at: i64) -> Result<(), Error> {
        let now = amz_date::format(self.now_ms);
        if signed_at < self.now_ms - MAX_SKEW_MS {
            return Err(invalid(format!(
                "Signature expired: {amz_date} is now earlier than {} ({now} - 15 min.)",
                amz_date::format(self.now_ms - MAX_SKEW_MS)
            )));
        }
        if signed_at > self.now_ms + MAX_SKEW_MS {
            return Err(invalid(format!(
                "Signature not yet current: {amz_date} is still later than {} ({now} + 15 \
                 min.)",
                amz_date::format(self.now_ms + MAX_SKEW_MS)
            )));
        }
        Ok(())
    }
}

/// Signs a request as an SDK would, so tests can drive the verifier and the router.
#[cfg(test)]
pub fn sign(
    req: &RequestParts<'_>,
    body: &[u8],
    key: &AdminKey,
    amz_date: &str,
    region: &str,
    service: &str,
    signed_headers: &[&str],
) -> String {
    let date = amz_date.get(..8).unwrap_or_default();
    let scope = format!("{date}/{region}/{service}/aws4_request");
    let creq = canonical_request(req, signed_headers, &sha256_hex(body));
    let sts = string_to_sign(amz_date, &scope, &creq);
    let sig = signature(
        &signing_key(&key.secret_access_key, date, region, service),
        &sts,
    );
    format!(
        "{ALGORITHM} Credential={}/{scope}, SignedHeaders={}, Signature={sig}",
        key.access_key_id,
        signed_headers.join(";")
    )
}

#[cfg(test)]
mod tests;
