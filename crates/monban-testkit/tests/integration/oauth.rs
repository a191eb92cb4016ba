//! The OAuth side of a pool: domains and resource servers (through the SDK), and the
//! `/oauth2/*` endpoints over raw HTTP (token grants, userInfo, revoke, authorize's
//! checks), with tokens verified against the served JWKS. Authorization codes are minted
//! through core, as the hosted UI will once a user has signed in there.

use std::time::Duration;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use monban_core::audit::Outcome;
use monban_core::oauth::{mint_authorization_code, CodeGrant};
use monban_core::pool_config::{load_client, load_pool};
use monban_core::tokens::{self, IssueParams};
use monban_core::users::find_user;
use monban_testkit::idp::types::{
    CustomDomainConfigType, ExplicitAuthFlowsType, OAuthFlowType, ResourceServerScopeType,
};
use monban_testkit::{each_backend, unique_name, RawRequest, TestApp};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::support::{create_user, new_pool_id};

pub(super) const CALLBACK: &str = "https://app.example.com/cb";
pub(super) const VERIFIER: &str = "dBjftJeZ4CVP-mJ0kzyzVS6fS1qCSJxcfVEwn1oXpaw";

fn scope(name: &str) -> ResourceServerScopeType {
    ResourceServerScopeType::builder()
        .scope_name(name)
        .scope_description(format!("{name} access"))
        .build()
        .unwrap()
}

pub(super) async fn create_api(app: &TestApp, pool: &str) {
    app.idp()
        .create_resource_server()
        .user_pool_id(pool)
        .identifier("api")
        .name("My API")
        .scopes(scope("read"))
        .scopes(scope("write"))
        .send()
        .await
        .expect("CreateResourceServer");
}

