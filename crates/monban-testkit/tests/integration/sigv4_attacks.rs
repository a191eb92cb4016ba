//! Attacks on SigV4 beyond protocol.rs's refusals: a captured request replayed after the
//! date window, a signed request with its body, target, date, host or query changed, a
//! signed header removed, the signature of another key or of another service's scope, an
//! unsigned `X-Amz-Target` swapped, and a duplicated `Authorization` header. Each is
//! refused with AWS's error, and the untouched request is accepted, so that each refusal is
//! about the one change.

use std::time::Duration;

use monban_testkit::{
    each_backend, random_access_key, AccessKey, RawRequest, RawResponse, TestApp,
};

const LIST_POOLS: &str = r#"{"MaxResults": 10}"#;

#[track_caller]
fn assert_refused(resp: &RawResponse, error_type: &str, what: &str) {
    assert_eq!(resp.status, 400, "{what}: {}", resp.text());
    assert_eq!(
        resp.error_type().as_deref(),
        Some(error_type),
        "{what}: {}",
        resp.text()
    );
}

fn signed(app: &TestApp, req: RawRequest, key: &AccessKey) -> RawRequest {
    req.signed(&app.addr().to_string(), key, app.clock().system_time())
}

/// A user pool to describe and delete, so that a swapped target would show.
async fn pool(app: &TestApp) -> String {
    super::support::new_pool_id(&app.idp()).await
}

#[tokio::test]
async fn a_captured_request_replayed_after_the_window_is_refused() {
    each_backend(|app| async move {
        let captured = signed(
            &app,
            RawRequest::idp("ListUserPools", LIST_POOLS),
            app.admin_key(),
        );
        let resp = app.send(captured.clone()).await;
        assert_eq!(resp.status, 200, "{}", resp.text());
        // Within the window a replay is accepted, as by AWS: SigV4 has no nonce.
        app.clock().advance(Duration::from_secs(14 * 60));
        assert_eq!(app.send(captured.clone()).await.status, 200);
        app.clock().advance(Duration::from_secs(2 * 60));
        let resp = app.send(captured).await;
        assert_refused(
            &resp,
            "InvalidSignatureException",
            "replay after 16 minutes",
        );
        assert!(
            resp.message()
                .unwrap_or_default()
                .starts_with("Signature expired"),
            "{}",
            resp.text()
        );
    })
    .await;
}

