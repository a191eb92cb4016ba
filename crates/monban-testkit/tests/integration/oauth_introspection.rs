//! monban's OAuth extensions for resource servers and reverse proxies: token
//! introspection (RFC 7662) at `/{pool}/oauth2/introspect` and forward auth at
//! `/{pool}/forward-auth`, both revocation-aware, called over raw HTTP as a resource
//! server or nginx would.

use std::time::Duration;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use monban_testkit::idp::types::OAuthFlowType;
use monban_testkit::{each_backend, RawRequest, RawResponse, TestApp};
use serde_json::Value;

use super::oauth::{code_fixture, error_of, form, mint, CodeFixture};

/// Tokens of alice for the fixture's client, through the code grant.
async fn user_tokens(app: &TestApp, f: &CodeFixture) -> Value {
    let code = mint(app, f, None).await;
    let res = app
        .send(form(
            &format!("/{}/oauth2/token", f.pool),
            &format!(
                "grant_type=authorization_code&client_id={}&code={code}&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb",
                f.client
            ),
        ))
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    res.json()
}

/// A client-credentials client of `pool` (its id and secret) and one of its tokens.
async fn m2m(app: &TestApp, pool: &str) -> (String, String, String) {
    let client = app
        .idp()
        .create_user_pool_client()
        .user_pool_id(pool)
        .client_name("m2m")
        .generate_secret(true)
        .allowed_o_auth_flows_user_pool_client(true)
        .allowed_o_auth_flows(OAuthFlowType::ClientCredentials)
        .allowed_o_auth_scopes("api/read")
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap();
    let (id, secret) = (
        client.client_id().unwrap().to_owned(),
        client.client_secret().unwrap().to_owned(),
    );
    let res = app
        .send(form(
            &format!("/{pool}/oauth2/token"),
            &format!("grant_type=client_credentials&client_id={id}&client_secret={secret}"),
        ))
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let token = res.json()["access_token"].as_str().unwrap().to_owned();
    (id, secret, token)
}

async fn introspect(app: &TestApp, pool: &str, client_id: &str, token: &str) -> RawResponse {
    app.send(form(
        &format!("/{pool}/oauth2/introspect"),
        &format!("token={token}&client_id={client_id}&token_type_hint=access_token"),
    ))
    .await
}

#[tokio::test]
async fn introspection_reports_live_tokens_and_honours_revocation() {
    each_backend(|app| async move {
        let f = code_fixture(&app).await;
        let tokens = user_tokens(&app, &f).await;
        let access = tokens["access_token"].as_str().unwrap();
        let id_token = tokens["id_token"].as_str().unwrap();

        let res = introspect(&app, &f.pool, &f.client, access).await;
        assert_eq!(res.status, 200, "{}", res.text());
        assert_eq!(res.header("cache-control"), Some("no-store"));
        let body = res.json();
        assert_eq!(body["active"], true);
        assert_eq!(body["scope"], "openid email api/read");
        assert_eq!(body["client_id"], f.client.as_str());
        assert_eq!(body["username"], "alice");
        assert_eq!(body["token_type"], "Bearer");
        assert_eq!(body["token_use"], "access");
        assert_eq!(body["iss"], format!("{}/{}", app.endpoint(), f.pool));
        assert!(body["exp"].as_i64().unwrap() > body["iat"].as_i64().unwrap());

        let body = introspect(&app, &f.pool, &f.client, id_token).await.json();
        assert_eq!(body["active"], true);
        assert_eq!(body["aud"], f.client.as_str());
        assert_eq!(body["token_use"], "id");

        // Anything else is just inactive, whatever the reason.
        for token in [
            "garbage",
            "a.b.c",
            tokens["refresh_token"].as_str().unwrap(),
        ] {
            let res = introspect(&app, &f.pool, &f.client, token).await;
            assert_eq!(res.status, 200);
            assert_eq!(res.json(), serde_json::json!({ "active": false }));
        }
        // The endpoint needs a token and an authenticated client of the pool.
        let path = format!("/{}/oauth2/introspect", f.pool);
        let res = app
            .send(form(&path, &format!("client_id={}", f.client)))
            .await;
        assert_eq!(
            (res.status, error_of(&res)),
            (400, "invalid_request".to_owned())
        );
        let res = app
            .send(form(
                &path,
                &format!("token={access}&client_id=nosuchclient"),
            ))
            .await;
        assert_eq!(
            (res.status, error_of(&res)),
            (401, "invalid_client".to_owned())
        );
        // A client of another pool is not told about this pool's tokens.
        let other = code_fixture(&app).await;
        let body = introspect(&app, &other.pool, &other.client, access)
            .await
            .json();
        assert_eq!(body["active"], false);

        // Machine-to-machine tokens: live while their client exists.
        let (m2m_id, secret, m2m_token) = m2m(&app, &f.pool).await;
        let basic = format!("Basic {}", STANDARD.encode(format!("{m2m_id}:{secret}")));
        let res = app
            .send(form(&path, &format!("token={m2m_token}")).header("authorization", &basic))
            .await;
        let body = res.json();
        assert_eq!(body["active"], true, "{body}");
        assert_eq!(body["client_id"], m2m_id.as_str());
        assert_eq!(body["sub"], m2m_id.as_str());
        assert_eq!(body["scope"], "api/read");
        assert!(body.get("username").is_none());
        app.idp()
            .delete_user_pool_client()
            .user_pool_id(&f.pool)
            .client_id(&m2m_id)
            .send()
            .await
            .unwrap();
        let body = introspect(&app, &f.pool, &f.client, &m2m_token)
            .await
            .json();
        assert_eq!(body["active"], false);

        // Revoking the refresh token kills the family's access and ID tokens.
        let res = app
            .send(form(
                &format!("/{}/oauth2/revoke", f.pool),
                &format!(
                    "token={}&client_id={}",
                    tokens["refresh_token"].as_str().unwrap(),
                    f.client
                ),
            ))
            .await;
        assert_eq!(res.status, 200);
        for token in [access, id_token] {
            let body = introspect(&app, &f.pool, &f.client, token).await.json();
            assert_eq!(body["active"], false);
        }

        // Expiry.
        let fresh = user_tokens(&app, &f).await;
        let fresh = fresh["access_token"].as_str().unwrap();
        assert_eq!(
            introspect(&app, &f.pool, &f.client, fresh).await.json()["active"],
            true
        );
        app.clock().advance(Duration::from_secs(3601));
        assert_eq!(
            introspect(&app, &f.pool, &f.client, fresh).await.json()["active"],
            false
        );
    })
    .await;
}