#[tokio::test]
async fn domains_and_resource_servers_and_custom_client_scopes() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = new_pool_id(&idp).await;
        let prefix = unique_name("auth").to_lowercase().replace('_', "-");
        idp.create_user_pool_domain()
            .user_pool_id(&pool)
            .domain(&prefix)
            .send()
            .await
            .expect("CreateUserPoolDomain");
        let e = idp
            .create_user_pool_domain()
            .user_pool_id(&pool)
            .domain(format!("{prefix}x"))
            .send()
            .await
            .unwrap_err();
        assert_eq!(
            e.into_service_error().meta().code(),
            Some("InvalidParameterException")
        );
        let d = idp
            .describe_user_pool_domain()
            .domain(&prefix)
            .send()
            .await
            .unwrap()
            .domain_description
            .unwrap();
        assert_eq!(d.user_pool_id(), Some(pool.as_str()));
        assert_eq!(d.domain(), Some(prefix.as_str()));
        assert_eq!(d.managed_login_version(), Some(1));
        assert!(d.custom_domain_config().is_none());
        // An unknown domain is an empty description.
        let none = idp
            .describe_user_pool_domain()
            .domain("no-such-domain-here")
            .send()
            .await
            .unwrap()
            .domain_description
            .unwrap();
        assert!(none.domain().is_none());

        let described = idp
            .describe_user_pool()
            .user_pool_id(&pool)
            .send()
            .await
            .unwrap();
        assert_eq!(
            described.user_pool().unwrap().domain(),
            Some(prefix.as_str())
        );

        idp.update_user_pool_domain()
            .user_pool_id(&pool)
            .domain(&prefix)
            .managed_login_version(2)
            .send()
            .await
            .expect("UpdateUserPoolDomain");
        let d = idp
            .describe_user_pool_domain()
            .domain(&prefix)
            .send()
            .await
            .unwrap();
        assert_eq!(
            d.domain_description.unwrap().managed_login_version(),
            Some(2)
        );
        // A custom domain cannot take a certificate on a prefix domain.
        let e = idp
            .update_user_pool_domain()
            .user_pool_id(&pool)
            .domain(&prefix)
            .custom_domain_config(
                CustomDomainConfigType::builder()
                    .certificate_arn("arn:aws:acm:us-east-1:123456789012:certificate/x")
                    .build()
                    .unwrap(),
            )
            .send()
            .await
            .unwrap_err();
        assert_eq!(
            e.into_service_error().meta().code(),
            Some("InvalidParameterException")
        );
        idp.delete_user_pool_domain()
            .user_pool_id(&pool)
            .domain(&prefix)
            .send()
            .await
            .expect("DeleteUserPoolDomain");
        let described = idp
            .describe_user_pool()
            .user_pool_id(&pool)
            .send()
            .await
            .unwrap();
        assert_eq!(described.user_pool().unwrap().domain(), None);

        // A client cannot name a scope no resource server defines...
        let client_with = |scopes: &[&str]| {
            let mut b = idp
                .create_user_pool_client()
                .user_pool_id(&pool)
                .client_name("m2m")
                .generate_secret(true)
                .allowed_o_auth_flows_user_pool_client(true)
                .allowed_o_auth_flows(OAuthFlowType::ClientCredentials);
            for s in scopes {
                b = b.allowed_o_auth_scopes(*s);
            }
            b.send()
        };
        let e = client_with(&["api/read"]).await.unwrap_err();
        assert_eq!(
            e.into_service_error().meta().code(),
            Some("ScopeDoesNotExistException")
        );
        // ...and can once one does.
        create_api(&app, &pool).await;
        client_with(&["api/read", "api/write"])
            .await
            .expect("client with custom scopes");
        let e = client_with(&["api/delete"]).await.unwrap_err();
        assert_eq!(
            e.into_service_error().meta().code(),
            Some("ScopeDoesNotExistException")
        );

        let e = idp
            .create_resource_server()
            .user_pool_id(&pool)
            .identifier("api")
            .name("again")
            .send()
            .await
            .unwrap_err();
        assert_eq!(
            e.into_service_error().meta().code(),
            Some("InvalidParameterException")
        );
        for id in ["https://b.example.com", "c"] {
            idp.create_resource_server()
                .user_pool_id(&pool)
                .identifier(id)
                .name("other")
                .send()
                .await
                .unwrap();
        }
        let page = idp
            .list_resource_servers()
            .user_pool_id(&pool)
            .max_results(2)
            .send()
            .await
            .unwrap();
        let ids: Vec<&str> = page
            .resource_servers()
            .iter()
            .filter_map(|s| s.identifier())
            .collect();
        assert_eq!(ids, ["api", "c"]);
        let rest = idp
            .list_resource_servers()
            .user_pool_id(&pool)
            .max_results(2)
            .next_token(page.next_token().unwrap())
            .send()
            .await
            .unwrap();
        let ids: Vec<&str> = rest
            .resource_servers()
            .iter()
            .filter_map(|s| s.identifier())
            .collect();
        assert_eq!(ids, ["https://b.example.com"]);
        assert!(rest.next_token().is_none());

        let updated = idp
            .update_resource_server()
            .user_pool_id(&pool)
            .identifier("api")
            .name("Renamed")
            .scopes(scope("read"))
            .send()
            .await
            .unwrap()
            .resource_server
            .unwrap();
        assert_eq!(updated.name(), Some("Renamed"));
        let got = idp
            .describe_resource_server()
            .user_pool_id(&pool)
            .identifier("api")
            .send()
            .await
            .unwrap()
            .resource_server
            .unwrap();
        assert_eq!(got.scopes().len(), 1);
        assert_eq!(got.scopes()[0].scope_name(), "read");
        idp.delete_resource_server()
            .user_pool_id(&pool)
            .identifier("api")
            .send()
            .await
            .unwrap();
        let e = idp
            .describe_resource_server()
            .user_pool_id(&pool)
            .identifier("api")
            .send()
            .await
            .unwrap_err();
        assert_eq!(
            e.into_service_error().meta().code(),
            Some("ResourceNotFoundException")
        );
    })
    .await;
}

pub(super) fn form(path: &str, body: &str) -> RawRequest {
    RawRequest::new("POST", path)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.as_bytes().to_vec())
}

async fn jwks(app: &TestApp, pool: &str) -> Value {
    let res = app
        .send(RawRequest::new(
            "GET",
            &format!("/{pool}/.well-known/jwks.json"),
        ))
        .await;
    assert_eq!(res.status, 200);
    res.json()
}

