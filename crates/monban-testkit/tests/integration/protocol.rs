//! The AWS JSON 1.1 protocol: SigV4 authentication, targets, error shapes, request ids, CORS.

use std::time::{Duration, SystemTime};

use monban_testkit::idp::types::{AuthFlowType, UserPoolMfaType};
use monban_testkit::{
    each_backend, random_access_key, service_error, AccessKey, RawRequest, RawResponse,
};

const LIST_POOLS: &str = r#"{"MaxResults": 10}"#;

/// Errors a server answers when it refuses a request for its signature.
const AUTH_ERRORS: [&str; 5] = [
    "MissingAuthenticationTokenException",
    "UnrecognizedClientException",
    "InvalidSignatureException",
    "IncompleteSignatureException",
    "AccessDeniedException",
];

#[track_caller]
fn assert_error(resp: &RawResponse, error_type: &str) {
    assert!(
        (400..500).contains(&resp.status),
        "expected a 4xx {error_type}, got {} {}",
        resp.status,
        resp.text()
    );
    assert_eq!(
        resp.error_type().as_deref(),
        Some(error_type),
        "body: {}",
        resp.text()
    );
    let header = resp.header("x-amzn-errortype").unwrap_or_default();
    assert_eq!(
        header.split(':').next(),
        Some(error_type),
        "x-amzn-ErrorType header"
    );
    assert!(
        resp.header("x-amzn-requestid")
            .is_some_and(|v| !v.is_empty()),
        "x-amzn-RequestId on an error"
    );
}

#[tokio::test]
async fn signed_raw_request_is_accepted() {
    // Proves the hand signer right, so that the refusals below are about what they test.
    each_backend(|app| async move {
        let resp = app
            .send_signed(RawRequest::idp("ListUserPools", LIST_POOLS))
            .await;
        assert_eq!(resp.status, 200, "{}", resp.text());
        assert!(resp.json()["UserPools"].is_array(), "{}", resp.text());
        assert_eq!(
            resp.header("content-type"),
            Some("application/x-amz-json-1.1")
        );
    })
    .await;
}

#[tokio::test]
async fn unsigned_iam_call_is_missing_authentication_token() {
    each_backend(|app| async move {
        let resp = app.send(RawRequest::idp("ListUserPools", LIST_POOLS)).await;
        assert_error(&resp, "MissingAuthenticationTokenException");
    })
    .await;
}

#[tokio::test]
async fn unknown_access_key_is_unrecognized_client() {
    each_backend(|app| async move {
        let idp = app.idp_signed_with(&random_access_key());
        let err = service_error(idp.list_user_pools().max_results(10).send().await)
            .assert_code("UnrecognizedClientException");
        err.assert_message_contains("security token included in the request is invalid");
    })
    .await;
}

#[tokio::test]
async fn wrong_secret_is_invalid_signature() {
    each_backend(|app| async move {
        let key = AccessKey {
            access_key_id: app.admin_key().access_key_id.clone(),
            secret_access_key: random_access_key().secret_access_key,
        };
        let err = service_error(
            app.idp_signed_with(&key)
                .list_user_pools()
                .max_results(10)
                .send()
                .await,
        )
        .assert_code("InvalidSignatureException");
        err.assert_message_contains("does not match the signature you provided");
    })
    .await;
}

#[tokio::test]
async fn partial_authorization_is_incomplete_signature() {
    each_backend(|app| async move {
        let authority = app.addr().to_string();
        let signed = RawRequest::idp("ListUserPools", LIST_POOLS).signed(
            &authority,
            app.admin_key(),
            app.clock().system_time(),
        );
        let date = signed.header_value("x-amz-date").unwrap().to_owned();
        let scope = format!(
            "{}/{}/us-east-1/cognito-idp/aws4_request",
            app.admin_key().access_key_id,
            &date[..8]
        );

        // Credential without SignedHeaders and Signature.
        let req = signed.clone().set_header(
            "authorization",
            &format!("AWS4-HMAC-SHA256 Credential={scope}"),
        );
        assert_error(&app.send(req).await, "IncompleteSignatureException");

        // A complete Authorization header but no X-Amz-Date.
        let req = signed.clone().without_header("x-amz-date");
        assert_error(&app.send(req).await, "IncompleteSignatureException");
    })
    .await;
}

