//! The end of `/oauth2/authorize` (what the hosted UI calls once the user signed in):
//! the code redirect and the implicit grant's fragment, the ID token's claims narrowed by
//! the email/phone/profile scopes, and the strictness points of the code flow that
//! oauth.rs does not cover (redirect_uri tricks, state carried, another client's code).

use std::collections::HashMap;

use monban_core::oauth::{complete_authorization, AuthorizationRequest};
use monban_core::pool_config::{load_client, load_pool};
use monban_core::users::find_user;
use monban_core::wire::idp::OAuthFlowType as CoreFlow;
use monban_testkit::idp::types::{ExplicitAuthFlowsType, OAuthFlowType};
use monban_testkit::{each_backend, RawRequest, TestApp};
use percent_encoding::percent_decode_str;

use super::oauth::{code_fixture, error_of, form, mint, verify, CALLBACK};
use super::support::{create_user, new_pool_id};

/// A pool with one user (`bob`, with email, phone and name) and a client allowing the
/// code and implicit flows and every standard scope.
async fn fixture(app: &TestApp) -> (String, String) {
    let idp = app.idp();
    let pool = new_pool_id(&idp).await;
    let client = idp
        .create_user_pool_client()
        .user_pool_id(&pool)
        .client_name("spa")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .allowed_o_auth_flows_user_pool_client(true)
        .allowed_o_auth_flows(OAuthFlowType::Implicit)
        .allowed_o_auth_flows(OAuthFlowType::Code)
        .allowed_o_auth_scopes("openid")
        .allowed_o_auth_scopes("email")
        .allowed_o_auth_scopes("phone")
        .allowed_o_auth_scopes("profile")
        .callback_urls(CALLBACK)
        .supported_identity_providers("COGNITO")
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap()
        .client_id
        .unwrap();
    create_user(
        &idp,
        &pool,
        "bob",
        &[
            ("email", "bob@example.com"),
            ("email_verified", "true"),
            ("phone_number", "+15555550100"),
            ("name", "Bob"),
        ],
    )
    .await;
    (pool, client)
}

/// What the hosted UI does once bob signed in: the redirect for this request.
async fn complete(
    app: &TestApp,
    pool: &str,
    client: &str,
    flow: CoreFlow,
    scopes: &[&str],
    state: Option<&str>,
) -> String {
    let cx = app.cx();
    let pool = load_pool(cx, pool).await.unwrap();
    let client = load_client(cx, &pool.id, client).await.unwrap();
    let user = find_user(cx, &pool, "bob").await.unwrap();
    let request = AuthorizationRequest {
        flow,
        redirect_uri: CALLBACK.to_owned(),
        scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
        state: state.map(str::to_owned),
        code_challenge: None,
        nonce: Some("nonce-1".to_owned()),
    };
    complete_authorization(cx, &pool, &client, &user, &request, cx.now_ms())
        .await
        .unwrap()
}

