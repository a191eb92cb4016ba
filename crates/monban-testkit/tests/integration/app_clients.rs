//! CreateUserPoolClient, DescribeUserPoolClient, UpdateUserPoolClient,
//! DeleteUserPoolClient, ListUserPoolClients.

use std::collections::HashSet;
use std::time::Duration;

use monban_testkit::idp::types::{
    ExplicitAuthFlowsType, OAuthFlowType, PreventUserExistenceErrorTypes, TimeUnitsType,
    TokenValidityUnitsType, UserPoolClientType,
};
use monban_testkit::idp::Client;
use monban_testkit::{each_backend, expect_code, service_error};

use super::support::{new_client, new_pool_id, secs, MISSING_POOL};

async fn describe(idp: &Client, pool_id: &str, client_id: &str) -> UserPoolClientType {
    idp.describe_user_pool_client()
        .user_pool_id(pool_id)
        .client_id(client_id)
        .send()
        .await
        .expect("DescribeUserPoolClient")
        .user_pool_client
        .expect("DescribeUserPoolClient returns the client")
}

fn is_lower_base32(s: &str) -> bool {
    s.chars()
        .all(|c| c.is_ascii_digit() || c.is_ascii_lowercase())
}

#[tokio::test]
async fn client_without_secret_has_cognito_defaults() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = new_pool_id(&idp).await;
        let created = idp
            .create_user_pool_client()
            .user_pool_id(&pool)
            .client_name("web")
            .send()
            .await
            .expect("CreateUserPoolClient")
            .user_pool_client
            .unwrap();
        let id = created.client_id().unwrap();
        assert_eq!(id.len(), 26, "client id {id}");
        assert!(is_lower_base32(id), "client id {id}");
        assert_eq!(created.client_secret(), None);
        assert_eq!(created.user_pool_id(), Some(pool.as_str()));
        assert_eq!(created.client_name(), Some("web"));
        assert!(created.creation_date().is_some());
        assert_eq!(created.creation_date(), created.last_modified_date());

        let client = describe(&idp, &pool, id).await;
        assert_eq!(client.client_id(), Some(id));
        assert_eq!(client.client_name(), Some("web"));
        assert_eq!(client.client_secret(), None);
        assert_eq!(client.refresh_token_validity(), 30);
        assert_eq!(client.auth_session_validity(), Some(3));
        assert_eq!(client.enable_token_revocation(), Some(true));
        assert_eq!(client.allowed_o_auth_flows_user_pool_client(), Some(false));
        assert!(client.callback_urls().is_empty());
        assert!(client.allowed_o_auth_flows().is_empty());
        assert_eq!(client.creation_date(), created.creation_date());
    })
    .await;
}

#[tokio::test]
async fn client_with_secret() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = new_pool_id(&idp).await;
        let created = idp
            .create_user_pool_client()
            .user_pool_id(&pool)
            .client_name("backend")
            .generate_secret(true)
            .send()
            .await
            .expect("CreateUserPoolClient")
            .user_pool_client
            .unwrap();
        let secret = created.client_secret().expect("a generated secret");
        assert!(
            (24..=64).contains(&secret.len()),
            "secret length {}",
            secret.len()
        );
        assert!(is_lower_base32(secret), "secret alphabet");
        let id = created.client_id().unwrap();
        let described = describe(&idp, &pool, id).await;
        assert_eq!(
            described.client_secret(),
            Some(secret),
            "Describe returns the secret"
        );

        let other = idp
            .create_user_pool_client()
            .user_pool_id(&pool)
            .client_name("backend-2")
            .generate_secret(true)
            .send()
            .await
            .unwrap()
            .user_pool_client
            .unwrap();
        assert_ne!(other.client_secret(), Some(secret), "secrets are random");
        assert_ne!(other.client_id(), Some(id));
    })
    .await;
}

fn full_units() -> TokenValidityUnitsType {
    TokenValidityUnitsType::builder()
        .access_token(TimeUnitsType::Hours)
        .id_token(TimeUnitsType::Minutes)
        .refresh_token(TimeUnitsType::Days)
        .build()
}

