//! Reading members of a function's `response`: absent or null means "not set"; a member of
//! the wrong type makes the whole answer `InvalidLambdaResponseException`.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::invalid_response;
use crate::error::Error;

/// A boolean member (`autoConfirmUser`, `answerCorrect`...), `false` when not set.
pub fn flag(response: &Map<String, Value>, key: &str) -> Result<bool, Error> {
    match response.get(key) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(_) => Err(invalid_response()),
    }
}

/// A string member, `None` when not set.
pub fn string(response: &Map<String, Value>, key: &str) -> Result<Option<String>, Error> {
    match response.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(invalid_response()),
    }
}

/// A map of strings (`publicChallengeParameters`, V1 `claimsToAddOrOverride`...), `None`
/// when not set.
pub fn string_map(
    response: &Map<String, Value>,
    key: &str,
) -> Result<Option<BTreeMap<String, String>>, Error> {
    match response.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(map)) => map
            .iter()
            .map(|(k, v)| match v {
                Value::String(s) => Ok((k.clone(), s.clone())),
                _ => Err(invalid_response()),
            })
            .collect::<Result<_, _>>()
            .map(Some),
        Some(_) => Err(invalid_response()),
    }
}

/// A list of strings (`claimsToSuppress`, `groupsToOverride`...), `None` when not set.
pub fn string_list(response: &Map<String, Value>, key: &str) -> Result<Option<Vec<String>>, Error> {
    match response.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| v.as_str().map(str::to_owned).ok_or_else(invalid_response))
            .collect::<Result<_, _>>()
            .map(Some),
        Some(_) => Err(invalid_response()),
    }
}

/// A nested object (`claimsOverrideDetails`...), `None` when not set.
pub fn object<'a>(
    response: &'a Map<String, Value>,
    key: &str,
) -> Result<Option<&'a Map<String, Value>>, Error> {
    match response.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(map)) => Ok(Some(map)),
        Some(_) => Err(invalid_response()),
    }
}