fn forward(pool: &str, query: &str, token: Option<&str>) -> RawRequest {
    let req = RawRequest::new("GET", &format!("/{pool}/forward-auth?{query}"))
        .header("x-forwarded-proto", "https")
        .header("x-forwarded-host", "app.example.com")
        .header("x-forwarded-uri", "/reports?year=2026");
    match token {
        Some(token) => req.header("authorization", &format!("Bearer {token}")),
        None => req,
    }
}

#[tokio::test]
async fn forward_auth_answers_as_a_reverse_proxy_expects() {
    each_backend(|app| async move {
        let f = code_fixture(&app).await;
        let idp = app.idp();
        idp.create_group()
            .user_pool_id(&f.pool)
            .group_name("admins")
            .send()
            .await
            .unwrap();
        idp.admin_add_user_to_group()
            .user_pool_id(&f.pool)
            .username("alice")
            .group_name("admins")
            .send()
            .await
            .unwrap();
        let tokens = user_tokens(&app, &f).await;
        let access = tokens["access_token"].as_str().unwrap();
        let c = &f.client;

        // No credentials: 401 with a challenge, no identity.
        let res = app.send(forward(&f.pool, "", None)).await;
        assert_eq!(res.status, 401);
        assert_eq!(res.header("www-authenticate"), Some("Bearer"));
        assert!(res.header("x-auth-request-user").is_none());
        let res = app.send(forward(&f.pool, "", Some("not-a-token"))).await;
        assert_eq!(res.status, 401);

        // A good token: the identity in headers.
        let res = app
            .send(forward(&f.pool, &format!("client_id={c}"), Some(access)))
            .await;
        assert_eq!(res.status, 200, "{}", res.text());
        assert_eq!(res.header("x-auth-request-user"), Some("alice"));
        assert_eq!(
            res.header("x-auth-request-email"),
            Some("alice@example.com")
        );
        assert_eq!(res.header("x-auth-request-groups"), Some("admins"));
        assert_eq!(res.header("x-auth-request-client-id"), Some(c.as_str()));
        let sub = res.header("x-auth-request-sub").unwrap().to_owned();
        assert_eq!(sub.len(), 36, "{sub}");
        // The ID token works too.
        let res = app
            .send(forward(&f.pool, "", tokens["id_token"].as_str()))
            .await;
        assert_eq!(res.status, 200);
        assert_eq!(res.header("x-auth-request-sub"), Some(sub.as_str()));

        // Rules: client, groups (any of), scopes (all of).
        let res = app
            .send(forward(&f.pool, "client_id=someoneelse", Some(access)))
            .await;
        assert_eq!(res.status, 401);
        let res = app
            .send(forward(&f.pool, "groups=ops", Some(access)))
            .await;
        assert_eq!(res.status, 403);
        let res = app
            .send(forward(&f.pool, "groups=ops,admins", Some(access)))
            .await;
        assert_eq!(res.status, 200);
        let res = app
            .send(forward(&f.pool, "scopes=api%2Fread,openid", Some(access)))
            .await;
        assert_eq!(res.status, 200);
        let res = app
            .send(forward(&f.pool, "scopes=api%2Fread+api%2Fwrite", Some(access)))
            .await;
        assert_eq!(res.status, 403);
        // Another pool's endpoint does not take this pool's tokens.
        let other = code_fixture(&app).await;
        let res = app.send(forward(&other.pool, "", Some(access))).await;
        assert_eq!(res.status, 401);

        // redirect=1: the login page, coming back to a registered callback with the
        // original URL as state.
        let res = app
            .send(forward(
                &f.pool,
                &format!("client_id={c}&redirect=1&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb"),
                None,
            ))
            .await;
        assert_eq!(res.status, 302);
        assert_eq!(
            res.header("location").unwrap(),
            format!(
                "{}/{}/login?response_type=code&client_id={c}&redirect_uri=https%3A%2F%2Fapp%2Eexample%2Ecom%2Fcb&state=https%3A%2F%2Fapp%2Eexample%2Ecom%2Freports%3Fyear%3D2026",
                app.endpoint(),
                f.pool
            )
        );
        // The login page it names accepts that request.
        let location = res.header("location").unwrap().replace("/login?", "/oauth2/authorize?");
        let path = location.strip_prefix(app.endpoint()).unwrap();
        let res = app.send(RawRequest::new("GET", path)).await;
        assert_eq!(res.status, 302);
        assert!(res.header("location").unwrap().contains("/login?"));
        // A good token is never redirected.
        let res = app
            .send(forward(&f.pool, &format!("client_id={c}&redirect=1"), Some(access)))
            .await;
        assert_eq!(res.status, 200);

        // Machine-to-machine tokens: the client is the user.
        let (m2m_id, _, m2m_token) = m2m(&app, &other.pool).await;
        let res = app
            .send(forward(&other.pool, "scopes=api%2Fread", Some(&m2m_token)))
            .await;
        assert_eq!(res.status, 200);
        assert_eq!(res.header("x-auth-request-user"), Some(m2m_id.as_str()));

        // Sign-out everywhere: refused at once.
        idp.admin_user_global_sign_out()
            .user_pool_id(&f.pool)
            .username("alice")
            .send()
            .await
            .unwrap();
        let res = app.send(forward(&f.pool, "", Some(access))).await;
        assert_eq!(res.status, 401);
        // Expired tokens too.
        let fresh = user_tokens(&app, &f).await;
        let fresh = fresh["access_token"].as_str().unwrap();
        assert_eq!(app.send(forward(&f.pool, "", Some(fresh))).await.status, 200);
        app.clock().advance(Duration::from_secs(3601));
        assert_eq!(app.send(forward(&f.pool, "", Some(fresh))).await.status, 401);
    })
    .await;
}