#[tokio::test]
async fn tampered_body_is_invalid_signature() {
    each_backend(|app| async move {
        let authority = app.addr().to_string();
        let mut req = RawRequest::idp("ListUserPools", LIST_POOLS).signed(
            &authority,
            app.admin_key(),
            app.clock().system_time(),
        );
        req.body = br#"{"MaxResults": 11}"#.to_vec();
        assert_error(&app.send(req).await, "InvalidSignatureException");
    })
    .await;
}

#[tokio::test]
async fn signature_twenty_minutes_old_is_expired() {
    each_backend(|app| async move {
        let then = app.clock().system_time() - Duration::from_secs(20 * 60);
        let resp = app
            .send_signed_with(
                RawRequest::idp("ListUserPools", LIST_POOLS),
                app.admin_key(),
                then,
            )
            .await;
        assert_error(&resp, "InvalidSignatureException");
        let message = resp.message().unwrap_or_default();
        assert!(
            message.starts_with("Signature expired"),
            "message: {message}"
        );
    })
    .await;
}

#[tokio::test]
async fn signature_twenty_minutes_ahead_is_not_yet_current() {
    each_backend(|app| async move {
        let later = app.clock().system_time() + Duration::from_secs(20 * 60);
        let resp = app
            .send_signed_with(
                RawRequest::idp("ListUserPools", LIST_POOLS),
                app.admin_key(),
                later,
            )
            .await;
        assert_error(&resp, "InvalidSignatureException");
        let message = resp.message().unwrap_or_default();
        assert!(
            message.starts_with("Signature not yet current"),
            "message: {message}"
        );
    })
    .await;
}

#[tokio::test]
async fn signature_a_few_minutes_old_is_accepted() {
    each_backend(|app| async move {
        let then = app.clock().system_time() - Duration::from_secs(4 * 60);
        let resp = app
            .send_signed_with(
                RawRequest::idp("ListUserPools", LIST_POOLS),
                app.admin_key(),
                then,
            )
            .await;
        assert_eq!(resp.status, 200, "{}", resp.text());
    })
    .await;
}

#[tokio::test]
async fn signatures_follow_the_test_clock() {
    each_backend(|app| async move {
        app.clock().advance(Duration::from_secs(2 * 24 * 3600));
        // The SDK signs on the moved clock, as the server checks.
        app.idp()
            .list_user_pools()
            .max_results(1)
            .send()
            .await
            .expect("a signed call after moving the clock");
        // A signature made by the wall clock is now two days old.
        let resp = app
            .send_signed_with(
                RawRequest::idp("ListUserPools", LIST_POOLS),
                app.admin_key(),
                SystemTime::now(),
            )
            .await;
        assert_error(&resp, "InvalidSignatureException");
    })
    .await;
}

#[tokio::test]
async fn unknown_target_is_unknown_operation() {
    each_backend(|app| async move {
        for target in [
            "AWSCognitoIdentityProviderService.NoSuchOperation",
            "SomeOtherService.ListUserPools",
            "ListUserPools",
        ] {
            let req =
                RawRequest::idp("ListUserPools", LIST_POOLS).set_header("x-amz-target", target);
            let resp = app.send_signed(req).await;
            assert_error(&resp, "UnknownOperationException");
        }
        let req = RawRequest::idp("ListUserPools", LIST_POOLS).without_header("x-amz-target");
        assert_error(&app.send_signed(req).await, "UnknownOperationException");
    })
    .await;
}

#[tokio::test]
async fn malformed_json_is_serialization_exception() {
    each_backend(|app| async move {
        for body in [
            r#"{"MaxResults": "#,
            r#"{"MaxResults": 10,}"#,
            "not json",
            r#"{"MaxResults": "ten"}"#,
            r#"[1, 2]"#,
        ] {
            let resp = app
                .send_signed(RawRequest::idp("ListUserPools", body))
                .await;
            assert_error(&resp, "SerializationException");
            assert!(resp.message().is_some(), "a message for {body}");
        }
    })
    .await;
}

