//! The claims of ID and access tokens (tokens.md §2-§3), built from the user, its groups
//! and the client, with no I/O.

use serde_json::{Map, Value};

use crate::entities::{Group, User};

/// Everything the two tokens of one issue share.
pub(crate) struct ClaimSet<'a> {
    pub issuer: &'a str,
    pub client_id: &'a str,
    pub user: &'a User,
    /// Sorted as [`sort_groups`] does.
    pub groups: &'a [Group],
    /// The client's `ReadAttributes`; `None` reads every attribute.
    pub read_attributes: Option<&'a [String]>,
    pub auth_time_s: i64,
    pub iat_s: i64,
    pub origin_jti: &'a str,
    pub event_id: &'a str,
    pub device_key: Option<&'a str>,
}

/// Groups in token order: by precedence, lowest first, groups without one last; then by
/// name.
pub(crate) fn sort_groups(groups: &mut [Group]) {
    groups.sort_by(|a, b| {
        (a.precedence.is_none(), a.precedence, &a.name).cmp(&(
            b.precedence.is_none(),
            b.precedence,
            &b.name,
        ))
    });
}

impl ClaimSet<'_> {
    pub(crate) fn id_claims(&self, jti: &str, exp_s: i64) -> Value {
        let mut c = Map::new();
        c.insert("sub".into(), self.user.sub.clone().into());
        if !self.groups.is_empty() {
            c.insert("cognito:groups".into(), self.group_names());
        }
        let roles = self.roles();
        if !roles.is_empty() {
            c.insert("cognito:roles".into(), roles.clone().into());
        }
        if let Some(preferred) = self.preferred_role() {
            c.insert("cognito:preferred_role".into(), preferred.into());
        }
        c.insert("iss".into(), self.issuer.into());
        c.insert("cognito:username".into(), self.user.username.clone().into());
        c.insert("origin_jti".into(), self.origin_jti.into());
        c.insert("aud".into(), self.client_id.into());
        c.insert("event_id".into(), self.event_id.into());
        c.insert("token_use".into(), "id".into());
        c.insert("auth_time".into(), self.auth_time_s.into());
        c.insert("exp".into(), exp_s.into());
        c.insert("iat".into(), self.iat_s.into());
        c.insert("jti".into(), jti.into());
        for (name, value) in &self.user.attributes {
            if self.readable(name) {
                c.insert(name.clone(), attribute_claim(name, value));
            }
        }
        Value::Object(c)
    }

    pub(crate) fn access_claims(&self, jti: &str, exp_s: i64) -> Value {
        let mut c = Map::new();
        c.insert("sub".into(), self.user.sub.clone().into());
        if !self.groups.is_empty() {
            c.insert("cognito:groups".into(), self.group_names());
        }
        c.insert("iss".into(), self.issuer.into());
        c.insert("client_id".into(), self.client_id.into());
        c.insert("origin_jti".into(), self.origin_jti.into());
        c.insert("event_id".into(), self.event_id.into());
        c.insert("token_use".into(), "access".into());
        c.insert("scope".into(), super::USER_ADMIN_SCOPE.into());
        c.insert("auth_time".into(), self.auth_time_s.into());
        c.insert("exp".into(), exp_s.into());
        c.insert("iat".into(), self.iat_s.into());
        c.insert("jti".into(), jti.into());
        c.insert("username".into(), self.user.username.clone().into());
        if let Some(device_key) = self.device_key {
            c.insert("device_key".into(), device_key.into());
        }
        Value::Object(c)
    }

    fn group_names(&self) -> Value {
        self.groups
            .iter()
            .map(|g| Value::from(g.name.clone()))
            .collect()
    }

    /// Role ARNs of the user's groups, in group order, each once.
    fn roles(&self) -> Vec<String> {
        let mut roles: Vec<String> = Vec::new();
        for arn in self.groups.iter().filter_map(|g| g.role_arn.as_ref()) {
            if !roles.contains(arn) {
                roles.push(arn.clone());
            }
        }
        roles
    }

    /// The role of the best-ranked group that has one. Groups tied on precedence (or all
    /// without one) give no preferred role unless they name the same role, as the
    /// developer guide describes.
    fn preferred_role(&self) -> Option<String> {
        let with_role: Vec<&Group> = self
            .groups
            .iter()
            .filter(|g| g.role_arn.is_some())
            .collect();
        let best = with_role.first()?;
        let mut tied = with_role
            .iter()
            .filter(|g| g.precedence == best.precedence)
            .filter_map(|g| g.role_arn.as_ref());
        let role = tied.next()?;
        tied.all(|r| r == role).then(|| role.clone())
    }

    fn readable(&self, name: &str) -> bool {
        self.read_attributes
            .is_none_or(|names| names.iter().any(|n| n == name))
    }
}

