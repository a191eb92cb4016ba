//! Decoding a request body: JSON syntax and types (`SerializationException`), then the
//! model's constraints (`InvalidParameterException` in Coral's words), then the typed struct.

use std::sync::OnceLock;

use regex::Regex;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::schema::{Operation, Shape, ShapeKind};
use crate::ErrorKind;

/// One service's tables.
pub struct Service {
    pub target_prefix: &'static str,
    pub operations: &'static [Operation],
    pub shapes: &'static [Shape],
    patterns: OnceLock<Vec<OnceLock<Option<Regex>>>>,
}

pub static IDP: Service = Service {
    target_prefix: crate::idp::TARGET_PREFIX,
    operations: crate::idp::OPERATIONS,
    shapes: crate::idp::SHAPES,
    patterns: OnceLock::new(),
};

pub static IDENTITY: Service = Service {
    target_prefix: crate::identity::TARGET_PREFIX,
    operations: crate::identity::OPERATIONS,
    shapes: crate::identity::SHAPES,
    patterns: OnceLock::new(),
};

impl Service {
    /// The operation of this name, if the model has one.
    pub fn operation(&self, name: &str) -> Option<&'static Operation> {
        let ops: &'static [Operation] = self.operations;
        ops.binary_search_by(|op| op.name.cmp(name))
            .ok()
            .map(|i| &ops[i])
    }

    fn pattern(&self, shape: usize, source: &str) -> Option<&Regex> {
        let cells = self
            .patterns
            .get_or_init(|| self.shapes.iter().map(|_| OnceLock::new()).collect());
        cells
            .get(shape)?
            .get_or_init(|| Regex::new(&format!("^(?:{source})$")).ok())
            .as_ref()
    }
}

/// Why a request body could not be decoded; the message is safe to return to the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    pub kind: ErrorKind,
    pub message: String,
}

impl DecodeError {
    fn serialization(message: impl Into<String>) -> Self {
        Self {
            kind: ErrorKind::SerializationException,
            message: message.into(),
        }
    }
}

/// Decodes and validates the body of `op` into its request struct.
pub fn decode<T: DeserializeOwned>(
    service: &Service,
    op: &Operation,
    body: &[u8],
) -> Result<T, DecodeError> {
    let value: Value = if body.iter().all(u8::is_ascii_whitespace) {
        Value::Object(Default::default())
    } else {
        serde_json::from_slice(body)
            .map_err(|e| DecodeError::serialization(format!("Malformed request body: {e}")))?
    };
    if !value.is_object() {
        return Err(DecodeError::serialization(
            "The request body must be a JSON object",
        ));
    }
    let mut value = value;
    drop_null_map_values(service, op.input, &mut value);
    check_types(service, op.input, &value, "")?;
    let mut violations = Vec::new();
    check_constraints(service, op.input, &value, "", &mut violations);
    if !violations.is_empty() {
        let count = violations.len();
        let noun = if count == 1 { "error" } else { "errors" };
        return Err(DecodeError {
            kind: ErrorKind::InvalidParameterException,
            message: format!(
                "{count} validation {noun} detected: {}",
                violations.join("; ")
            ),
        });
    }
    serde_json::from_value(value)
        .map_err(|e| DecodeError::serialization(format!("Malformed request body: {e}")))
}

fn type_error(path: &str, expected: &str) -> DecodeError {
    let at = if path.is_empty() {
        "the request".to_owned()
    } else {
        format!("'{path}'")
    };
    DecodeError::serialization(format!(
        "Unexpected value type at {at}: expected {expected}"
    ))
}

