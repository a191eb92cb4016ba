#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use monban_wire::idp::{
    LambdaConfigType, PreTokenGenerationLambdaVersionType, PreTokenGenerationVersionConfigType,
    UserPoolType, UserStatusType,
};
use serde_json::{json, Map, Value};

use super::fire::response_of;
use super::pre_token::{apply_v1, apply_v2};
use super::*;
use crate::entities::{User, UserData, UserPool};
use crate::error::ErrorKind;

fn pool(lambda: LambdaConfigType) -> UserPool {
    UserPool {
        id: "us-east-1_AbC".to_owned(),
        name: "p".to_owned(),
        created_ms: 0,
        modified_ms: 0,
        version: 1,
        config: UserPoolType {
            lambda_config: Some(lambda),
            alias_attributes: None,
            ..UserPoolType::default()
        },
        data: Default::default(),
    }
}

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
        ]),
        password_hash: None,
        created_ms: 0,
        modified_ms: 0,
        version: 1,
        keys: vec!["u:alice".to_owned()],
        data: UserData::default(),
    }
}

fn obj(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => panic!("not an object"),
    }
}

#[test]
fn the_envelope_is_cognitos() {
    let p = pool(LambdaConfigType::default());
    let metadata = BTreeMap::from([("k".to_owned(), "v".to_owned())]);
    let event = TriggerEvent::new(&p, "PostConfirmation_ConfirmSignUp")
        .user_name("alice")
        .user_attributes(&user());
    let event = CallContext::new(Some("client1"), Some(&metadata)).apply(event);
    assert_eq!(
        event.to_json("eu-west-1"),
        json!({
            "version": "1",
            "triggerSource": "PostConfirmation_ConfirmSignUp",
            "region": "eu-west-1",
            "userPoolId": "us-east-1_AbC",
            "userName": "alice",
            "callerContext": {"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": "client1"},
            "request": {
                "userAttributes": {
                    "sub": "0f8fad5b-d9cb-469f-a165-70867728950e",
                    "email": "a@example.com",
                    "email_verified": "true",
                    "cognito:user_status": "CONFIRMED",
                },
                "clientMetadata": {"k": "v"},
            },
            "response": {},
        })
    );
    let admin = TriggerEvent::new(&p, "PreSignUp_AdminCreateUser")
        .initial_response("autoConfirmUser", Value::Bool(false))
        .to_json("us-east-1");
    assert_eq!(admin["callerContext"]["clientId"], CLIENT_ID_NOT_APPLICABLE);
    assert_eq!(admin["response"], json!({"autoConfirmUser": false}));
    assert!(admin.get("userName").is_none());
    assert!(admin["request"].get("clientMetadata").is_none());
    let sender = TriggerEvent::new(&p, "CustomEmailSender_SignUp").request("code", json!("402917"));
    let shown = format!("{sender:?}");
    assert!(
        shown.contains("CustomEmailSender_SignUp") && !shown.contains("402917"),
        "{shown}"
    );
}

#[test]
fn targets_come_from_lambda_config() {
    let p = pool(LambdaConfigType {
        pre_sign_up: Some("http://127.0.0.1:1/pre".to_owned()),
        custom_message: Some(String::new()),
        pre_token_generation: Some("arn:aws:lambda:us-east-1:1:function:legacy".to_owned()),
        pre_token_generation_config: Some(PreTokenGenerationVersionConfigType {
            lambda_arn: "http://127.0.0.1:1/token".to_owned(),
            lambda_version: PreTokenGenerationLambdaVersionType::V20,
        }),
        ..LambdaConfigType::default()
    });
    assert_eq!(
        Trigger::PreSignUp.target(&p),
        Some("http://127.0.0.1:1/pre")
    );
    assert_eq!(
        Trigger::CustomMessage.target(&p),
        None,
        "empty is not configured"
    );
    assert_eq!(Trigger::PostConfirmation.target(&p), None);
    assert_eq!(
        Trigger::PreTokenGeneration.target(&p),
        Some("http://127.0.0.1:1/token")
    );
    assert_eq!(PreTokenVersion::of(&p), PreTokenVersion::V2);
    let legacy = pool(LambdaConfigType {
        pre_token_generation: Some("http://127.0.0.1:1/legacy".to_owned()),
        ..LambdaConfigType::default()
    });
    assert_eq!(
        Trigger::PreTokenGeneration.target(&legacy),
        Some("http://127.0.0.1:1/legacy")
    );
    assert_eq!(PreTokenVersion::of(&legacy), PreTokenVersion::V1);
    assert_eq!(Trigger::CustomSmsSender.name(), "CustomSMSSender");
}