#[tokio::test]
async fn model_violations_are_invalid_parameter_naming_the_member() {
    each_backend(|app| async move {
    let idp = app.idp();

    // Missing required member.
    service_error(idp.describe_user_pool().send().await)
        .assert_code("InvalidParameterException")
        .assert_message_contains("Value null at 'userPoolId' failed to satisfy constraint: Member must not be null");

    // Too long.
    service_error(
        idp.create_user_pool()
            .pool_name("p".repeat(129))
            .send()
            .await,
    )
    .assert_code("InvalidParameterException")
    .assert_message_contains("at 'poolName' failed to satisfy constraint: Member must have length less than or equal to 128");

    // Bad pattern.
    service_error(
        idp.describe_user_pool()
            .user_pool_id("no-underscore")
            .send()
            .await,
    )
    .assert_code("InvalidParameterException")
    .assert_message_contains("Value 'no-underscore' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern");

    // Bad enum value.
    service_error(
        idp.create_user_pool()
            .pool_name("enum-test")
            .mfa_configuration(UserPoolMfaType::from("SOMETIMES"))
            .send()
            .await,
    )
    .assert_code("InvalidParameterException")
    .assert_message_contains("Value 'SOMETIMES' at 'mfaConfiguration' failed to satisfy constraint: Member must satisfy enum value set");

    // Out of range.
    service_error(idp.list_user_pools().max_results(0).send().await)
        .assert_code("InvalidParameterException")
        .assert_message_contains("at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1");

    // Several at once are all reported.
    service_error(
        idp.create_user_pool()
            .pool_name("p".repeat(129))
            .mfa_configuration(UserPoolMfaType::from("SOMETIMES"))
            .send()
            .await,
    )
    .assert_code("InvalidParameterException")
    .assert_message_contains("2 validation errors detected");
    })
    .await;
}

#[tokio::test]
async fn known_but_unimplemented_operation_is_a_clear_400() {
    each_backend(|app| async move {
        let body = r#"{"UserPoolId": "us-east-1_AbCdEfGhI", "RestoreTimestamp": 1700000000}"#;
        let resp = app
            .send_signed(RawRequest::idp("InitiatePointInTimeRecovery", body))
            .await;
        assert_eq!(resp.status, 400, "{}", resp.text());
        let error_type = resp.error_type().unwrap_or_default();
        assert!(
            !error_type.is_empty()
                && error_type != "UnknownOperationException"
                && error_type != "InternalErrorException",
            "a known operation is not unknown and not an internal error: {}",
            resp.text()
        );
        let message = resp.message().unwrap_or_default();
        assert!(
            message.contains("InitiatePointInTimeRecovery"),
            "the message names the operation: {message}"
        );
    })
    .await;
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    each_backend(|app| async move {
        let responses = [
            app.send_signed(RawRequest::idp("ListUserPools", LIST_POOLS))
                .await,
            app.send(RawRequest::idp("ListUserPools", LIST_POOLS)).await,
            app.send_signed(RawRequest::idp("NoSuchOperation", "{}"))
                .await,
            app.send_signed(RawRequest::idp("ListUserPools", "{")).await,
            app.send(
                RawRequest::new("OPTIONS", "/")
                    .header("origin", "http://localhost:3000")
                    .header("access-control-request-method", "POST"),
            )
            .await,
        ];
        let mut ids = Vec::new();
        for resp in &responses {
            let id = resp.header("x-amzn-requestid").unwrap_or_else(|| {
                panic!("no x-amzn-RequestId on {} {}", resp.status, resp.text())
            });
            assert_eq!(id.len(), 36, "a UUID request id: {id}");
            ids.push(id.to_owned());
        }
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), responses.len(), "request ids are unique");
    })
    .await;
}

