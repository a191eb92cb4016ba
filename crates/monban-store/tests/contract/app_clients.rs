use monban_core::store::{AppClientStore, UserPoolStore};

use crate::fixtures::{assert_not_found, assert_version_mismatch, client, conflict_key, pool};
use crate::harness::each_backend;

#[tokio::test]
async fn client_round_trip_and_versioned_update() {
    each_backend(|store| async move {
        store.insert_user_pool(&pool("p1")).await.unwrap();
        let mut c = client("p1", "client1");
        store.insert_app_client(&c).await.unwrap();
        assert_eq!(
            store.get_app_client("client1").await.unwrap(),
            Some(c.clone())
        );
        assert_eq!(store.get_app_client("nobody").await.unwrap(), None);

        c.name = "renamed".to_owned();
        c.secret = None;
        c.config.refresh_token_validity = Some(5);
        store.update_app_client(&c).await.unwrap();
        let stored = store.get_app_client("client1").await.unwrap().unwrap();
        assert_eq!(stored.version, c.version + 1);
        assert_eq!(stored.name, "renamed");
        assert_eq!(stored.secret, None);
        assert_eq!(stored.config, c.config);

        assert_version_mismatch(store.update_app_client(&c).await);

        // The client exists, but not in this pool.
        store.insert_user_pool(&pool("p2")).await.unwrap();
        let elsewhere = monban_core::entities::AppClient {
            pool_id: "p2".to_owned(),
            ..stored.clone()
        };
        assert_not_found(store.update_app_client(&elsewhere).await);
        assert_not_found(store.delete_app_client("p2", "client1").await);

        store.delete_app_client("p1", "client1").await.unwrap();
        assert_eq!(store.get_app_client("client1").await.unwrap(), None);
        assert_not_found(store.delete_app_client("p1", "client1").await);
        assert_not_found(store.update_app_client(&stored).await);
    })
    .await;
}

#[tokio::test]
async fn the_secret_never_goes_into_the_config_document() {
    each_backend(|store| async move {
        store.insert_user_pool(&pool("p1")).await.unwrap();
        let mut c = client("p1", "client1");
        c.config.client_secret = Some("leaked".to_owned());
        store.insert_app_client(&c).await.unwrap();
        let stored = store.get_app_client("client1").await.unwrap().unwrap();
        assert_eq!(stored.config.client_secret, None);
        assert_eq!(stored.secret, c.secret);
    })
    .await;
}

#[tokio::test]
async fn client_ids_are_unique_across_pools() {
    each_backend(|store| async move {
        store.insert_user_pool(&pool("p1")).await.unwrap();
        store.insert_user_pool(&pool("p2")).await.unwrap();
        store
            .insert_app_client(&client("p1", "same"))
            .await
            .unwrap();
        assert_eq!(
            conflict_key(store.insert_app_client(&client("p2", "same")).await),
            "client:same"
        );
        assert_eq!(
            store.get_app_client("same").await.unwrap().unwrap().pool_id,
            "p1"
        );
    })
    .await;
}

#[tokio::test]
async fn a_client_needs_its_pool() {
    each_backend(|store| async move {
        assert_not_found(store.insert_app_client(&client("missing", "c")).await);
    })
    .await;
}

#[tokio::test]
async fn clients_list_per_pool_in_id_order() {
    each_backend(|store| async move {
        store.insert_user_pool(&pool("p1")).await.unwrap();
        store.insert_user_pool(&pool("p2")).await.unwrap();
        for id in ["c3", "c1", "c2"] {
            store.insert_app_client(&client("p1", id)).await.unwrap();
        }
        store.insert_app_client(&client("p2", "c0")).await.unwrap();

        let page = store.list_app_clients("p1", None, 2).await.unwrap();
        let ids: Vec<_> = page.iter().map(|c| c.client_id.as_str()).collect();
        assert_eq!(ids, ["c1", "c2"]);
        let page = store.list_app_clients("p1", Some("c2"), 2).await.unwrap();
        let ids: Vec<_> = page.iter().map(|c| c.client_id.as_str()).collect();
        assert_eq!(ids, ["c3"]);
        assert_eq!(page[0], client("p1", "c3"));
        assert!(store
            .list_app_clients("p3", None, 10)
            .await
            .unwrap()
            .is_empty());
    })
    .await;
}