#[tokio::test]
async fn client_credentials_tokens_go_through_a_v3_pre_token_generation_function() {
    use monban_testkit::idp::types::{
        LambdaConfigType, PreTokenGenerationLambdaVersionType, PreTokenGenerationVersionConfigType,
    };
    use monban_testkit::webhook::{Receiver, Reply};
    use serde_json::json;

    each_backend(|app| async move {
        let receiver = Receiver::start(|_, _| {
            Reply::Respond(json!({"claimsAndScopeOverrideDetails": {
                "accessTokenGeneration": {
                    "claimsToAddOrOverride": {"tenant": "t1", "sub": "forged"},
                    "scopesToAdd": ["api/extra"],
                },
                "idTokenGeneration": {"claimsToAddOrOverride": {"ignored": true}},
            }}))
        })
        .await;
        let idp = app.idp();
        let config = |version| {
            LambdaConfigType::builder()
                .pre_token_generation_config(
                    PreTokenGenerationVersionConfigType::builder()
                        .lambda_arn(receiver.url("PreTokenGeneration"))
                        .lambda_version(version)
                        .build()
                        .unwrap(),
                )
                .build()
        };
        let mut pools = Vec::new();
        for version in [
            PreTokenGenerationLambdaVersionType::V30,
            PreTokenGenerationLambdaVersionType::V20,
        ] {
            let pool = idp
                .create_user_pool()
                .pool_name(monban_testkit::unique_name("m2m"))
                .lambda_config(config(version))
                .send()
                .await
                .unwrap()
                .user_pool
                .unwrap()
                .id
                .unwrap();
            super::oauth::create_api(&app, &pool).await;
            pools.push(pool);
        }

        // V3: the function sees the grant and edits the access token (not `sub`).
        let (id, secret, _) = m2m(&app, &pools[0]).await;
        let first = receiver.take();
        assert_eq!(first.len(), 1, "the token m2m() asked for");
        let res = app
            .send(form(
                &format!("/{}/oauth2/token", pools[0]),
                &format!(
                    "grant_type=client_credentials&client_id={id}&client_secret={secret}&aws_client_metadata=%7B%22env%22%3A%22prod%22%7D"
                ),
            ))
            .await;
        assert_eq!(res.status, 200, "{}", res.text());
        let token = res.json()["access_token"].as_str().unwrap().to_owned();
        let claims = super::oauth::verify(&app, &pools[0], &token, None).await;
        assert_eq!(claims["tenant"], "t1");
        assert_eq!(claims["sub"], id.as_str());
        assert_eq!(claims["scope"], "api/read api/extra");
        let calls = receiver.take();
        let event = &calls[0].event;
        assert_eq!(event["version"], "3");
        assert_eq!(event["triggerSource"], "TokenGeneration_ClientCredentials");
        assert_eq!(event["callerContext"]["clientId"], id.as_str());
        assert_eq!(event["request"]["scopes"], json!(["api/read"]));
        assert_eq!(event["request"]["clientMetadata"], json!({"env": "prod"}));
        assert!(event.get("userName").is_none(), "{event}");
        // Malformed metadata is the client's error.
        let res = app
            .send(form(
                &format!("/{}/oauth2/token", pools[0]),
                &format!("grant_type=client_credentials&client_id={id}&client_secret={secret}&aws_client_metadata=nope"),
            ))
            .await;
        assert_eq!(error_of(&res), "invalid_request");

        // V1/V2 functions are not called for machine-to-machine tokens.
        let (_, _, token) = m2m(&app, &pools[1]).await;
        assert!(receiver.take().is_empty());
        let claims = super::oauth::verify(&app, &pools[1], &token, None).await;
        assert!(claims.get("tenant").is_none());
    })
    .await;
}

