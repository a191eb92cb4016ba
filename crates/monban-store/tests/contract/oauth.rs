use monban_core::entities::RefreshToken;
use monban_core::oauth::{ResourceServer, UserPoolDomain};
use monban_core::store::{OAuthStore, RefreshTokenStore, UserPoolStore, UserStore};
use monban_store::SqlStore;
use monban_wire::idp::{CustomDomainConfigType, ResourceServerScopeType};

use crate::fixtures::{assert_not_found, conflict_key, pool, user};
use crate::harness::each_backend;

fn domain(pool_id: &str, name: &str, custom: bool) -> UserPoolDomain {
    UserPoolDomain {
        domain: name.to_owned(),
        pool_id: pool_id.to_owned(),
        custom_domain_config: custom.then(|| CustomDomainConfigType {
            certificate_arn: "arn:aws:acm:us-east-1:1:certificate/x".to_owned(),
            security_policy: None,
        }),
        managed_login_version: Some(1),
        created_ms: 1_000,
        modified_ms: 2_000,
    }
}

fn server(pool_id: &str, identifier: &str) -> ResourceServer {
    ResourceServer {
        pool_id: pool_id.to_owned(),
        identifier: identifier.to_owned(),
        name: format!("{identifier} api"),
        scopes: vec![ResourceServerScopeType {
            scope_name: "read".to_owned(),
            scope_description: "Read".to_owned(),
        }],
    }
}

#[tokio::test]
async fn domains_one_of_each_kind_per_pool_and_unique_across_pools() {
    each_backend(|store| async move {
        store.insert_user_pool(&pool("p1")).await.unwrap();
        store.insert_user_pool(&pool("p2")).await.unwrap();
        let mut prefix = domain("p1", "myapp", false);
        store.insert_domain(&prefix).await.unwrap();
        assert_eq!(
            store.get_domain("myapp").await.unwrap(),
            Some(prefix.clone())
        );
        assert_eq!(
            conflict_key(store.insert_domain(&domain("p2", "myapp", false)).await),
            "domain:myapp"
        );
        assert_eq!(
            conflict_key(store.insert_domain(&domain("p1", "other", false)).await),
            "pool_domain:p1:prefix"
        );
        let custom = domain("p1", "auth.example.com", true);
        store.insert_domain(&custom).await.unwrap();
        assert_eq!(
            store.list_pool_domains("p1").await.unwrap(),
            vec![custom.clone(), prefix.clone()]
        );
        assert_not_found(store.insert_domain(&domain("missing", "x", false)).await);

        prefix.managed_login_version = Some(2);
        prefix.modified_ms = 3_000;
        store.update_domain(&prefix).await.unwrap();
        assert_eq!(store.get_domain("myapp").await.unwrap(), Some(prefix));
        assert_not_found(store.update_domain(&domain("p2", "myapp", false)).await);

        assert_not_found(store.delete_domain("p2", "myapp").await);
        store.delete_domain("p1", "myapp").await.unwrap();
        assert_eq!(store.get_domain("myapp").await.unwrap(), None);
        store.delete_user_pool("p1").await.unwrap();
        assert_eq!(store.get_domain("auth.example.com").await.unwrap(), None);
    })
    .await;
}

#[tokio::test]
async fn resource_servers_round_trip_and_list_by_identifier() {
    each_backend(|store| async move {
        store.insert_user_pool(&pool("p1")).await.unwrap();
        store.insert_user_pool(&pool("p2")).await.unwrap();
        for id in ["orders", "https://api.example.com", "billing"] {
            store
                .insert_resource_server(&server("p1", id))
                .await
                .unwrap();
        }
        assert_eq!(
            conflict_key(store.insert_resource_server(&server("p1", "orders")).await),
            "resource_server:orders"
        );
        store
            .insert_resource_server(&server("p2", "orders"))
            .await
            .unwrap();
        assert_not_found(store.insert_resource_server(&server("nope", "x")).await);

        let page = store.list_resource_servers("p1", None, 2).await.unwrap();
        let ids: Vec<&str> = page.iter().map(|s| s.identifier.as_str()).collect();
        assert_eq!(ids, ["billing", "https://api.example.com"]);
        let rest = store
            .list_resource_servers("p1", Some("https://api.example.com"), 2)
            .await
            .unwrap();
        assert_eq!(rest, vec![server("p1", "orders")]);

        let mut orders = server("p1", "orders");
        orders.name = "renamed".to_owned();
        orders.scopes.clear();
        store.update_resource_server(&orders).await.unwrap();
        assert_eq!(
            store.get_resource_server("p1", "orders").await.unwrap(),
            Some(orders)
        );
        assert_eq!(
            store.get_resource_server("p2", "orders").await.unwrap(),
            Some(server("p2", "orders"))
        );
        assert_not_found(store.update_resource_server(&server("p1", "none")).await);
        store.delete_resource_server("p1", "orders").await.unwrap();
        assert_not_found(store.delete_resource_server("p1", "orders").await);
        assert_eq!(
            store.get_resource_server("p1", "orders").await.unwrap(),
            None
        );
    })
    .await;
}

#[tokio::test]
async fn family_scopes_need_the_family_and_can_be_rewritten() {
    each_backend(|store| async move {
        store.insert_user_pool(&pool("p1")).await.unwrap();
        let alice = user("p1", "alice");
        store.insert_user(&alice).await.unwrap();
        assert_not_found(store.put_family_scopes("p1", "f1", "openid").await);
        store
            .insert_refresh_token(&RefreshToken {
                token_hash: "h1".to_owned(),
                pool_id: "p1".to_owned(),
                client_id: "c1".to_owned(),
                sub: alice.sub.clone(),
                family_id: "f1".to_owned(),
                auth_time_ms: 1,
                device_key: None,
                created_ms: 1,
                expires_ms: 10,
                replaced_ms: None,
                revoked_ms: None,
                family_scopes: None,
            })
            .await
            .unwrap();
        assert_eq!(store.get_family_scopes("p1", "f1").await.unwrap(), None);
        let read = |store: SqlStore| async move {
            store
                .get_refresh_token("h1")
                .await
                .unwrap()
                .and_then(|t| t.family_scopes)
        };
        assert_eq!(read(store.clone()).await, None);
        store
            .put_family_scopes("p1", "f1", "openid email")
            .await
            .unwrap();
        store.put_family_scopes("p1", "f1", "openid").await.unwrap();
        assert_eq!(
            store
                .get_family_scopes("p1", "f1")
                .await
                .unwrap()
                .as_deref(),
            Some("openid")
        );
        // The token is read with its family's scopes.
        assert_eq!(read(store.clone()).await.as_deref(), Some("openid"));
        // The family goes with its user.
        store.delete_user("p1", &alice.sub).await.unwrap();
        assert_eq!(store.get_family_scopes("p1", "f1").await.unwrap(), None);
    })
    .await;
}