#[tokio::test]
async fn client_settings_are_echoed() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = new_pool_id(&idp).await;
        let created = idp
            .create_user_pool_client()
            .user_pool_id(&pool)
            .client_name("spa")
            .refresh_token_validity(10)
            .access_token_validity(2)
            .id_token_validity(90)
            .token_validity_units(full_units())
            .read_attributes("email")
            .read_attributes("name")
            .write_attributes("name")
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserSrpAuth)
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
            .supported_identity_providers("COGNITO")
            .callback_urls("https://app.example.com/callback")
            .logout_urls("https://app.example.com/logout")
            .default_redirect_uri("https://app.example.com/callback")
            .allowed_o_auth_flows(OAuthFlowType::Code)
            .allowed_o_auth_scopes("openid")
            .allowed_o_auth_scopes("email")
            .allowed_o_auth_flows_user_pool_client(true)
            .prevent_user_existence_errors(PreventUserExistenceErrorTypes::Enabled)
            .enable_token_revocation(false)
            .auth_session_validity(10)
            .send()
            .await
            .expect("CreateUserPoolClient")
            .user_pool_client
            .unwrap();
        let client = describe(&idp, &pool, created.client_id().unwrap()).await;
        assert_eq!(client.refresh_token_validity(), 10);
        assert_eq!(client.access_token_validity(), Some(2));
        assert_eq!(client.id_token_validity(), Some(90));
        assert_eq!(client.token_validity_units(), Some(&full_units()));
        let set = |v: &[String]| v.iter().cloned().collect::<HashSet<_>>();
        assert_eq!(
            set(client.read_attributes()),
            HashSet::from(["email".to_owned(), "name".to_owned()])
        );
        assert_eq!(client.write_attributes(), &["name".to_owned()]);
        let flows: HashSet<_> = client.explicit_auth_flows().iter().cloned().collect();
        assert_eq!(
            flows,
            HashSet::from([
                ExplicitAuthFlowsType::AllowUserPasswordAuth,
                ExplicitAuthFlowsType::AllowUserSrpAuth,
                ExplicitAuthFlowsType::AllowRefreshTokenAuth,
            ])
        );
        assert_eq!(
            client.supported_identity_providers(),
            &["COGNITO".to_owned()]
        );
        assert_eq!(
            client.callback_urls(),
            &["https://app.example.com/callback".to_owned()]
        );
        assert_eq!(
            client.logout_urls(),
            &["https://app.example.com/logout".to_owned()]
        );
        assert_eq!(
            client.default_redirect_uri(),
            Some("https://app.example.com/callback")
        );
        assert_eq!(client.allowed_o_auth_flows(), &[OAuthFlowType::Code]);
        assert_eq!(
            set(client.allowed_o_auth_scopes()),
            HashSet::from(["openid".to_owned(), "email".to_owned()])
        );
        assert_eq!(client.allowed_o_auth_flows_user_pool_client(), Some(true));
        assert_eq!(
            client.prevent_user_existence_errors(),
            Some(&PreventUserExistenceErrorTypes::Enabled)
        );
        assert_eq!(client.enable_token_revocation(), Some(false));
        assert_eq!(client.auth_session_validity(), Some(10));
        assert_eq!(created.explicit_auth_flows(), client.explicit_auth_flows());
    })
    .await;
}

