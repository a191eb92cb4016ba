use monban_core::entities::SigningKey;
use monban_core::store::{SecretStore, SigningKeyStore, UserPoolStore};

use crate::fixtures::{assert_not_found, conflict_key, pool};
use crate::harness::each_backend;

fn key(pool_id: &str, kid: &str, token_use: &str, created_ms: i64) -> SigningKey {
    SigningKey {
        pool_id: pool_id.to_owned(),
        kid: kid.to_owned(),
        token_use: token_use.to_owned(),
        // Every byte value, zeros included, must read back as written.
        private_key_der: (0..=255u8).chain([0, 0, 0x30, 0x82]).collect(),
        created_ms,
    }
}

#[tokio::test]
async fn signing_keys_list_newest_first_per_pool() {
    each_backend(|store| async move {
        store.insert_user_pool(&pool("p1")).await.unwrap();
        store.insert_user_pool(&pool("p2")).await.unwrap();
        assert!(store.list_signing_keys("p1").await.unwrap().is_empty());

        let old_id = key("p1", "k-old-id", "id", 1_000);
        let new_access = key("p1", "k-new-access", "access", 3_000);
        let mid_id = key("p1", "k-mid-id", "id", 2_000);
        let other = key("p2", "k-other", "id", 5_000);
        for k in [&old_id, &new_access, &mid_id, &other] {
            store.insert_signing_key(k).await.unwrap();
        }
        assert_eq!(
            store.list_signing_keys("p1").await.unwrap(),
            vec![new_access, mid_id, old_id]
        );
        assert_eq!(store.list_signing_keys("p2").await.unwrap(), vec![other]);
    })
    .await;
}

#[tokio::test]
async fn kid_is_unique_across_pools_and_keys_go_with_their_pool() {
    each_backend(|store| async move {
        store.insert_user_pool(&pool("p1")).await.unwrap();
        store.insert_user_pool(&pool("p2")).await.unwrap();
        store
            .insert_signing_key(&key("p1", "k1", "id", 1))
            .await
            .unwrap();
        assert_eq!(
            conflict_key(
                store
                    .insert_signing_key(&key("p2", "k1", "access", 2))
                    .await
            ),
            "kid:k1"
        );
        assert_not_found(store.insert_signing_key(&key("gone", "k2", "id", 1)).await);

        store.delete_user_pool("p1").await.unwrap();
        assert!(store.list_signing_keys("p1").await.unwrap().is_empty());
        // Its kid is free again once the pool is gone.
        store
            .insert_signing_key(&key("p2", "k1", "id", 3))
            .await
            .unwrap();
    })
    .await;
}

#[tokio::test]
async fn first_secret_wins() {
    each_backend(|store| async move {
        let first = store
            .get_or_insert_secret("srp", &[0, 1, 2, 255])
            .await
            .unwrap();
        assert_eq!(first, vec![0, 1, 2, 255]);
        let again = store.get_or_insert_secret("srp", &[9, 9]).await.unwrap();
        assert_eq!(again, first);
        let other = store.get_or_insert_secret("other", &[7]).await.unwrap();
        assert_eq!(other, vec![7]);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_nodes_agree_on_one_secret() {
    each_backend(|store| async move {
        let mut racers = tokio::task::JoinSet::new();
        for n in 0..20u8 {
            let store = store.clone();
            racers.spawn(async move {
                store
                    .get_or_insert_secret("shared", &[n; 32])
                    .await
                    .unwrap()
            });
        }
        let secrets = racers.join_all().await;
        assert_eq!(secrets.len(), 20);
        assert_eq!(secrets[0].len(), 32);
        assert!(secrets.iter().all(|s| *s == secrets[0]), "{secrets:?}");
        assert_eq!(
            store.get_or_insert_secret("shared", &[99]).await.unwrap(),
            secrets[0]
        );
    })
    .await;
}