fn pairs(text: &str) -> HashMap<String, String> {
    text.split('&')
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| {
            (
                k.to_owned(),
                percent_decode_str(v).decode_utf8().unwrap().into_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn implicit_grant_puts_tokens_in_the_fragment() {
    each_backend(|app| async move {
        let (pool, client) = fixture(&app).await;
        // authorize accepts response_type=token for this client...
        let res = app
            .send(RawRequest::new(
                "GET",
                &format!("/{pool}/oauth2/authorize?response_type=token&client_id={client}&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb&scope=openid+profile&state=s%201"),
            ))
            .await;
        assert_eq!(res.status, 302);
        assert!(res.header("location").unwrap().contains("/login?"));

        // ...and after sign-in the tokens come back in the fragment, with the state.
        let location = complete(
            &app,
            &pool,
            &client,
            CoreFlow::Implicit,
            &["openid", "profile"],
            Some("s 1"),
        )
        .await;
        let (base, fragment) = location.split_once('#').unwrap();
        assert_eq!(base, CALLBACK);
        let got = pairs(fragment);
        assert_eq!(got["token_type"], "Bearer");
        assert_eq!(got["expires_in"], "3600");
        assert_eq!(got["state"], "s 1");
        assert!(!got.contains_key("refresh_token"), "{fragment}");
        assert!(!got.contains_key("code"));
        let id = verify(&app, &pool, &got["id_token"], Some(&client)).await;
        assert_eq!(id["nonce"], "nonce-1");
        assert_eq!(id["name"], "Bob");
        // profile only: no email or phone claims.
        assert!(id.get("email").is_none() && id.get("phone_number").is_none(), "{id}");
        let access = verify(&app, &pool, &got["access_token"], None).await;
        assert_eq!(access["scope"], "openid profile");
        // The access token works at userInfo and dies with a global sign-out.
        let info = |token: String| {
            RawRequest::new("GET", &format!("/{pool}/oauth2/userInfo"))
                .header("authorization", &format!("Bearer {token}"))
        };
        let res = app.send(info(got["access_token"].clone())).await;
        assert_eq!(res.status, 200, "{}", res.text());
        assert_eq!(res.json()["name"], "Bob");
        app.idp()
            .admin_user_global_sign_out()
            .user_pool_id(&pool)
            .username("bob")
            .send()
            .await
            .unwrap();
        assert_eq!(app.send(info(got["access_token"].clone())).await.status, 401);

        // Without openid: an access token only.
        let location = complete(&app, &pool, &client, CoreFlow::Implicit, &["phone"], None).await;
        let got = pairs(location.split_once('#').unwrap().1);
        assert!(got.contains_key("access_token") && !got.contains_key("id_token"));
        assert!(!got.contains_key("state"));
    })
    .await;
}

#[tokio::test]
async fn id_token_claims_follow_the_scopes_and_codes_carry_state() {
    each_backend(|app| async move {
        let (pool, client) = fixture(&app).await;
        let token_path = format!("/{pool}/oauth2/token");
        let redeem = |code: String| {
            form(
                &token_path,
                &format!("grant_type=authorization_code&client_id={client}&code={code}&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb"),
            )
        };
        let id_claims = |scopes: &'static [&'static str]| {
            let (app, pool, client, redeem) = (&app, &pool, &client, &redeem);
            async move {
                let location =
                    complete(app, pool, client, CoreFlow::Code, scopes, Some("xyz")).await;
                let (base, query) = location.split_once('?').unwrap();
                assert_eq!(base, CALLBACK);
                let got = pairs(query);
                assert_eq!(got["state"], "xyz");
                let res = app.send(redeem(got["code"].clone())).await;
                assert_eq!(res.status, 200, "{}", res.text());
                let tokens = res.json();
                let id = verify(app, pool, tokens["id_token"].as_str().unwrap(), Some(client)).await;
                // userInfo selects the same attributes.
                let info = app
                    .send(
                        RawRequest::new("GET", &format!("/{pool}/oauth2/userInfo")).header(
                            "authorization",
                            &format!("Bearer {}", tokens["access_token"].as_str().unwrap()),
                        ),
                    )
                    .await
                    .json();
                for claim in ["email", "phone_number", "name"] {
                    assert_eq!(id.get(claim).is_some(), info.get(claim).is_some(), "{claim}");
                }
                id
            }
        };
        // openid alone: every readable attribute.
        let id = id_claims(&["openid"]).await;
        assert_eq!(id["email"], "bob@example.com");
        assert_eq!(id["email_verified"], true);
        assert_eq!(id["phone_number"], "+15555550100");
        assert_eq!(id["name"], "Bob");
        // With email: email claims only (sub and Cognito's claims always).
        let id = id_claims(&["openid", "email"]).await;
        assert_eq!(id["email"], "bob@example.com");
        assert!(id.get("name").is_none() && id.get("phone_number").is_none(), "{id}");
        assert_eq!(id["cognito:username"], "bob");
        assert!(id["sub"].is_string());
        let id = id_claims(&["openid", "phone", "profile"]).await;
        assert_eq!(id["phone_number"], "+15555550100");
        assert_eq!(id["name"], "Bob");
        assert!(id.get("email").is_none());
        // The refresh keeps the narrowing.
        let location = complete(&app, &pool, &client, CoreFlow::Code, &["openid", "email"], None).await;
        let code = pairs(location.split_once('?').unwrap().1)["code"].clone();
        let tokens = app.send(redeem(code)).await.json();
        let res = app
            .send(form(
                &token_path,
                &format!(
                    "grant_type=refresh_token&client_id={client}&refresh_token={}",
                    tokens["refresh_token"].as_str().unwrap()
                ),
            ))
            .await;
        let id = verify(&app, &pool, res.json()["id_token"].as_str().unwrap(), Some(&client)).await;
        assert!(id.get("name").is_none() && id["email"] == "bob@example.com", "{id}");
    })
    .await;
}

#[tokio::test]
async fn redirect_uri_must_match_exactly_and_codes_belong_to_their_client() {
    each_backend(|app| async move {
        let f = code_fixture(&app).await;
        let authorize = |redirect: &str| {
            RawRequest::new(
                "GET",
                &format!(
                    "/{}/oauth2/authorize?response_type=code&client_id={}&redirect_uri={redirect}&state=s",
                    f.pool, f.client
                ),
            )
        };
        // The registered URI (https://app.example.com/cb) passes...
        let res = app.send(authorize("https%3A%2F%2Fapp.example.com%2Fcb")).await;
        assert_eq!(res.status, 302);
        // ...near misses get the error page: never a redirect to them.
        for trick in [
            "https://app.example.com/cb/",
            "https://app.example.com/cbx",
            "https://app.example.com/c",
            "https://APP.example.com/cb",
            "https://app.example.com/CB",
            "https://app.example.com/cb?next=/admin",
            "https://app.example.com/cb#frag",
            "https://app.example.com/cb/../cb",
            "https://app.example.com:443/cb",
            "http://app.example.com/cb",
            "https://app.example.com.evil.example/cb",
            "https://app.example.com@evil.example/cb",
            "https://app.example.com",
            "https://app.example.com/cb%00",
        ] {
            let encoded: String =
                percent_encoding::utf8_percent_encode(trick, percent_encoding::NON_ALPHANUMERIC)
                    .to_string();
            let res = app.send(authorize(&encoded)).await;
            assert_eq!(res.status, 400, "{trick}");
            assert!(res.header("location").is_none(), "{trick}");
        }
        // The token endpoint wants the same redirect_uri, exactly.
        let token = format!("/{}/oauth2/token", f.pool);
        for trick in ["https%3A%2F%2Fapp.example.com%2Fcb%2F", "https%3A%2F%2FAPP.example.com%2Fcb", ""] {
            let code = mint(&app, &f, None).await;
            let res = app
                .send(form(
                    &token,
                    &format!(
                        "grant_type=authorization_code&client_id={}&code={code}&redirect_uri={trick}",
                        f.client
                    ),
                ))
                .await;
            assert_eq!(error_of(&res), "invalid_grant", "{trick}");
        }
        // Another client of the same pool cannot redeem the code (and spends it).
        let other = app
            .idp()
            .create_user_pool_client()
            .user_pool_id(&f.pool)
            .client_name("other")
            .allowed_o_auth_flows_user_pool_client(true)
            .allowed_o_auth_flows(OAuthFlowType::Code)
            .allowed_o_auth_scopes("openid")
            .callback_urls(CALLBACK)
            .supported_identity_providers("COGNITO")
            .send()
            .await
            .unwrap()
            .user_pool_client
            .unwrap()
            .client_id
            .unwrap();
        let code = mint(&app, &f, None).await;
        let body = |client: &str| {
            format!("grant_type=authorization_code&client_id={client}&code={code}&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb")
        };
        let res = app.send(form(&token, &body(&other))).await;
        assert_eq!(error_of(&res), "invalid_grant");
        let res = app.send(form(&token, &body(&f.client))).await;
        assert_eq!(error_of(&res), "invalid_grant");
        // A code from another pool's endpoint is refused too.
        let g = code_fixture(&app).await;
        let code = mint(&app, &f, None).await;
        let res = app
            .send(form(
                &format!("/{}/oauth2/token", g.pool),
                &format!("grant_type=authorization_code&client_id={}&code={code}&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb", g.client),
            ))
            .await;
        assert_eq!(error_of(&res), "invalid_grant");
        // PKCE: a challenge without its verifier, and a verifier for a code without one
        // that is malformed, are both refused... the plain method never gets that far.
        let res = app
            .send(RawRequest::new(
                "GET",
                &format!(
                    "/{}/oauth2/authorize?response_type=code&client_id={}&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb&code_challenge_method=S256",
                    f.pool, f.client
                ),
            ))
            .await;
        assert!(res
            .header("location")
            .unwrap()
            .starts_with(&format!("{CALLBACK}?error=invalid_request")));
    })
    .await;
}

/// A second server on the same store and settings, except that `client` gets strict
/// OpenID Connect.
async fn strict_server(app: &TestApp, client: &str) -> std::net::SocketAddr {
    let mut cx = app.cx().clone();
    let mut settings = (*cx.settings).clone();
    settings.oauth.strict_oidc_clients = vec![client.to_owned()];
    cx.settings = std::sync::Arc::new(settings);
    let router = monban_server::router(monban_server::App {
        cx,
        admin_keys: Vec::new(),
        dev: false,
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    addr
}

#[tokio::test]
async fn strict_oidc_clients_get_the_standard_answers() {
    each_backend(|app| async move {
        let f = code_fixture(&app).await;
        let strict = strict_server(&app, &f.client).await;
        let code = mint(&app, &f, None).await;
        let res = app
            .send(form(
                &format!("/{}/oauth2/token", f.pool),
                &format!("grant_type=authorization_code&client_id={}&code={code}&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb", f.client),
            ))
            .await;
        let access = res.json()["access_token"].as_str().unwrap().to_owned();
        let info = RawRequest::new("GET", &format!("/{}/oauth2/userInfo", f.pool))
            .header("authorization", &format!("Bearer {access}"));
        // Cognito's strings by default, OpenID Connect's booleans for the strict client.
        assert_eq!(app.send(info.clone()).await.json()["email_verified"], "true");
        let res = monban_testkit::raw::send(strict, info).await;
        assert_eq!(res.status, 200, "{}", res.text());
        assert_eq!(res.json()["email_verified"], true);

        // A failed client authentication: Cognito's 400, or RFC 6749's 401.
        let bad = form(
            &format!("/{}/oauth2/token", f.pool),
            &format!("grant_type=refresh_token&refresh_token=x&client_id={}&client_secret=nope", f.client),
        );
        let res = app.send(bad.clone()).await;
        assert_eq!((res.status, error_of(&res)), (400, "invalid_client".to_owned()));
        assert!(res.header("www-authenticate").is_none());
        let res = monban_testkit::raw::send(strict, bad).await;
        assert_eq!((res.status, error_of(&res)), (401, "invalid_client".to_owned()));
        assert!(res.header("www-authenticate").unwrap().starts_with("Basic"));
    })
    .await;
}