#[test]
fn failures_map_to_cognitos_errors() {
    let e = map_error(
        Trigger::PreSignUp,
        TriggerError::Function {
            error_type: "Error".into(),
            error_message: "no bots".into(),
        },
    );
    assert_eq!(e.kind, ErrorKind::UserLambdaValidationException);
    assert_eq!(e.message, "PreSignUp failed with error no bots.");
    let e = map_error(
        Trigger::PostConfirmation,
        TriggerError::Unreachable("Socket timeout while invoking Lambda function".into()),
    );
    assert_eq!(e.kind, ErrorKind::UnexpectedLambdaException);
    assert_eq!(
        e.message,
        "PostConfirmation invocation failed due to error Socket timeout while invoking Lambda function."
    );
    let e = map_error(
        Trigger::CustomMessage,
        TriggerError::InvalidResponse("x".into()),
    );
    assert_eq!(e.kind, ErrorKind::InvalidLambdaResponseException);
    assert_eq!(e.message, "Unrecognizable lambda output");
}

#[test]
fn the_answer_must_be_the_event() {
    assert_eq!(
        response_of(json!({"response": {"autoConfirmUser": true}})).unwrap(),
        obj(json!({"autoConfirmUser": true}))
    );
    assert!(response_of(json!({"response": null})).unwrap().is_empty());
    assert!(response_of(json!({"version": "1"})).unwrap().is_empty());
    assert!(response_of(json!("ok")).is_err());
    assert!(response_of(json!({"response": [1]})).is_err());
    let r = obj(json!({"autoConfirmUser": "yes", "n": null}));
    assert_eq!(
        response::flag(&r, "autoConfirmUser").unwrap_err().kind,
        ErrorKind::InvalidLambdaResponseException
    );
    assert!(!response::flag(&r, "n").unwrap());
    assert!(!response::flag(&r, "absent").unwrap());
}

#[test]
fn pre_sign_up_verifies_what_the_user_has() {
    let mut p = pool(LambdaConfigType::default());
    p.config.alias_attributes = Some(vec![monban_wire::idp::AliasAttributeType::Email]);
    let mut u = user();
    u.attributes
        .insert("email_verified".to_owned(), "false".to_owned());
    let outcome = PreSignUpOutcome {
        auto_confirm_user: true,
        auto_verify_email: true,
        auto_verify_phone: false,
    };
    assert!(outcome.apply(&p, &mut u).unwrap(), "a verified alias moves");
    assert_eq!(u.attributes["email_verified"], "true");
    assert!(
        u.keys.iter().any(|k| k.starts_with("email:")),
        "{:?}",
        u.keys
    );
    let phone = PreSignUpOutcome {
        auto_verify_phone: true,
        ..PreSignUpOutcome::default()
    };
    assert_eq!(
        phone.apply(&p, &mut u).unwrap_err().kind,
        ErrorKind::InvalidParameterException
    );
}