#[tokio::test]
async fn client_validation_errors() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = new_pool_id(&idp).await;
        let create = || {
            idp.create_user_pool_client()
                .user_pool_id(&pool)
                .client_name("c")
        };

        service_error(
            idp.create_user_pool_client()
                .user_pool_id(&pool)
                .client_name("c".repeat(129))
                .send()
                .await,
        )
        .assert_code("InvalidParameterException")
        .assert_message_contains("clientName");
        expect_code(
            idp.create_user_pool_client()
                .user_pool_id(MISSING_POOL)
                .client_name("c")
                .send()
                .await,
            "ResourceNotFoundException",
        );
        // Access tokens live between 5 minutes and 1 day.
        expect_code(
            create()
                .access_token_validity(2)
                .token_validity_units(
                    TokenValidityUnitsType::builder()
                        .access_token(TimeUnitsType::Days)
                        .build(),
                )
                .send()
                .await,
            "InvalidParameterException",
        );
        expect_code(
            create()
                .access_token_validity(1)
                .token_validity_units(
                    TokenValidityUnitsType::builder()
                        .access_token(TimeUnitsType::Minutes)
                        .build(),
                )
                .send()
                .await,
            "InvalidParameterException",
        );
        // Refresh tokens live at most 10 years.
        expect_code(
            create().refresh_token_validity(3651).send().await,
            "InvalidParameterException",
        );
        // AuthSessionValidity is 3-15 minutes (the model's range).
        service_error(create().auth_session_validity(16).send().await)
            .assert_code("InvalidParameterException")
            .assert_message_contains("authSessionValidity");
        // An attribute the pool does not have.
        expect_code(
            create().read_attributes("custom:nothing").send().await,
            "InvalidParameterException",
        );
        expect_code(
            create().write_attributes("custom:nothing").send().await,
            "InvalidParameterException",
        );
        // Not an auth flow.
        service_error(
            create()
                .explicit_auth_flows(ExplicitAuthFlowsType::from("ALLOW_EVERYTHING"))
                .send()
                .await,
        )
        .assert_code("InvalidParameterException")
        .assert_message_contains("explicitAuthFlows");
        // Legacy flow names cannot be mixed with ALLOW_ ones.
        expect_code(
            create()
                .explicit_auth_flows(ExplicitAuthFlowsType::UserPasswordAuth)
                .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
                .send()
                .await,
            "InvalidParameterException",
        );
    })
    .await;
}

#[tokio::test]
async fn update_client_replaces_settings_and_keeps_the_secret() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = new_pool_id(&idp).await;
        let created = idp
            .create_user_pool_client()
            .user_pool_id(&pool)
            .client_name("before")
            .generate_secret(true)
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
            .callback_urls("https://app.example.com/callback")
            .refresh_token_validity(5)
            .send()
            .await
            .unwrap()
            .user_pool_client
            .unwrap();
        let id = created.client_id().unwrap();

        app.clock().advance(Duration::from_secs(120));
        let updated = idp
            .update_user_pool_client()
            .user_pool_id(&pool)
            .client_id(id)
            .client_name("after")
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserSrpAuth)
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
            .prevent_user_existence_errors(PreventUserExistenceErrorTypes::Enabled)
            .send()
            .await
            .expect("UpdateUserPoolClient")
            .user_pool_client
            .unwrap();
        assert_eq!(updated.client_name(), Some("after"));

        let client = describe(&idp, &pool, id).await;
        assert_eq!(client.client_name(), Some("after"));
        assert_eq!(client.client_id(), Some(id));
        assert_eq!(
            client.client_secret(),
            created.client_secret(),
            "the secret is kept"
        );
        let flows: HashSet<_> = client.explicit_auth_flows().iter().cloned().collect();
        assert_eq!(
            flows,
            HashSet::from([
                ExplicitAuthFlowsType::AllowUserSrpAuth,
                ExplicitAuthFlowsType::AllowRefreshTokenAuth
            ])
        );
        assert_eq!(
            client.prevent_user_existence_errors(),
            Some(&PreventUserExistenceErrorTypes::Enabled)
        );
        // Left out of the update: back to defaults.
        assert!(
            client.callback_urls().is_empty(),
            "{:?}",
            client.callback_urls()
        );
        assert_eq!(client.refresh_token_validity(), 30);
        assert_eq!(client.creation_date(), created.creation_date());
        assert!(secs(client.last_modified_date()) >= secs(created.last_modified_date()) + 100.0);

        expect_code(
            idp.update_user_pool_client()
                .user_pool_id(&pool)
                .client_id("abcdefghijklmnopqrstuvwxyz")
                .send()
                .await,
            "ResourceNotFoundException",
        );
    })
    .await;
}