#[tokio::test]
async fn cors_preflight_and_allow_origin() {
    each_backend(|app| async move {
    let origin = "http://localhost:3000";
    let preflight = app
        .send(
            RawRequest::new("OPTIONS", "/")
                .header("origin", origin)
                .header("access-control-request-method", "POST")
                .header(
                    "access-control-request-headers",
                    "content-type,x-amz-target,x-amz-user-agent,cache-control",
                ),
        )
        .await;
    assert!(
        (200..300).contains(&preflight.status),
        "preflight status {}",
        preflight.status
    );
    let allow_origin = preflight
        .header("access-control-allow-origin")
        .expect("Access-Control-Allow-Origin on the preflight");
    assert!(allow_origin == "*" || allow_origin == origin, "{allow_origin}");
    let methods = preflight
        .header("access-control-allow-methods")
        .expect("Access-Control-Allow-Methods")
        .to_ascii_lowercase();
    assert!(methods == "*" || methods.contains("post"), "{methods}");
    let headers = preflight
        .header("access-control-allow-headers")
        .expect("Access-Control-Allow-Headers")
        .to_ascii_lowercase();
    for wanted in ["content-type", "x-amz-target", "x-amz-user-agent", "cache-control"] {
        assert!(
            headers == "*" || headers.contains(wanted),
            "{wanted} not allowed by {headers}"
        );
    }

    // The actual request (a public operation, as a browser would send it).
    let resp = app
        .send(
            RawRequest::idp(
                "InitiateAuth",
                r#"{"AuthFlow":"USER_PASSWORD_AUTH","ClientId":"abcdefghijklmnopqrstuvwxyz","AuthParameters":{"USERNAME":"u","PASSWORD":"p"}}"#,
            )
            .header("origin", origin),
        )
        .await;
    let allow_origin = resp
        .header("access-control-allow-origin")
        .expect("Access-Control-Allow-Origin on the response");
    assert!(allow_origin == "*" || allow_origin == origin, "{allow_origin}");

    // Errors too.
    let resp = app
        .send(RawRequest::idp("ListUserPools", LIST_POOLS).header("origin", origin))
        .await;
    assert!(resp.header("access-control-allow-origin").is_some());
    })
    .await;
}

#[tokio::test]
async fn public_operations_are_not_refused_for_lack_of_a_signature() {
    each_backend(|app| async move {
    // The SDK sends InitiateAuth unsigned.
    let err = service_error(
        app.unsigned_idp()
            .initiate_auth()
            .auth_flow(AuthFlowType::UserPasswordAuth)
            .client_id("abcdefghijklmnopqrstuvwxyz")
            .auth_parameters("USERNAME", "someone")
            .auth_parameters("PASSWORD", "Passw0rd!")
            .send()
            .await,
    );
    assert!(
        !AUTH_ERRORS.contains(&err.code.as_str()),
        "an unsigned public call was refused: {err:?}"
    );

    // A signature on a public operation is ignored, even a bad one.
    let body = r#"{"AuthFlow":"USER_PASSWORD_AUTH","ClientId":"abcdefghijklmnopqrstuvwxyz","AuthParameters":{"USERNAME":"u","PASSWORD":"Passw0rd!"}}"#;
    let resp = app
        .send_signed_with(
            RawRequest::idp("InitiateAuth", body),
            &random_access_key(),
            app.clock().system_time(),
        )
        .await;
    let error_type = resp.error_type().unwrap_or_default();
    assert!(
        !AUTH_ERRORS.contains(&error_type.as_str()),
        "a signed public call was refused for its signature: {}",
        resp.text()
    );
    })
    .await;
}

#[tokio::test]
async fn public_operation_with_unknown_client_is_resource_not_found() {
    each_backend(|app| async move {
        let err = service_error(
            app.unsigned_idp()
                .initiate_auth()
                .auth_flow(AuthFlowType::UserPasswordAuth)
                .client_id("abcdefghijklmnopqrstuvwxyz")
                .auth_parameters("USERNAME", "someone")
                .auth_parameters("PASSWORD", "Passw0rd!")
                .send()
                .await,
        );
        err.assert_code("ResourceNotFoundException");
    })
    .await;
}

#[tokio::test]
async fn error_body_has_type_and_message() {
    each_backend(|app| async move {
        let resp = app
            .send_signed(RawRequest::idp(
                "DescribeUserPool",
                r#"{"UserPoolId": "us-east-1_NoSuchPoo"}"#,
            ))
            .await;
        assert_error(&resp, "ResourceNotFoundException");
        assert_eq!(
            resp.header("content-type"),
            Some("application/x-amz-json-1.1")
        );
        let json = resp.json();
        assert!(json["message"].is_string(), "{json}");
    })
    .await;
}

#[tokio::test]
async fn empty_output_is_an_empty_object() {
    each_backend(|app| async move {
        let pool = super::support::new_pool_id(&app.idp()).await;
        let resp = app
            .send_signed(RawRequest::idp(
                "DeleteUserPool",
                format!(r#"{{"UserPoolId": "{pool}"}}"#),
            ))
            .await;
        assert_eq!(resp.status, 200, "{}", resp.text());
        assert_eq!(resp.json(), serde_json::json!({}));
    })
    .await;
}
