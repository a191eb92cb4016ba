//! Entities to store, with every field set to something worth reading back.

use std::collections::BTreeMap;

use monban_core::entities::{
    AppClient, Group, SrpCredential, User, UserData, UserPool, UserPoolData,
};
use monban_core::store::{StoreError, StoreResult};
use monban_wire::idp::{
    ExplicitAuthFlowsType, UserPoolClientType, UserPoolMfaType, UserPoolType, UserStatusType,
};

pub fn pool(id: &str) -> UserPool {
    UserPool {
        id: id.to_owned(),
        name: format!("{id} name"),
        created_ms: 1_700_000_000_123,
        modified_ms: 1_700_000_000_456,
        version: 1,
        config: UserPoolType {
            name: Some(format!("{id} name")),
            mfa_configuration: Some(UserPoolMfaType::Optional),
            email_verification_subject: Some("Your code: {####}".to_owned()),
            user_pool_tags: Some(BTreeMap::from([("team".to_owned(), "id".to_owned())])),
            ..UserPoolType::default()
        },
        data: UserPoolData {
            software_token_mfa_enabled: true,
            ..UserPoolData::default()
        },
    }
}

pub fn client(pool_id: &str, client_id: &str) -> AppClient {
    AppClient {
        pool_id: pool_id.to_owned(),
        client_id: client_id.to_owned(),
        name: format!("{client_id} app"),
        secret: Some(format!("{client_id}-secret")),
        created_ms: 1_700_000_001_000,
        modified_ms: 1_700_000_002_000,
        version: 1,
        config: UserPoolClientType {
            client_name: Some(format!("{client_id} app")),
            explicit_auth_flows: Some(vec![
                ExplicitAuthFlowsType::AllowUserSrpAuth,
                ExplicitAuthFlowsType::AllowRefreshTokenAuth,
            ]),
            refresh_token_validity: Some(30),
            ..UserPoolClientType::default()
        },
    }
}

/// A confirmed, enabled user signing in with `u:<username>` (and `email:` when it has one).
pub fn user(pool_id: &str, username: &str) -> User {
    User {
        pool_id: pool_id.to_owned(),
        username: username.to_owned(),
        sub: uuid::Uuid::new_v4().to_string(),
        status: UserStatusType::Confirmed,
        enabled: true,
        attributes: BTreeMap::from([("custom:team".to_owned(), "blue".to_owned())]),
        password_hash: Some("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".to_owned()),
        created_ms: 1_700_000_003_000,
        modified_ms: 1_700_000_004_000,
        version: 1,
        keys: vec![format!("u:{}", username.to_lowercase())],
        data: UserData {
            password_set_ms: Some(1_700_000_003_000),
            mfa_options: vec![("SMS".to_owned(), "phone_number".to_owned())],
            preferred_mfa: None,
            enabled_mfas: vec!["SOFTWARE_TOKEN_MFA".to_owned()],
            srp: Some(SrpCredential {
                salt: "0a1b".to_owned(),
                verifier: "00ff".repeat(8),
            }),
            failed_sign_ins: 2,
            last_failed_sign_in_ms: Some(1_700_000_003_500),
            software_token: Some(monban_core::entities::SoftwareToken {
                secret: monban_core::entities::SealedSecret("c2VhbGVk".to_owned()),
                friendly_device_name: Some("phone".to_owned()),
                verified_ms: 1_700_000_003_200,
                last_step: Some(56_666_777),
            }),
            software_token_pending: Some(monban_core::entities::SealedSecret(
                "cGVuZGluZw".to_owned(),
            )),
        },
    }
}

/// `user` with an e-mail address that is also a login alias.
pub fn user_with_email(pool_id: &str, username: &str, email: &str) -> User {
    let mut user = user(pool_id, username);
    user.attributes.insert("email".to_owned(), email.to_owned());
    user.keys.push(format!("email:{email}"));
    user
}

pub fn group(pool_id: &str, name: &str) -> Group {
    Group {
        pool_id: pool_id.to_owned(),
        name: name.to_owned(),
        description: Some(format!("the {name} group")),
        precedence: Some(7),
        role_arn: Some("arn:aws:iam::123456789012:role/monban".to_owned()),
        created_ms: 1_700_000_005_000,
        modified_ms: 1_700_000_006_000,
    }
}

/// The key of a `Conflict`, failing on anything else.
pub fn conflict_key(result: StoreResult<()>) -> String {
    match result {
        Err(StoreError::Conflict { key }) => key,
        other => panic!("expected a conflict, got {other:?}"),
    }
}

pub fn assert_not_found<T: std::fmt::Debug>(result: StoreResult<T>) {
    assert!(
        matches!(result, Err(StoreError::NotFound)),
        "expected NotFound, got {result:?}"
    );
}

pub fn assert_version_mismatch<T: std::fmt::Debug>(result: StoreResult<T>) {
    assert!(
        matches!(result, Err(StoreError::VersionMismatch)),
        "expected VersionMismatch, got {result:?}"
    );
}
