//! NEW_PASSWORD_REQUIRED: a user with a temporary password (FORCE_CHANGE_PASSWORD) proved it
//! and must now choose a password, supplying any required attribute that has no value.
//!
//! States: challenge issued (a session row holding the user) → answered once with
//! `NEW_PASSWORD` and `userAttributes.<name>` → password and attributes stored, status
//! CONFIRMED → on to tokens (via [`proceed`](super::signed_in::proceed)).

use std::collections::{BTreeMap, BTreeSet};

use monban_wire::idp::{AttributeType, ChallengeNameType, UserStatusType};

use super::messages::invalid_session;
use super::outcome::{Challenge, Outcome};
use super::params::Params;
use super::session::{self, SessionState};
use super::{same_user, signed_in, SignIn};
use crate::auth::client::check_secret_hash;
use crate::entities::{User, UserPool};
use crate::error::Error;
use crate::pool_config::{check_writable, schema};
use crate::triggers::TokenSource;
use crate::users::{
    apply_attribute_changes, modify_user, validate_writes, AttributeWrite, Credentials, KeyWrite,
    Target, SYSTEM_ATTRIBUTES,
};

/// Prefix of the challenge responses (and `requiredAttributes` entries) naming attributes.
const ATTRIBUTE_PREFIX: &str = "userAttributes.";

/// The NEW_PASSWORD_REQUIRED challenge for `user`.
pub async fn challenge(
    s: &SignIn<'_>,
    user: &User,
    auth_time_ms: i64,
    device_key: Option<String>,
) -> Result<Outcome, Error> {
    let state = SessionState {
        sub: user.sub.clone(),
        auth_time_ms,
        device_key,
    };
    let session = session::open(s, ChallengeNameType::NewPasswordRequired, user, &state).await?;
    Ok(Outcome::Challenge(Challenge {
        name: ChallengeNameType::NewPasswordRequired,
        parameters: challenge_parameters(s.pool, user)?,
        session: Some(session),
    }))
}

/// `USER_ID_FOR_SRP`, `requiredAttributes` (JSON array of `userAttributes.<name>` for the
/// required attributes without a value) and `userAttributes` (JSON object of the user's
/// attributes).
pub fn challenge_parameters(
    pool: &UserPool,
    user: &User,
) -> Result<BTreeMap<String, String>, Error> {
    let required: Vec<String> = missing_required(pool, &user.attributes)
        .into_iter()
        .map(|name| format!("{ATTRIBUTE_PREFIX}{name}"))
        .collect();
    let attributes: BTreeMap<&str, &str> = user
        .attributes
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    Ok(BTreeMap::from([
        ("USER_ID_FOR_SRP".to_owned(), user.username.clone()),
        (
            "requiredAttributes".to_owned(),
            serde_json::to_string(&required).map_err(Error::internal)?,
        ),
        (
            "userAttributes".to_owned(),
            serde_json::to_string(&attributes).map_err(Error::internal)?,
        ),
    ]))
}

/// The pool's required attributes that `attributes` lacks, in schema order.
fn missing_required(pool: &UserPool, attributes: &BTreeMap<String, String>) -> Vec<String> {
    schema(pool)
        .iter()
        .filter(|a| a.required == Some(true))
        .filter_map(|a| a.name.clone())
        .filter(|name| !SYSTEM_ATTRIBUTES.contains(&name.as_str()))
        .filter(|name| attributes.get(name).is_none_or(|v| v.is_empty()))
        .collect()
}

/// `InvalidParameterException: Invalid attributes given, <a> is missing` (observed; names
/// joined with " and " when several are missing).
fn missing_error(missing: &[String]) -> Error {
    Error::invalid_parameter(format!(
        "Invalid attributes given, {} is missing",
        missing.join(" and ")
    ))
}

