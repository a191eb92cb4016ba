//! `AuthParameters` / `ChallengeResponses`: a string map whose required entries are named
//! in the error when missing or empty.

use std::collections::BTreeMap;

use super::messages::missing_parameter;
use crate::error::Error;

#[derive(Clone, Copy)]
pub struct Params<'a>(pub &'a BTreeMap<String, String>);

impl<'a> Params<'a> {
    /// `InvalidParameterException: Missing required parameter <name>` when absent or empty.
    pub fn required(&self, name: &str) -> Result<&'a str, Error> {
        self.optional(name).ok_or_else(|| missing_parameter(name))
    }

    pub fn optional(&self, name: &str) -> Option<&'a str> {
        self.0
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// Whether the entry was sent at all (an empty SECRET_HASH is still a SECRET_HASH).
    pub fn raw(&self, name: &str) -> Option<&'a str> {
        self.0.get(name).map(String::as_str)
    }

    /// Entries whose name starts with `prefix`, with the prefix removed.
    pub fn prefixed(&self, prefix: &'a str) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        self.0.iter().filter_map(move |(name, value)| {
            name.strip_prefix(prefix).map(|rest| (rest, value.as_str()))
        })
    }
}