fn child(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

/// Removes map entries whose value is null, as the service treats them as absent:
/// amazon-cognito-identity-js sends `"DEVICE_KEY": null` in `AuthParameters` when it knows
/// no device.
fn drop_null_map_values(service: &Service, shape: usize, value: &mut Value) {
    let Some(s) = service.shapes.get(shape) else {
        return;
    };
    match (&s.kind, value) {
        (ShapeKind::Structure(members), Value::Object(obj)) => {
            for m in *members {
                if let Some(v) = obj.get_mut(m.name) {
                    drop_null_map_values(service, m.shape, v);
                }
            }
        }
        (ShapeKind::List { member, .. }, Value::Array(items)) => {
            for v in items {
                drop_null_map_values(service, *member, v);
            }
        }
        (ShapeKind::Map { value: vshape, .. }, Value::Object(obj)) => {
            obj.retain(|_, v| !v.is_null());
            for v in obj.values_mut() {
                drop_null_map_values(service, *vshape, v);
            }
        }
        _ => {}
    }
}

/// Checks JSON types only, so that a wrong type is a `SerializationException` as in Coral.
fn check_types(
    service: &Service,
    shape: usize,
    value: &Value,
    path: &str,
) -> Result<(), DecodeError> {
    if value.is_null() {
        return Ok(());
    }
    let Some(s) = service.shapes.get(shape) else {
        return Ok(());
    };
    match &s.kind {
        ShapeKind::Structure(members) => {
            let obj = value
                .as_object()
                .ok_or_else(|| type_error(path, "an object"))?;
            for m in *members {
                if let Some(v) = obj.get(m.name) {
                    check_types(service, m.shape, v, &child(path, m.path))?;
                }
            }
        }
        ShapeKind::List { member, .. } => {
            let items = value.as_array().ok_or_else(|| type_error(path, "a list"))?;
            for (i, v) in items.iter().enumerate() {
                if v.is_null() {
                    return Err(type_error(path, "a list without null elements"));
                }
                check_types(service, *member, v, &format!("{}.{}.member", path, i + 1))?;
            }
        }
        ShapeKind::Map { value: vshape, .. } => {
            let obj = value.as_object().ok_or_else(|| type_error(path, "a map"))?;
            for (k, v) in obj {
                check_types(service, *vshape, v, &format!("{path}.{k}.member"))?;
            }
        }
        ShapeKind::String { .. } | ShapeKind::Blob { .. } => {
            value.as_str().ok_or_else(|| type_error(path, "a string"))?;
        }
        ShapeKind::Integer { .. } => {
            let n = value
                .as_i64()
                .ok_or_else(|| type_error(path, "an integer"))?;
            i32::try_from(n).map_err(|_| type_error(path, "a 32-bit integer"))?;
        }
        ShapeKind::Long { .. } => {
            value
                .as_i64()
                .ok_or_else(|| type_error(path, "an integer"))?;
        }
        ShapeKind::Boolean => {
            value
                .as_bool()
                .ok_or_else(|| type_error(path, "a boolean"))?;
        }
        ShapeKind::Timestamp => {
            value
                .as_f64()
                .ok_or_else(|| type_error(path, "a timestamp in epoch seconds"))?;
        }
        ShapeKind::Document => {}
    }
    Ok(())
}

fn shown(shape: &Shape, value: &Value, path: &str) -> String {
    if shape.sensitive {
        return format!("Value at '{path}'");
    }
    match value {
        Value::String(s) => format!("Value '{s}' at '{path}'"),
        other => format!("Value '{other}' at '{path}'"),
    }
}

fn check_length(
    out: &mut Vec<String>,
    head: impl Fn() -> String,
    len: i64,
    min: Option<i64>,
    max: Option<i64>,
) {
    if let Some(min) = min.filter(|m| len < *m) {
        out.push(format!("{} failed to satisfy constraint: Member must have length greater than or equal to {min}", head()));
    }
    if let Some(max) = max.filter(|m| len > *m) {
        out.push(format!(
            "{} failed to satisfy constraint: Member must have length less than or equal to {max}",
            head()
        ));
    }
}

fn check_range(
    out: &mut Vec<String>,
    head: impl Fn() -> String,
    n: i64,
    min: Option<i64>,
    max: Option<i64>,
) {
    if let Some(min) = min.filter(|m| n < *m) {
        out.push(format!("{} failed to satisfy constraint: Member must have value greater than or equal to {min}", head()));
    }
    if let Some(max) = max.filter(|m| n > *m) {
        out.push(format!(
            "{} failed to satisfy constraint: Member must have value less than or equal to {max}",
            head()
        ));
    }
}

fn len_i64(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// A Lambda trigger in `LambdaConfig` may be an `http(s)://` URL instead of an ARN
/// (monban runs triggers as webhooks), so the ARN pattern does not apply to it.
fn is_webhook_trigger(shape: &Shape, path: &str, text: &str) -> bool {
    shape.name == "ArnType"
        && path.starts_with("lambdaConfig.")
        && path != "lambdaConfig.kMSKeyID"
        && (text.starts_with("http://") || text.starts_with("https://"))
}

/// `DomainType`'s pattern only describes prefix domains: a custom domain is a
/// fully-qualified name such as `auth.example.com` ("For custom domains, this is the
/// fully-qualified domain name", CreateUserPoolDomain `Domain` in the API reference).
/// Dotted values are left to the domain operations, which check them as host names.
fn is_custom_domain(shape: &Shape, text: &str) -> bool {
    shape.name == "DomainType" && text.contains('.')
}

/// Collects every constraint violation, in Coral's wording.
fn check_constraints(
    service: &Service,
    shape: usize,
    value: &Value,
    path: &str,
    out: &mut Vec<String>,
) {
    let Some(s) = service.shapes.get(shape) else {
        return;
    };
    let head = || shown(s, value, path);
    match &s.kind {
        ShapeKind::Structure(members) => {
            let Some(obj) = value.as_object() else { return };
            for m in *members {
                let member_path = child(path, m.path);
                match obj.get(m.name) {
                    None | Some(Value::Null) if m.required => {
                        out.push(format!("Value null at '{member_path}' failed to satisfy constraint: Member must not be null"));
                    }
                    None | Some(Value::Null) => {}
                    Some(v) => check_constraints(service, m.shape, v, &member_path, out),
                }
            }
        }
        ShapeKind::List { member, min, max } => {
            let Some(items) = value.as_array() else {
                return;
            };
            check_length(out, head, len_i64(items.len()), *min, *max);
            for (i, v) in items.iter().enumerate() {
                check_constraints(
                    service,
                    *member,
                    v,
                    &format!("{}.{}.member", path, i + 1),
                    out,
                );
            }
        }
        ShapeKind::Map {
            key,
            value: vshape,
            min,
            max,
        } => {
            let Some(obj) = value.as_object() else { return };
            check_length(out, head, len_i64(obj.len()), *min, *max);
            for (k, v) in obj {
                check_constraints(
                    service,
                    *key,
                    &Value::String(k.clone()),
                    &format!("{path}.{k}.key"),
                    out,
                );
                check_constraints(service, *vshape, v, &format!("{path}.{k}.member"), out);
            }
        }
        ShapeKind::String {
            min,
            max,
            pattern,
            values,
        } => {
            let Some(text) = value.as_str() else { return };
            if !values.is_empty() {
                if !values.contains(&text) {
                    out.push(format!(
                        "{} failed to satisfy constraint: Member must satisfy enum value set: [{}]",
                        head(),
                        values.join(", ")
                    ));
                }
                return;
            }
            check_length(out, head, len_i64(text.chars().count()), *min, *max);
            if is_webhook_trigger(s, path, text) || is_custom_domain(s, text) {
                return;
            }
            if let Some(source) = pattern {
                if let Some(re) = service.pattern(shape, source) {
                    if !re.is_match(text) {
                        out.push(format!(
                            "{} failed to satisfy constraint: Member must satisfy regular expression pattern: {source}",
                            head()
                        ));
                    }
                }
            }
        }
        ShapeKind::Blob { min, max } => {
            let Some(text) = value.as_str() else { return };
            // Blobs travel base64-encoded; the limits are on the decoded bytes.
            let decoded = text.trim_end_matches('=').len() * 3 / 4;
            check_length(out, head, len_i64(decoded), *min, *max);
        }
        ShapeKind::Integer { min, max } | ShapeKind::Long { min, max } => {
            if let Some(n) = value.as_i64() {
                check_range(out, head, n, *min, *max);
            }
        }
        ShapeKind::Boolean | ShapeKind::Timestamp | ShapeKind::Document => {}
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::idp;

    fn op(name: &str) -> &'static Operation {
        IDP.operation(name).unwrap()
    }

    #[test]
    fn lambda_config_accepts_webhook_urls_but_not_elsewhere() {
        let ok: Result<idp::UpdateUserPoolRequest, _> = decode(
            &IDP,
            op("UpdateUserPool"),
            br#"{"UserPoolId":"us-east-1_abc","LambdaConfig":{"PreSignUp":"http://127.0.0.1:4000/pre",
                "PreTokenGenerationConfig":{"LambdaArn":"https://hooks.example.com/token","LambdaVersion":"V2_0"}}}"#,
        );
        assert!(ok.is_ok(), "{ok:?}");
        let err = decode::<idp::UpdateUserPoolRequest>(
            &IDP,
            op("UpdateUserPool"),
            br#"{"UserPoolId":"us-east-1_abc","LambdaConfig":{"KMSKeyID":"https://kms.example.com/key"}}"#,
        )
        .unwrap_err();
        assert!(
            err.message.contains("lambdaConfig.kMSKeyID"),
            "{}",
            err.message
        );
        let err = decode::<idp::UpdateUserPoolRequest>(
            &IDP,
            op("UpdateUserPool"),
            br#"{"UserPoolId":"us-east-1_abc","LambdaConfig":{"PreSignUp":"ftp://example.com/some/hook"}}"#,
        )
        .unwrap_err();
        assert!(
            err.message.contains("lambdaConfig.preSignUp"),
            "{}",
            err.message
        );
    }

    #[test]
    fn null_map_values_are_absent() {
        let req: idp::InitiateAuthRequest = decode(
            &IDP,
            op("InitiateAuth"),
            br#"{"AuthFlow":"REFRESH_TOKEN_AUTH","ClientId":"abc",
                "AuthParameters":{"REFRESH_TOKEN":"t","DEVICE_KEY":null}}"#,
        )
        .unwrap();
        let params = req.auth_parameters.unwrap();
        assert_eq!(params.len(), 1);
        assert_eq!(params["REFRESH_TOKEN"], "t");
    }

    #[test]
    fn every_pattern_compiles() {
        for (i, shape) in IDP.shapes.iter().enumerate() {
            if let ShapeKind::String {
                pattern: Some(p), ..
            } = shape.kind
            {
                assert!(
                    IDP.pattern(i, p).is_some(),
                    "pattern of {} does not compile: {p}",
                    shape.name
                );
            }
        }
        for (i, shape) in IDENTITY.shapes.iter().enumerate() {
            if let ShapeKind::String {
                pattern: Some(p), ..
            } = shape.kind
            {
                assert!(
                    IDENTITY.pattern(i, p).is_some(),
                    "pattern of {} does not compile: {p}",
                    shape.name
                );
            }
        }
    }

    #[test]
    fn all_operations_are_listed_sorted() {
        assert_eq!(IDP.operations.len(), 153);
        assert_eq!(IDENTITY.operations.len(), 23);
        assert!(IDP.operations.windows(2).all(|w| w[0].name < w[1].name));
    }

    #[test]
    fn missing_required_member_is_named() {
        let err = decode::<idp::DescribeUserPoolRequest>(&IDP, op("DescribeUserPool"), b"{}")
            .unwrap_err();
        assert_eq!(err.kind, ErrorKind::InvalidParameterException);
        assert_eq!(
            err.message,
            "1 validation error detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null"
        );
    }

    #[test]
    fn pattern_and_length_violations_are_reported_together() {
        let body = br#"{"UserPoolId":"bad id","Username":""}"#;
        let err = decode::<idp::AdminGetUserRequest>(&IDP, op("AdminGetUser"), body).unwrap_err();
        assert_eq!(err.kind, ErrorKind::InvalidParameterException);
        assert!(
            err.message.starts_with("3 validation errors detected: "),
            "{}",
            err.message
        );
        assert!(err.message.contains("Value 'bad id' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern"));
        // Usernames are sensitive: the value is not echoed.
        assert!(err.message.contains("Value at 'username' failed to satisfy constraint: Member must have length greater than or equal to 1"));
    }

    #[test]
    fn enum_and_range_violations() {
        let body = br#"{"PoolName":"p","MfaConfiguration":"SOMETIMES","Policies":{"PasswordPolicy":{"MinimumLength":2}}}"#;
        let err =
            decode::<idp::CreateUserPoolRequest>(&IDP, op("CreateUserPool"), body).unwrap_err();
        assert!(
            err.message
                .contains("Member must satisfy enum value set: [OFF, ON, OPTIONAL]"),
            "{}",
            err.message
        );
        assert!(err.message.contains("at 'policies.passwordPolicy.minimumLength' failed to satisfy constraint: Member must have value greater than or equal to 6"), "{}", err.message);
    }

    #[test]
    fn wrong_types_and_bad_json_are_serialization_errors() {
        for body in [&br#"{"UserPoolId": 5}"#[..], b"{", b"[]", b"\xff\xfe"] {
            let err = decode::<idp::DescribeUserPoolRequest>(&IDP, op("DescribeUserPool"), body)
                .unwrap_err();
            assert_eq!(err.kind, ErrorKind::SerializationException, "{body:?}");
        }
    }

    #[test]
    fn deep_nesting_is_refused_without_overflow() {
        let body = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let err =
            decode::<idp::DescribeUserPoolRequest>(&IDP, op("DescribeUserPool"), body.as_bytes())
                .unwrap_err();
        assert_eq!(err.kind, ErrorKind::SerializationException);
    }

    #[test]
    fn valid_request_decodes() {
        let body = br#"{"UserPoolId":"us-east-1_AbC123xyZ","Username":"alice","UserAttributes":[{"Name":"email","Value":"a@example.com"}]}"#;
        let req: idp::AdminCreateUserRequest = decode(&IDP, op("AdminCreateUser"), body).unwrap();
        assert_eq!(req.user_pool_id, "us-east-1_AbC123xyZ");
        assert_eq!(
            req.user_attributes.unwrap()[0].value.as_deref(),
            Some("a@example.com")
        );
    }
}