/// Answers NEW_PASSWORD_REQUIRED.
pub async fn respond(
    s: &SignIn<'_>,
    responses: Params<'_>,
    session_value: Option<&str>,
) -> Result<Outcome, Error> {
    let username = responses.required("USERNAME")?;
    let new_password = responses.required("NEW_PASSWORD")?;
    check_secret_hash(s.client, username, responses.raw("SECRET_HASH"))?;
    let (_, state) =
        session::take(s, session_value, ChallengeNameType::NewPasswordRequired).await?;
    let user =
        s.cx.store
            .get_user_by_sub(&s.pool.id, &state.sub)
            .await?
            .ok_or_else(invalid_session)?;
    if !same_user(s, &user, username).await? {
        return Err(invalid_session());
    }

    let writes: Vec<AttributeType> = responses
        .prefixed(ATTRIBUTE_PREFIX)
        .map(|(name, value)| AttributeType {
            name: name.to_owned(),
            value: Some(value.to_owned()),
        })
        .collect();
    let names: BTreeSet<&str> = writes.iter().map(|a| a.name.as_str()).collect();
    check_writable(s.pool, s.client, names.iter().copied())?;
    let changes = validate_writes(s.pool, &writes, AttributeWrite::Update)?;
    let mut after = user.attributes.clone();
    apply_attribute_changes(&mut after, &changes);
    let missing = missing_required(s.pool, &after);
    if !missing.is_empty() {
        return Err(missing_error(&missing));
    }

    let credentials = Credentials::derive(s.cx, s.pool, &user.username, new_password).await?;
    let now = s.cx.now_ms();
    let user = modify_user(
        s.cx,
        s.pool,
        Target::Sub(&user.sub),
        KeyWrite::Update,
        |user| {
            // An administrator may have set a password meanwhile: this session is stale.
            if user.status != UserStatusType::ForceChangePassword {
                return Err(invalid_session());
            }
            apply_attribute_changes(&mut user.attributes, &changes);
            credentials.apply(user, UserStatusType::Confirmed, now)
        },
    )
    .await?;
    let s = &SignIn {
        token_source: TokenSource::NewPasswordChallenge,
        ..*s
    };
    signed_in::proceed(s, user, state.auth_time_ms, state.device_key).await
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use monban_wire::idp::SchemaAttributeType;

    use super::*;
    use crate::entities::UserData;
    use crate::pool_config::standard_schema;
    use crate::users::test_support::pool_with_schema;

    fn pool() -> UserPool {
        let mut schema = standard_schema();
        for entry in &mut schema {
            if matches!(entry.name.as_deref(), Some("email" | "given_name")) {
                entry.required = Some(true);
            }
        }
        schema.push(SchemaAttributeType {
            name: Some("custom:tier".to_owned()),
            ..SchemaAttributeType::default()
        });
        pool_with_schema(schema)
    }

    fn user(attributes: &[(&str, &str)]) -> User {
        User {
            pool_id: "us-east-1_test".to_owned(),
            username: "alice".to_owned(),
            sub: "s".to_owned(),
            status: UserStatusType::ForceChangePassword,
            enabled: true,
            attributes: attributes
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            password_hash: None,
            created_ms: 0,
            modified_ms: 0,
            version: 1,
            keys: vec![],
            data: UserData::default(),
        }
    }

    #[test]
    fn challenge_names_the_missing_required_attributes() {
        let p = challenge_parameters(
            &pool(),
            &user(&[("email", "a@example.com"), ("email_verified", "true")]),
        )
        .unwrap();
        assert_eq!(p["USER_ID_FOR_SRP"], "alice");
        assert_eq!(p["requiredAttributes"], r#"["userAttributes.given_name"]"#);
        assert_eq!(
            p["userAttributes"],
            r#"{"email":"a@example.com","email_verified":"true"}"#
        );
        let p = challenge_parameters(
            &pool(),
            &user(&[("email", "a@example.com"), ("given_name", "A")]),
        )
        .unwrap();
        assert_eq!(p["requiredAttributes"], "[]");
    }

    #[test]
    fn missing_attributes_in_cognito_words() {
        let missing = missing_required(&pool(), &BTreeMap::new());
        assert_eq!(missing, vec!["given_name", "email"]);
        assert_eq!(
            missing_error(&missing[..1]).message,
            "Invalid attributes given, given_name is missing"
        );
        assert_eq!(
            missing_error(&missing).message,
            "Invalid attributes given, given_name and email is missing"
        );
    }
}