#[tokio::test]
async fn delete_client() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = new_pool_id(&idp).await;
        let client = new_client(&idp, &pool).await;
        let id = client.client_id().unwrap();
        idp.delete_user_pool_client()
            .user_pool_id(&pool)
            .client_id(id)
            .send()
            .await
            .expect("DeleteUserPoolClient");
        expect_code(
            idp.describe_user_pool_client()
                .user_pool_id(&pool)
                .client_id(id)
                .send()
                .await,
            "ResourceNotFoundException",
        );
        expect_code(
            idp.delete_user_pool_client()
                .user_pool_id(&pool)
                .client_id(id)
                .send()
                .await,
            "ResourceNotFoundException",
        );
    })
    .await;
}

#[tokio::test]
async fn list_clients_paginates_within_the_pool() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = new_pool_id(&idp).await;
        let other_pool = new_pool_id(&idp).await;
        let foreign = new_client(&idp, &other_pool).await;
        let mut created = std::collections::HashMap::new();
        for i in 0..5 {
            let c = idp
                .create_user_pool_client()
                .user_pool_id(&pool)
                .client_name(format!("client-{i}"))
                .generate_secret(true)
                .send()
                .await
                .unwrap()
                .user_pool_client
                .unwrap();
            created.insert(c.client_id.unwrap(), c.client_name.unwrap());
        }

        let mut seen = Vec::new();
        let mut token: Option<String> = None;
        let mut pages = 0;
        loop {
            let page = idp
                .list_user_pool_clients()
                .user_pool_id(&pool)
                .max_results(2)
                .set_next_token(token)
                .send()
                .await
                .expect("ListUserPoolClients");
            pages += 1;
            assert!(page.user_pool_clients().len() <= 2);
            for c in page.user_pool_clients() {
                assert_eq!(c.user_pool_id(), Some(pool.as_str()));
                let id = c.client_id().unwrap().to_owned();
                assert_eq!(c.client_name(), created.get(&id).map(String::as_str));
                seen.push(id);
            }
            token = page.next_token().map(str::to_owned);
            if token.is_none() {
                break;
            }
            assert!(pages < 100);
        }
        assert!(pages >= 3, "five clients at two per page: {pages} pages");
        assert_eq!(seen.len(), 5, "{seen:?}");
        assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 5);
        assert!(!seen.contains(&foreign.client_id.unwrap()));

        // A client listing never carries a secret.
        let resp = app
            .send_signed(monban_testkit::RawRequest::idp(
                "ListUserPoolClients",
                format!(r#"{{"UserPoolId": "{pool}", "MaxResults": 60}}"#),
            ))
            .await;
        assert_eq!(resp.status, 200);
        assert!(!resp.text().contains("ClientSecret"), "{}", resp.text());

        expect_code(
            idp.list_user_pool_clients()
                .user_pool_id(&pool)
                .max_results(61)
                .send()
                .await,
            "InvalidParameterException",
        );
    })
    .await;
}

#[tokio::test]
async fn describe_unknown_client() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = new_pool_id(&idp).await;
        let other_pool = new_pool_id(&idp).await;
        let err = expect_code(
            idp.describe_user_pool_client()
                .user_pool_id(&pool)
                .client_id("abcdefghijklmnopqrstuvwxyz")
                .send()
                .await,
            "ResourceNotFoundException",
        );
        assert!(
            err.message.contains("abcdefghijklmnopqrstuvwxyz"),
            "{err:?}"
        );
        // A client is found only under its own pool.
        let client = new_client(&idp, &other_pool).await;
        expect_code(
            idp.describe_user_pool_client()
                .user_pool_id(&pool)
                .client_id(client.client_id().unwrap())
                .send()
                .await,
            "ResourceNotFoundException",
        );
        expect_code(
            idp.describe_user_pool_client()
                .user_pool_id(MISSING_POOL)
                .client_id(client.client_id().unwrap())
                .send()
                .await,
            "ResourceNotFoundException",
        );
    })
    .await;
}