/// Verifies `token` against the served JWKS (RS256, issuer) and returns its claims.
pub(super) async fn verify(
    app: &TestApp,
    pool: &str,
    token: &str,
    audience: Option<&str>,
) -> Value {
    let set = jwks(app, pool).await;
    let kid = jsonwebtoken::decode_header(token).unwrap().kid.unwrap();
    let jwk = set["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == kid.as_str())
        .expect("kid in the JWKS");
    let key =
        DecodingKey::from_rsa_components(jwk["n"].as_str().unwrap(), jwk["e"].as_str().unwrap())
            .unwrap();
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_issuer(&[format!("{}/{pool}", app.endpoint())]);
    match audience {
        Some(aud) => validation.set_audience(&[aud]),
        None => validation.validate_aud = false,
    }
    jsonwebtoken::decode::<Value>(token, &key, &validation)
        .unwrap_or_else(|e| panic!("token does not verify: {e}"))
        .claims
}

pub(super) fn error_of(res: &monban_testkit::RawResponse) -> String {
    res.json()["error"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn client_credentials_with_both_auth_methods() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = new_pool_id(&idp).await;
        create_api(&app, &pool).await;
        let client = idp
            .create_user_pool_client()
            .user_pool_id(&pool)
            .client_name("m2m")
            .generate_secret(true)
            .allowed_o_auth_flows_user_pool_client(true)
            .allowed_o_auth_flows(OAuthFlowType::ClientCredentials)
            .allowed_o_auth_scopes("api/read")
            .allowed_o_auth_scopes("api/write")
            .send()
            .await
            .unwrap()
            .user_pool_client
            .unwrap();
        let (id, secret) = (client.client_id().unwrap(), client.client_secret().unwrap());
        let path = format!("/{pool}/oauth2/token");
        let basic = format!("Basic {}", STANDARD.encode(format!("{id}:{secret}")));

        let res = app
            .send(
                form(&path, "grant_type=client_credentials&scope=api%2Fread")
                    .header("authorization", &basic),
            )
            .await;
        assert_eq!(res.status, 200, "{}", res.text());
        assert_eq!(res.header("cache-control"), Some("no-store"));
        let body = res.json();
        assert_eq!(body["token_type"], "Bearer");
        assert_eq!(body["expires_in"], 3600);
        assert!(body.get("refresh_token").is_none() && body.get("id_token").is_none());
        let claims = verify(&app, &pool, body["access_token"].as_str().unwrap(), None).await;
        assert_eq!(claims["sub"], id);
        assert_eq!(claims["client_id"], id);
        assert_eq!(claims["token_use"], "access");
        assert_eq!(claims["scope"], "api/read");
        assert_eq!(claims["version"], 2);
        assert!(claims.get("username").is_none());

        // client_secret_post, no scope: every allowed custom scope.
        let res = app
            .send(form(
                &path,
                &format!("grant_type=client_credentials&client_id={id}&client_secret={secret}"),
            ))
            .await;
        assert_eq!(res.status, 200, "{}", res.text());
        let claims = verify(
            &app,
            &pool,
            res.json()["access_token"].as_str().unwrap(),
            None,
        )
        .await;
        assert_eq!(claims["scope"], "api/read api/write");

        let res = app
            .send(form(
                &path,
                &format!("grant_type=client_credentials&client_id={id}&client_secret=wrong"),
            ))
            .await;
        assert_eq!(
            (res.status, error_of(&res)),
            (400, "invalid_client".to_owned())
        );
        // Each grant is in the audit trail, with its client and outcome, never the secret.
        let records: Vec<_> = super::audit::pool_records(&app, &pool)
            .await
            .into_iter()
            .filter(|e| e.operation == "OAuth2.Token.client_credentials")
            .collect();
        let outcomes: Vec<_> = records
            .iter()
            .map(|e| (e.outcome, e.error.as_deref(), e.client_id.as_deref()))
            .collect();
        assert_eq!(
            outcomes,
            vec![
                (Outcome::Pass, None, Some(id)),
                (Outcome::Pass, None, Some(id)),
                (Outcome::Fail, Some("invalid_client"), Some(id)),
            ]
        );
        for record in &records {
            assert!(!record.to_body().unwrap().contains(secret));
        }
        let wrong_basic = format!("Basic {}", STANDARD.encode(format!("{id}:nope")));
        let res = app
            .send(
                form(&path, "grant_type=client_credentials").header("authorization", &wrong_basic),
            )
            .await;
        assert_eq!(
            (res.status, error_of(&res)),
            (400, "invalid_client".to_owned())
        );
        let res = app
            .send(
                form(&path, "grant_type=client_credentials&scope=api%2Fdelete")
                    .header("authorization", &basic),
            )
            .await;
        assert_eq!(
            (res.status, error_of(&res)),
            (400, "invalid_scope".to_owned())
        );
        let res = app
            .send(
                form(&path, "grant_type=client_credentials&scope=openid")
                    .header("authorization", &basic),
            )
            .await;
        assert_eq!(error_of(&res), "invalid_scope");
        let res = app
            .send(form(&path, "grant_type=password").header("authorization", &basic))
            .await;
        assert_eq!(error_of(&res), "unsupported_grant_type");
        let res = app
            .send(
                RawRequest::new("POST", &path)
                    .header("content-type", "application/json")
                    .header("authorization", &basic)
                    .body(b"{}".to_vec()),
            )
            .await;
        assert_eq!(error_of(&res), "invalid_request");
        // A client-credentials client cannot redeem codes.
        let res = app
            .send(
                form(&path, "grant_type=authorization_code&code=x&redirect_uri=y")
                    .header("authorization", &basic),
            )
            .await;
        assert_eq!(error_of(&res), "unauthorized_client");
    })
    .await;
}