#[tokio::test]
async fn forward_auth_takes_the_hosted_ui_session_without_a_token() {
    use monban_core::hosted_ui::open_session;
    use monban_core::pool_config::load_pool;
    use monban_core::users::find_user;

    each_backend(|app| async move {
        let f = code_fixture(&app).await;
        app.idp()
            .create_group()
            .user_pool_id(&f.pool)
            .group_name("staff")
            .send()
            .await
            .unwrap();
        app.idp()
            .admin_add_user_to_group()
            .user_pool_id(&f.pool)
            .username("alice")
            .group_name("staff")
            .send()
            .await
            .unwrap();
        let cx = app.cx();
        let pool = load_pool(cx, &f.pool).await.unwrap();
        let user = find_user(cx, &pool, "alice").await.unwrap();
        let cookie = open_session(cx, &f.pool, &user, cx.now_ms()).await.unwrap();
        let with_cookie = |query: &str| {
            forward(&f.pool, query, None).header("cookie", &format!("monban_session={cookie}"))
        };
        let res = app.send(with_cookie("groups=staff")).await;
        assert_eq!(res.status, 200, "{}", res.text());
        assert_eq!(res.header("x-auth-request-user"), Some("alice"));
        assert_eq!(res.header("x-auth-request-groups"), Some("staff"));
        assert!(res.header("x-auth-request-client-id").is_none());
        assert_eq!(app.send(with_cookie("groups=ops")).await.status, 403);
        // A session carries no scopes.
        assert_eq!(app.send(with_cookie("scopes=openid")).await.status, 403);
        // A bearer token, when sent, decides alone.
        let res = app
            .send(with_cookie("").header("authorization", "Bearer not-a-token"))
            .await;
        assert_eq!(res.status, 401);
        // Another pool's endpoint does not know this session; nor does anyone once the
        // user is disabled.
        let other = code_fixture(&app).await;
        let res = app
            .send(
                forward(&other.pool, "", None)
                    .header("cookie", &format!("monban_session={cookie}")),
            )
            .await;
        assert_eq!(res.status, 401);
        app.idp()
            .admin_disable_user()
            .user_pool_id(&f.pool)
            .username("alice")
            .send()
            .await
            .unwrap();
        assert_eq!(app.send(with_cookie("")).await.status, 401);
    })
    .await;
}
