//! A pool's OAuth endpoints by `Host`: requests for its custom domain, or its prefix
//! domain under `auth_base_domain`, reach `/{pool}/…` without the pool in the path, and
//! discovery names the endpoints on that host, as a reverse proxy giving each pool its
//! own host name needs.

use monban_testkit::idp::types::{CustomDomainConfigType, OAuthFlowType};
use monban_testkit::{unique_name, Backend, RawRequest, TestApp};

use super::oauth::{create_api, form};
use super::support::new_pool_id;

fn on(host: &str, req: RawRequest) -> RawRequest {
    req.header("host", host)
}

fn certificate() -> CustomDomainConfigType {
    CustomDomainConfigType::builder()
        .certificate_arn("arn:aws:acm:us-east-1:123456789012:certificate/abc")
        .build()
        .unwrap()
}

#[tokio::test]
async fn endpoints_answer_on_the_pools_domains() {
    for backend in Backend::configured() {
        eprintln!("--- backend: {backend:?}");
        let app = TestApp::start_with(backend, |s| {
            s.oauth.auth_base_domain = Some("auth.monban.test".to_owned());
        })
        .await;
        run(&app).await;
    }
}

async fn run(app: &TestApp) {
    let idp = app.idp();
    let pool = new_pool_id(&idp).await;
    let label = unique_name("d").to_lowercase().replace('_', "-");
    let custom = format!("{label}.example.com");

    // A custom domain is a fully-qualified name (the model's pattern is for prefixes)...
    idp.create_user_pool_domain()
        .user_pool_id(&pool)
        .domain(&custom)
        .custom_domain_config(certificate())
        .send()
        .await
        .expect("CreateUserPoolDomain with a custom domain");
    let described = idp
        .describe_user_pool_domain()
        .domain(&custom)
        .send()
        .await
        .unwrap()
        .domain_description
        .unwrap();
    assert_eq!(described.user_pool_id(), Some(pool.as_str()));
    // ...while a prefix cannot have dots, and a custom domain must be a host name.
    for (domain, config) in [
        (format!("x.{label}.example.com"), None),
        (format!("-{label}.example.com"), Some(certificate())),
        (format!("{label}..example.com"), Some(certificate())),
    ] {
        let e = idp
            .create_user_pool_domain()
            .user_pool_id(&pool)
            .domain(&domain)
            .set_custom_domain_config(config)
            .send()
            .await
            .unwrap_err();
        assert_eq!(
            e.into_service_error().meta().code(),
            Some("InvalidParameterException"),
            "{domain}"
        );
    }
    idp.create_user_pool_domain()
        .user_pool_id(&pool)
        .domain(&label)
        .send()
        .await
        .expect("CreateUserPoolDomain with a prefix");

    let issuer = format!("{}/{pool}", app.endpoint());
    let prefix_host = format!("{label}.auth.monban.test:8443");
    for (host, base) in [
        (custom.clone(), format!("http://{custom}")),
        (custom.to_uppercase(), format!("http://{custom}")),
        (prefix_host.clone(), format!("http://{prefix_host}")),
    ] {
        let res = app
            .send(on(
                &host,
                RawRequest::new("GET", "/.well-known/openid-configuration"),
            ))
            .await;
        assert_eq!(res.status, 200, "{host}: {}", res.text());
        let doc = res.json();
        assert_eq!(doc["issuer"], issuer.as_str(), "{host}");
        assert_eq!(doc["token_endpoint"], format!("{base}/oauth2/token"));
        assert_eq!(
            doc["authorization_endpoint"],
            format!("{base}/oauth2/authorize")
        );
        assert_eq!(doc["userinfo_endpoint"], format!("{base}/oauth2/userInfo"));
        // The key set stays with the issuer, as Cognito's does.
        assert_eq!(doc["jwks_uri"], format!("{issuer}/.well-known/jwks.json"));
        let res = app
            .send(on(&host, RawRequest::new("GET", "/.well-known/jwks.json")))
            .await;
        assert_eq!(res.status, 200);
    }

    // The token endpoint on the domain.
    create_api(app, &pool).await;
    let client = idp
        .create_user_pool_client()
        .user_pool_id(&pool)
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
    let body = format!(
        "grant_type=client_credentials&client_id={}&client_secret={}",
        client.client_id().unwrap(),
        client.client_secret().unwrap()
    );
    let res = app.send(on(&custom, form("/oauth2/token", &body))).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let token = res.json()["access_token"].as_str().unwrap().to_owned();
    // Tokens keep the pool's issuer, wherever they were asked for.
    let res = app
        .send(form(
            &format!("/{pool}/oauth2/introspect"),
            &format!(
                "token={token}&client_id={}&client_secret={}",
                client.client_id().unwrap(),
                client.client_secret().unwrap()
            ),
        ))
        .await;
    assert_eq!(res.json()["iss"], issuer.as_str());

    // The pool-path form still works on a domain, and the API is never rewritten.
    let res = app
        .send(on(
            &custom,
            RawRequest::new("GET", &format!("/{pool}/.well-known/openid-configuration")),
        ))
        .await;
    assert_eq!(res.status, 200);
    let res = app
        .send(on(
            &custom,
            RawRequest::idp(
                "DescribeUserPoolDomain",
                format!(r#"{{"Domain":"{custom}"}}"#),
            ),
        ))
        .await;
    assert_ne!(res.status, 404, "{}", res.text());

    // Unknown hosts, a deleted domain, or another kind's host are not a pool's.
    let res = app
        .send(on(
            "nobody.example.com",
            RawRequest::new("GET", "/.well-known/openid-configuration"),
        ))
        .await;
    assert_eq!(res.status, 404);
    let res = app
        .send(on(
            &format!("{custom}.auth.monban.test"),
            RawRequest::new("GET", "/.well-known/openid-configuration"),
        ))
        .await;
    assert_eq!(res.status, 404);
    idp.delete_user_pool_domain()
        .user_pool_id(&pool)
        .domain(&custom)
        .send()
        .await
        .unwrap();
    let res = app
        .send(on(
            &custom,
            RawRequest::new("GET", "/.well-known/openid-configuration"),
        ))
        .await;
    assert_eq!(res.status, 404);
}