pub(super) struct CodeFixture {
    pub pool: String,
    pub client: String,
}

pub(super) async fn code_fixture(app: &TestApp) -> CodeFixture {
    let idp = app.idp();
    let pool = new_pool_id(&idp).await;
    create_api(app, &pool).await;
    let client = idp
        .create_user_pool_client()
        .user_pool_id(&pool)
        .client_name("web")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .allowed_o_auth_flows_user_pool_client(true)
        .allowed_o_auth_flows(OAuthFlowType::Code)
        .allowed_o_auth_scopes("openid")
        .allowed_o_auth_scopes("email")
        .allowed_o_auth_scopes("api/read")
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
        "alice",
        &[
            ("email", "alice@example.com"),
            ("email_verified", "true"),
            ("name", "Alice"),
        ],
    )
    .await;
    CodeFixture { pool, client }
}

pub(super) async fn mint(app: &TestApp, f: &CodeFixture, challenge: Option<&str>) -> String {
    let cx = app.cx();
    let pool = load_pool(cx, &f.pool).await.unwrap();
    let client = load_client(cx, &f.pool, &f.client).await.unwrap();
    let user = find_user(cx, &pool, "alice").await.unwrap();
    mint_authorization_code(
        cx,
        &client,
        &user,
        CodeGrant {
            redirect_uri: CALLBACK.to_owned(),
            scopes: vec!["openid".into(), "email".into(), "api/read".into()],
            code_challenge: challenge.map(str::to_owned),
            nonce: Some("n-0S6_WzA2Mj".to_owned()),
            auth_time_ms: cx.now_ms(),
        },
    )
    .await
    .unwrap()
}

pub(super) fn challenge() -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(VERIFIER.as_bytes()))
}

