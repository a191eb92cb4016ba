use monban_core::store::UserPoolStore;

use crate::fixtures::{assert_not_found, assert_version_mismatch, conflict_key, pool};
use crate::harness::each_backend;

#[tokio::test]
async fn pool_round_trip_and_versioned_update() {
    each_backend(|store| async move {
        let mut p = pool("us-east-1_AAA");
        store.insert_user_pool(&p).await.unwrap();
        assert_eq!(store.get_user_pool(&p.id).await.unwrap(), Some(p.clone()));
        assert_eq!(store.get_user_pool("us-east-1_None").await.unwrap(), None);

        p.name = "renamed".to_owned();
        p.config.email_verification_subject = Some("changed".to_owned());
        p.data.software_token_mfa_enabled = false;
        p.modified_ms += 1000;
        store.update_user_pool(&p).await.unwrap();
        let stored = store.get_user_pool(&p.id).await.unwrap().unwrap();
        assert_eq!(stored.version, p.version + 1);
        assert_eq!(
            stored,
            monban_core::entities::UserPool {
                version: p.version + 1,
                ..p.clone()
            }
        );

        // `p` still holds the old version: a second writer from the same read loses.
        assert_version_mismatch(store.update_user_pool(&p).await);
        assert_eq!(
            store.get_user_pool(&p.id).await.unwrap(),
            Some(stored.clone())
        );

        let mut gone = pool("us-east-1_Gone");
        gone.version = 5;
        assert_not_found(store.update_user_pool(&gone).await);
    })
    .await;
}

#[tokio::test]
async fn duplicate_pool_id_is_a_conflict() {
    each_backend(|store| async move {
        let p = pool("us-east-1_Dup");
        store.insert_user_pool(&p).await.unwrap();
        let mut again = pool("us-east-1_Dup");
        again.name = "other".to_owned();
        assert_eq!(
            conflict_key(store.insert_user_pool(&again).await),
            "pool:us-east-1_Dup"
        );
        assert_eq!(store.get_user_pool(&p.id).await.unwrap(), Some(p));
    })
    .await;
}

#[tokio::test]
async fn delete_pool_then_not_found() {
    each_backend(|store| async move {
        let p = pool("us-east-1_Del");
        store.insert_user_pool(&p).await.unwrap();
        store.delete_user_pool(&p.id).await.unwrap();
        assert_eq!(store.get_user_pool(&p.id).await.unwrap(), None);
        assert_not_found(store.delete_user_pool(&p.id).await);
    })
    .await;
}

#[tokio::test]
async fn pools_list_in_id_order_across_pages() {
    each_backend(|store| async move {
        for id in [
            "us-east-1_C",
            "us-east-1_A",
            "us-east-1_E",
            "us-east-1_B",
            "us-east-1_D",
        ] {
            store.insert_user_pool(&pool(id)).await.unwrap();
        }
        let first = store.list_user_pools(None, 2).await.unwrap();
        let ids: Vec<_> = first.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["us-east-1_A", "us-east-1_B"]);
        assert_eq!(first[0], pool("us-east-1_A"));

        let second = store.list_user_pools(Some("us-east-1_B"), 2).await.unwrap();
        let ids: Vec<_> = second.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["us-east-1_C", "us-east-1_D"]);

        let last = store.list_user_pools(Some("us-east-1_D"), 2).await.unwrap();
        let ids: Vec<_> = last.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["us-east-1_E"]);
        assert!(store
            .list_user_pools(Some("us-east-1_E"), 2)
            .await
            .unwrap()
            .is_empty());
    })
    .await;
}