#[tokio::test]
async fn any_change_to_a_signed_request_is_refused() {
    each_backend(|app| async move {
        let pool = pool(&app).await;
        let body = format!(r#"{{"UserPoolId": "{pool}"}}"#);
        let original = signed(
            &app,
            RawRequest::idp("DescribeUserPool", body.clone()),
            app.admin_key(),
        );
        assert_eq!(app.send(original.clone()).await.status, 200);

        let date = original.header_value("x-amz-date").unwrap().to_owned();
        let later_date = {
            // One second later, still inside the window.
            let secs: u32 = date[13..15].parse().unwrap();
            format!("{}{:02}Z", &date[..13], (secs + 1) % 60)
        };
        let changes: Vec<(&str, RawRequest)> = vec![
            (
                "another body",
                original
                    .clone()
                    .body(format!(r#"{{"UserPoolId": "{pool}" }}"#)),
            ),
            (
                "another target (signed)",
                original.clone().set_header(
                    "x-amz-target",
                    "AWSCognitoIdentityProviderService.DeleteUserPool",
                ),
            ),
            (
                "another X-Amz-Date",
                original.clone().set_header("x-amz-date", &later_date),
            ),
            (
                "another content type",
                original
                    .clone()
                    .set_header("content-type", "application/json"),
            ),
            (
                "another Host",
                original
                    .clone()
                    .set_header("host", "cognito-idp.us-east-1.amazonaws.com"),
            ),
            (
                "a query string added",
                RawRequest {
                    path: "/?x=1".to_owned(),
                    ..original.clone()
                },
            ),
            (
                "a body hash header that does not match",
                original.clone().header(
                    "x-amz-content-sha256",
                    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                ),
            ),
            (
                "an unsigned payload claim",
                original
                    .clone()
                    .header("x-amz-content-sha256", "UNSIGNED-PAYLOAD"),
            ),
        ];
        for (what, req) in changes {
            assert_refused(&app.send(req).await, "InvalidSignatureException", what);
        }

        // A signed header removed from the request.
        let req = original.clone().without_header("content-type");
        assert_refused(
            &app.send(req).await,
            "InvalidSignatureException",
            "content-type removed",
        );

        // The pool is still there: nothing above ran DeleteUserPool.
        assert_eq!(app.send(original).await.status, 200);
    })
    .await;
}

#[tokio::test]
async fn another_keys_signature_is_refused() {
    each_backend(|app| async move {
        let other = random_access_key();
        // Signed by another key under its own id: unknown to the server.
        let req = signed(&app, RawRequest::idp("ListUserPools", LIST_POOLS), &other);
        assert_refused(
            &app.send(req).await,
            "UnrecognizedClientException",
            "another key",
        );

        // Another key's signature presented under the admin key's id.
        let theirs = signed(&app, RawRequest::idp("ListUserPools", LIST_POOLS), &other);
        let auth = theirs
            .header_value("authorization")
            .unwrap()
            .replace(&other.access_key_id, &app.admin_key().access_key_id);
        let req = theirs.set_header("authorization", &auth);
        assert_refused(
            &app.send(req).await,
            "InvalidSignatureException",
            "another key's signature under the admin key id",
        );

        // The admin key's signature transplanted onto another request.
        let ours = signed(
            &app,
            RawRequest::idp("ListUserPools", LIST_POOLS),
            app.admin_key(),
        );
        let other_req = signed(
            &app,
            RawRequest::idp("ListUserPools", r#"{"MaxResults": 60}"#),
            &other,
        )
        .set_header("authorization", ours.header_value("authorization").unwrap());
        assert_refused(
            &app.send(other_req).await,
            "InvalidSignatureException",
            "a signature moved to another request",
        );

        // A signature with its case changed.
        let auth = ours.header_value("authorization").unwrap();
        let (head, sig) = auth.rsplit_once("Signature=").unwrap();
        let req = ours.clone().set_header(
            "authorization",
            &format!("{head}Signature={}", sig.to_uppercase()),
        );
        assert_refused(
            &app.send(req).await,
            "InvalidSignatureException",
            "upper-case signature",
        );
    })
    .await;
}

#[tokio::test]
async fn a_signature_scoped_to_another_service_is_refused() {
    each_backend(|app| async move {
        let ours = signed(
            &app,
            RawRequest::idp("ListUserPools", LIST_POOLS),
            app.admin_key(),
        );
        let auth = ours
            .header_value("authorization")
            .unwrap()
            .replace("/cognito-idp/", "/cognito-identity/");
        let req = ours.set_header("authorization", &auth);
        assert_refused(
            &app.send(req).await,
            "InvalidSignatureException",
            "a cognito-identity scope on a user-pool call",
        );
    })
    .await;
}

#[tokio::test]
async fn an_unsigned_target_cannot_be_swapped() {
    each_backend(|app| async move {
        let pool = pool(&app).await;
        let body = format!(r#"{{"UserPoolId": "{pool}"}}"#);
        // Signed without the target among the signed headers, the target added afterwards:
        // what a replay swapping DescribeUserPool for DeleteUserPool would send.
        let req = signed(
            &app,
            RawRequest::idp("DescribeUserPool", body.clone()).without_header("x-amz-target"),
            app.admin_key(),
        )
        .header(
            "x-amz-target",
            "AWSCognitoIdentityProviderService.DeleteUserPool",
        );
        assert_refused(
            &app.send(req).await,
            "IncompleteSignatureException",
            "an unsigned X-Amz-Target",
        );
        let described = app
            .send_signed(RawRequest::idp("DescribeUserPool", body))
            .await;
        assert_eq!(
            described.status,
            200,
            "the pool survived: {}",
            described.text()
        );
    })
    .await;
}

/// A second `Authorization` header cannot make a bad signature pass: the server reads the
/// first one only, so a bad first one is refused whatever follows, and a good first one is
/// answered exactly as without the extra header.
#[tokio::test]
async fn a_duplicated_authorization_header_does_not_help_a_bad_signature() {
    each_backend(|app| async move {
        let ours = signed(
            &app,
            RawRequest::idp("ListUserPools", LIST_POOLS),
            app.admin_key(),
        );
        let auth = ours.header_value("authorization").unwrap().to_owned();
        let theirs = signed(
            &app,
            RawRequest::idp("ListUserPools", LIST_POOLS),
            &random_access_key(),
        );
        let bad = theirs.header_value("authorization").unwrap().to_owned();
        let req = ours
            .clone()
            .set_header("authorization", &bad)
            .header("authorization", &auth);
        assert_refused(
            &app.send(req).await,
            "UnrecognizedClientException",
            "bad then good",
        );
        let resp = app.send(ours.clone().header("authorization", &bad)).await;
        let alone = app.send(ours).await;
        assert_eq!((resp.status, resp.json()), (alone.status, alone.json()));
    })
    .await;
}