#[tokio::test]
async fn authorization_code_with_pkce_refresh_userinfo_and_revoke() {
    each_backend(|app| async move {
        let f = code_fixture(&app).await;
        let path = format!("/{}/oauth2/token", f.pool);
        let redirect = "https%3A%2F%2Fapp.example.com%2Fcb";
        let exchange = |code: &str, verifier: Option<&str>, redirect: &str| {
            let mut body = format!(
                "grant_type=authorization_code&client_id={}&code={code}&redirect_uri={redirect}",
                f.client
            );
            if let Some(v) = verifier {
                body.push_str(&format!("&code_verifier={v}"));
            }
            form(&path, &body)
        };

        // PKCE: a missing or wrong verifier is invalid_grant (and spends the code).
        let code = mint(&app, &f, Some(&challenge())).await;
        let res = app.send(exchange(&code, None, redirect)).await;
        assert_eq!(
            (res.status, error_of(&res)),
            (400, "invalid_grant".to_owned())
        );
        let code = mint(&app, &f, Some(&challenge())).await;
        let wrong = "x".repeat(43);
        let res = app.send(exchange(&code, Some(&wrong), redirect)).await;
        assert_eq!(error_of(&res), "invalid_grant");
        // Another redirect_uri.
        let code = mint(&app, &f, Some(&challenge())).await;
        let res = app
            .send(exchange(
                &code,
                Some(VERIFIER),
                "https%3A%2F%2Fevil.example.com",
            ))
            .await;
        assert_eq!(error_of(&res), "invalid_grant");
        // Expired after 5 minutes.
        let code = mint(&app, &f, Some(&challenge())).await;
        app.clock().advance(Duration::from_secs(301));
        let res = app.send(exchange(&code, Some(VERIFIER), redirect)).await;
        assert_eq!(error_of(&res), "invalid_grant");

        let code = mint(&app, &f, Some(&challenge())).await;
        let res = app.send(exchange(&code, Some(VERIFIER), redirect)).await;
        assert_eq!(res.status, 200, "{}", res.text());
        let tokens = res.json();
        assert_eq!(tokens["token_type"], "Bearer");
        assert_eq!(tokens["expires_in"], 3600);
        let id = verify(
            &app,
            &f.pool,
            tokens["id_token"].as_str().unwrap(),
            Some(&f.client),
        )
        .await;
        assert_eq!(id["nonce"], "n-0S6_WzA2Mj");
        assert_eq!(id["email"], "alice@example.com");
        assert_eq!(id["token_use"], "id");
        let access = tokens["access_token"].as_str().unwrap().to_owned();
        let claims = verify(&app, &f.pool, &access, None).await;
        assert_eq!(claims["scope"], "openid email api/read");
        assert_eq!(claims["version"], 2);
        assert_eq!(claims["username"], "alice");
        assert_eq!(claims["sub"], id["sub"]);
        // Single use.
        let res = app.send(exchange(&code, Some(VERIFIER), redirect)).await;
        assert_eq!(
            (res.status, error_of(&res)),
            (400, "invalid_grant".to_owned())
        );

        // userInfo: the claims the scopes select, verified flags as strings.
        let info_path = format!("/{}/oauth2/userInfo", f.pool);
        let res = app
            .send(
                RawRequest::new("GET", &info_path)
                    .header("authorization", &format!("Bearer {access}")),
            )
            .await;
        assert_eq!(res.status, 200, "{}", res.text());
        let info = res.json();
        assert_eq!(info["sub"], id["sub"]);
        assert_eq!(info["username"], "alice");
        assert_eq!(info["email"], "alice@example.com");
        assert_eq!(info["email_verified"], "true");
        assert!(info.get("name").is_none(), "no profile scope: {info}");
        let res = app.send(RawRequest::new("GET", &info_path)).await;
        assert_eq!(res.status, 400);
        assert!(res
            .header("www-authenticate")
            .unwrap()
            .contains("invalid_request"));
        // An API-issued access token has no openid scope.
        let cx = app.cx();
        let pool = load_pool(cx, &f.pool).await.unwrap();
        let client = load_client(cx, &f.pool, &f.client).await.unwrap();
        let user = find_user(cx, &pool, "alice").await.unwrap();
        let api = tokens::issue(
            cx,
            &pool,
            &client,
            &user,
            IssueParams {
                auth_time_ms: cx.now_ms(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let res = app
            .send(RawRequest::new("GET", &info_path).header(
                "authorization",
                &format!("Bearer {}", api.access_token.unwrap()),
            ))
            .await;
        assert_eq!(res.status, 401);
        assert!(res
            .header("www-authenticate")
            .unwrap()
            .contains("invalid_token"));

        // refresh_token keeps the granted scopes.
        let refresh = tokens["refresh_token"].as_str().unwrap().to_owned();
        let res = app
            .send(form(
                &path,
                &format!(
                    "grant_type=refresh_token&client_id={}&refresh_token={refresh}",
                    f.client
                ),
            ))
            .await;
        assert_eq!(res.status, 200, "{}", res.text());
        let refreshed = res.json();
        assert!(refreshed.get("refresh_token").is_none());
        let claims = verify(
            &app,
            &f.pool,
            refreshed["access_token"].as_str().unwrap(),
            None,
        )
        .await;
        assert_eq!(claims["scope"], "openid email api/read");
        assert_eq!(claims["version"], 2);
        assert!(refreshed["id_token"].is_string());

        // Revoke: 200, then the refresh token and its access tokens are dead; again 200.
        let revoke = format!("/{}/oauth2/revoke", f.pool);
        let res = app
            .send(form(
                &revoke,
                &format!("token={refresh}&client_id={}", f.client),
            ))
            .await;
        assert_eq!(res.status, 200, "{}", res.text());
        assert!(res.body.is_empty());
        let res = app
            .send(form(
                &path,
                &format!(
                    "grant_type=refresh_token&client_id={}&refresh_token={refresh}",
                    f.client
                ),
            ))
            .await;
        assert_eq!(error_of(&res), "invalid_grant");
        let res = app
            .send(
                RawRequest::new("GET", &info_path)
                    .header("authorization", &format!("Bearer {access}")),
            )
            .await;
        assert_eq!(res.status, 401);
        let res = app
            .send(form(
                &revoke,
                &format!("token={refresh}&client_id={}", f.client),
            ))
            .await;
        assert_eq!(res.status, 200);
        let res = app
            .send(form(
                &revoke,
                &format!("token={access}&client_id={}", f.client),
            ))
            .await;
        assert_eq!(error_of(&res), "unsupported_token_type");
        let res = app
            .send(form(&revoke, &format!("client_id={}", f.client)))
            .await;
        assert_eq!(error_of(&res), "invalid_request");
        let res = app
            .send(form(&revoke, "token=abc&client_id=nosuchclient"))
            .await;
        assert_eq!(
            (res.status, error_of(&res)),
            (401, "invalid_client".to_owned())
        );
    })
    .await;
}

#[tokio::test]
async fn authorize_checks_parameters_and_redirects_errors() {
    each_backend(|app| async move {
        let f = code_fixture(&app).await;
        let path = |query: &str| format!("/{}/oauth2/authorize?{query}", f.pool);
        let cb = "https%3A%2F%2Fapp.example.com%2Fcb";
        let c = &f.client;

        // No redirect before client_id and redirect_uri are known good.
        let res = app.send(RawRequest::new("GET", &path(&format!("response_type=code&client_id=nope&redirect_uri={cb}")))).await;
        assert_eq!(res.status, 400);
        let res = app
            .send(RawRequest::new("GET", &path(&format!("response_type=code&client_id={c}&redirect_uri=https%3A%2F%2Fevil.example.com"))))
            .await;
        assert_eq!(res.status, 400);
        assert!(res.header("location").is_none());

        let redirected = |res: &monban_testkit::RawResponse| res.header("location").unwrap_or_default().to_owned();
        let res = app
            .send(RawRequest::new("GET", &path(&format!("response_type=token&client_id={c}&redirect_uri={cb}&state=s1"))))
            .await;
        assert_eq!(res.status, 302);
        assert_eq!(redirected(&res), format!("{CALLBACK}?error=unauthorized_client&state=s1"));
        let res = app
            .send(RawRequest::new("GET", &path(&format!("client_id={c}&redirect_uri={cb}"))))
            .await;
        assert!(redirected(&res).starts_with(&format!("{CALLBACK}?error=invalid_request")), "{}", redirected(&res));
        let res = app
            .send(RawRequest::new(
                "GET",
                &path(&format!("response_type=code&client_id={c}&redirect_uri={cb}&code_challenge_method=plain&code_challenge=abc")),
            ))
            .await;
        assert!(redirected(&res).starts_with(&format!("{CALLBACK}?error=invalid_request")));
        let res = app
            .send(RawRequest::new("GET", &path(&format!("response_type=code&client_id={c}&redirect_uri={cb}&scope=unknown"))))
            .await;
        assert!(redirected(&res).starts_with(&format!("{CALLBACK}?error=invalid_scope")));

        // A good request goes on to the sign-in page with the same parameters.
        let query = format!(
            "response_type=code&client_id={c}&redirect_uri={cb}&scope=openid&code_challenge_method=S256&code_challenge={}",
            challenge()
        );
        let res = app.send(RawRequest::new("GET", &path(&query))).await;
        assert_eq!(res.status, 302);
        assert_eq!(redirected(&res), format!("{}/{}/login?{query}", app.endpoint(), f.pool));
    })
    .await;
}