/// An attribute as a claim: the two `*_verified` flags are booleans and `updated_at` a
/// number (strings in the API); everything else, custom attributes of any type included,
/// is a string.
fn attribute_claim(name: &str, value: &str) -> Value {
    match name {
        "email_verified" | "phone_number_verified" => {
            Value::Bool(value.eq_ignore_ascii_case("true"))
        }
        "updated_at" => value
            .parse::<i64>()
            .map(Value::from)
            .unwrap_or_else(|_| value.into()),
        _ => value.into(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::collections::BTreeMap;

    use monban_wire::idp::UserStatusType;
    use serde_json::json;

    use super::*;
    use crate::entities::UserData;

    fn user() -> User {
        User {
            pool_id: "us-east-1_AbC".to_owned(),
            username: "alice".to_owned(),
            sub: "0f8fad5b-d9cb-469f-a165-70867728950e".to_owned(),
            status: UserStatusType::Confirmed,
            enabled: true,
            attributes: BTreeMap::from([
                ("email".to_owned(), "a@example.com".to_owned()),
                ("email_verified".to_owned(), "true".to_owned()),
                ("phone_number_verified".to_owned(), "false".to_owned()),
                ("updated_at".to_owned(), "1700000000".to_owned()),
                ("custom:level".to_owned(), "7".to_owned()),
                ("name".to_owned(), "Alice".to_owned()),
            ]),
            password_hash: None,
            created_ms: 0,
            modified_ms: 0,
            version: 1,
            keys: vec![],
            data: UserData::default(),
        }
    }

    fn group(name: &str, precedence: Option<i32>, role: Option<&str>) -> Group {
        Group {
            pool_id: "us-east-1_AbC".to_owned(),
            name: name.to_owned(),
            description: None,
            precedence,
            role_arn: role.map(str::to_owned),
            created_ms: 0,
            modified_ms: 0,
        }
    }

    fn claims_with<'a>(
        user: &'a User,
        groups: &'a [Group],
        read: Option<&'a [String]>,
    ) -> ClaimSet<'a> {
        ClaimSet {
            issuer: "http://127.0.0.1:9876/us-east-1_AbC",
            client_id: "client1",
            user,
            groups,
            read_attributes: read,
            auth_time_s: 1_700_000_000,
            iat_s: 1_700_000_100,
            origin_jti: "family",
            event_id: "event",
            device_key: None,
        }
    }

    #[test]
    fn id_token_has_exactly_cognitos_claims() {
        let u = user();
        let c = claims_with(&u, &[], None).id_claims("jti-id", 1_700_003_700);
        assert_eq!(
            c,
            json!({
                "sub": "0f8fad5b-d9cb-469f-a165-70867728950e",
                "iss": "http://127.0.0.1:9876/us-east-1_AbC",
                "aud": "client1",
                "token_use": "id",
                "auth_time": 1_700_000_000,
                "iat": 1_700_000_100,
                "exp": 1_700_003_700,
                "jti": "jti-id",
                "origin_jti": "family",
                "event_id": "event",
                "cognito:username": "alice",
                "email": "a@example.com",
                "email_verified": true,
                "phone_number_verified": false,
                "updated_at": 1_700_000_000,
                "custom:level": "7",
                "name": "Alice",
            })
        );
    }

    #[test]
    fn access_token_has_exactly_cognitos_claims() {
        let u = user();
        let groups = [group("admins", Some(1), None)];
        let mut set = claims_with(&u, &groups, None);
        set.device_key = Some("us-east-1_dev");
        let c = set.access_claims("jti-access", 1_700_003_700);
        assert_eq!(
            c,
            json!({
                "sub": "0f8fad5b-d9cb-469f-a165-70867728950e",
                "cognito:groups": ["admins"],
                "iss": "http://127.0.0.1:9876/us-east-1_AbC",
                "client_id": "client1",
                "token_use": "access",
                "scope": "aws.cognito.signin.user.admin",
                "auth_time": 1_700_000_000,
                "iat": 1_700_000_100,
                "exp": 1_700_003_700,
                "jti": "jti-access",
                "origin_jti": "family",
                "event_id": "event",
                "username": "alice",
                "device_key": "us-east-1_dev",
            })
        );
    }

    #[test]
    fn only_readable_attributes_appear() {
        let u = user();
        let read = vec!["email".to_owned(), "custom:level".to_owned()];
        let c = claims_with(&u, &[], Some(&read)).id_claims("j", 0);
        assert_eq!(c["email"], "a@example.com");
        assert_eq!(c["custom:level"], "7");
        assert!(c.get("email_verified").is_none());
        assert!(c.get("name").is_none());
        // sub and the username are not attributes the client chooses.
        assert_eq!(c["sub"], u.sub.as_str());
        assert_eq!(c["cognito:username"], "alice");
    }

    #[test]
    fn groups_sort_by_precedence_and_give_roles() {
        let mut groups = vec![
            group("zeta", None, Some("arn:aws:iam::1:role/z")),
            group("beta", Some(5), Some("arn:aws:iam::1:role/b")),
            group("alpha", Some(5), None),
            group("gamma", Some(1), Some("arn:aws:iam::1:role/g")),
        ];
        sort_groups(&mut groups);
        let names: Vec<&str> = groups.iter().map(|g| g.name.as_str()).collect();
        assert_eq!(names, ["gamma", "alpha", "beta", "zeta"]);
        let u = user();
        let c = claims_with(&u, &groups, None).id_claims("j", 0);
        assert_eq!(
            c["cognito:groups"],
            json!(["gamma", "alpha", "beta", "zeta"])
        );
        assert_eq!(
            c["cognito:roles"],
            json!([
                "arn:aws:iam::1:role/g",
                "arn:aws:iam::1:role/b",
                "arn:aws:iam::1:role/z"
            ])
        );
        assert_eq!(c["cognito:preferred_role"], "arn:aws:iam::1:role/g");
    }

    #[test]
    fn tied_groups_with_different_roles_have_no_preferred_role() {
        let mut groups = vec![
            group("a", Some(2), Some("arn:aws:iam::1:role/a")),
            group("b", Some(2), Some("arn:aws:iam::1:role/b")),
        ];
        sort_groups(&mut groups);
        let u = user();
        let c = claims_with(&u, &groups, None).id_claims("j", 0);
        assert!(c.get("cognito:preferred_role").is_none());
        assert_eq!(c["cognito:roles"].as_array().unwrap().len(), 2);

        let same = vec![
            group("a", Some(2), Some("arn:aws:iam::1:role/same")),
            group("b", Some(2), Some("arn:aws:iam::1:role/same")),
        ];
        let c = claims_with(&u, &same, None).id_claims("j", 0);
        assert_eq!(c["cognito:preferred_role"], "arn:aws:iam::1:role/same");
        assert_eq!(c["cognito:roles"], json!(["arn:aws:iam::1:role/same"]));
    }

    #[test]
    fn no_groups_no_group_claims() {
        let u = user();
        let set = claims_with(&u, &[], None);
        for c in [set.id_claims("j", 0), set.access_claims("j", 0)] {
            assert!(c.get("cognito:groups").is_none());
            assert!(c.get("cognito:roles").is_none());
            assert!(c.get("cognito:preferred_role").is_none());
            assert!(c.get("device_key").is_none());
        }
    }
}