fn token_claims() -> (Map<String, Value>, Map<String, Value>) {
    let id = obj(json!({
        "sub": "s", "iss": "i", "cognito:username": "alice", "email": "a@example.com",
        "cognito:groups": ["admins"], "cognito:roles": ["arn:aws:iam::1:role/a"],
        "cognito:preferred_role": "arn:aws:iam::1:role/a", "token_use": "id",
    }));
    let access = obj(json!({
        "sub": "s", "cognito:groups": ["admins"], "scope": "aws.cognito.signin.user.admin",
        "token_use": "access",
    }));
    (id, access)
}

#[test]
fn v1_overrides_id_claims_and_groups() {
    let (mut id, mut access) = token_claims();
    let details = obj(json!({
        "claimsToAddOrOverride": {"tier": "gold", "email": "b@example.com", "sub": "evil", "gone": "x"},
        "claimsToSuppress": ["gone", "iss"],
        "groupOverrideDetails": {"groupsToOverride": ["readers"], "iamRolesToOverride": [],
                                 "preferredRole": null},
    }));
    apply_v1(&details, &mut id, &mut access).unwrap();
    assert_eq!(id["tier"], "gold");
    assert_eq!(id["email"], "b@example.com");
    assert_eq!(id["sub"], "s", "protected");
    assert_eq!(id["iss"], "i", "protected");
    assert!(id.get("gone").is_none(), "suppression wins");
    assert_eq!(id["cognito:groups"], json!(["readers"]));
    assert_eq!(access["cognito:groups"], json!(["readers"]));
    assert!(id.get("cognito:roles").is_none());
    assert!(id.get("cognito:preferred_role").is_none());
    assert!(access.get("tier").is_none(), "V1 changes the ID token only");

    let (mut id, mut access) = token_claims();
    let bad = obj(json!({"claimsToAddOrOverride": {"n": 1}}));
    assert_eq!(
        apply_v1(&bad, &mut id, &mut access).unwrap_err().kind,
        ErrorKind::InvalidLambdaResponseException
    );
    let (mut id, mut access) = token_claims();
    apply_v1(
        &obj(json!({"claimsToSuppress": ["email"]})),
        &mut id,
        &mut access,
    )
    .unwrap();
    assert_eq!(
        id["cognito:groups"],
        json!(["admins"]),
        "groups kept without an override"
    );
}

#[test]
fn v2_customises_both_tokens_and_scopes() {
    let (mut id, mut access) = token_claims();
    let details = obj(json!({
        "idTokenGeneration": {"claimsToAddOrOverride": {"level": 3, "tags": ["a", "b"]},
                              "claimsToSuppress": ["email"]},
        "accessTokenGeneration": {"claimsToAddOrOverride": {"tenant": {"id": "t1"}},
                                  "claimsToSuppress": ["cognito:groups"],
                                  "scopesToAdd": ["photos/read", "photos/read"],
                                  "scopesToSuppress": ["aws.cognito.signin.user.admin"]},
    }));
    apply_v2(&details, &mut id, &mut access).unwrap();
    assert_eq!(id["level"], 3);
    assert_eq!(id["tags"], json!(["a", "b"]));
    assert!(id.get("email").is_none());
    assert_eq!(access["tenant"], json!({"id": "t1"}));
    assert!(access.get("cognito:groups").is_none());
    assert_eq!(access["scope"], "photos/read");
    assert_eq!(id["cognito:groups"], json!(["admins"]));
}

#[test]
fn custom_texts_fill_the_placeholders() {
    let texts = CustomTexts {
        email_subject: Some("Welcome {####}".to_owned()),
        email_message: Some("Code {####} for {username}".to_owned()),
        sms_message: None,
        ..CustomTexts::default()
    };
    let (mut subject, mut body) = ("s".to_owned(), "b".to_owned());
    texts.apply_email(&mut subject, &mut body, "123456", "alice");
    assert_eq!(subject, "Welcome 123456");
    assert_eq!(
        body, "Code 123456 for {username}",
        "usernameParameter is AdminCreateUser's"
    );
    assert_eq!(texts.sms("1", "a"), None);
}
