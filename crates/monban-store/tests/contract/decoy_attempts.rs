use monban_core::decoy_store::{DecoyAttempts, DecoyStore};
use monban_core::store::{StoreError, UserPoolStore};

use crate::fixtures::pool;
use crate::harness::each_backend;

fn attempts(pool_id: &str, name: &str, purpose: &str, failures: i64) -> DecoyAttempts {
    DecoyAttempts {
        pool_id: pool_id.to_owned(),
        name: name.to_owned(),
        purpose: purpose.to_owned(),
        failures,
        last_failure_ms: Some(5_000),
        expires_ms: 10_000,
    }
}

#[tokio::test]
async fn one_row_per_name_and_purpose_replaced_by_the_next() {
    each_backend(|store| async move {
        store.insert_user_pool(&pool("p1")).await.unwrap();
        store.insert_user_pool(&pool("p2")).await.unwrap();
        let sign_in = attempts("p1", "nobody", "sign_in", 1);
        let code = DecoyAttempts {
            last_failure_ms: None,
            ..attempts("p1", "nobody", "forgot_password", 0)
        };
        let other_pool = attempts("p2", "nobody", "sign_in", 3);
        for a in [&sign_in, &code, &other_pool] {
            store.put_decoy_attempts(a).await.unwrap();
        }
        let get = |pool_id: &'static str, name: &'static str, purpose: &'static str| {
            let store = &store;
            async move {
                store
                    .get_decoy_attempts(pool_id, name, purpose, 1_000)
                    .await
                    .unwrap()
            }
        };
        assert_eq!(get("p1", "nobody", "sign_in").await, Some(sign_in.clone()));
        assert_eq!(get("p1", "nobody", "forgot_password").await, Some(code));
        assert_eq!(get("p2", "nobody", "sign_in").await, Some(other_pool));
        assert_eq!(get("p1", "Nobody", "sign_in").await, None);
        assert_eq!(get("p1", "nobody", "sign_up").await, None);

        let next = DecoyAttempts {
            failures: 2,
            last_failure_ms: Some(6_000),
            expires_ms: 20_000,
            ..sign_in
        };
        store.put_decoy_attempts(&next).await.unwrap();
        assert_eq!(get("p1", "nobody", "sign_in").await, Some(next));
    })
    .await;
}

#[tokio::test]
async fn expired_rows_read_as_absent_and_are_purged() {
    each_backend(|store| async move {
        store.insert_user_pool(&pool("p1")).await.unwrap();
        store
            .put_decoy_attempts(&attempts("p1", "old", "sign_in", 4))
            .await
            .unwrap();
        let young = DecoyAttempts {
            expires_ms: 50_000,
            ..attempts("p1", "young", "sign_in", 2)
        };
        store.put_decoy_attempts(&young).await.unwrap();
        let old = store.get_decoy_attempts("p1", "old", "sign_in", 9_999);
        assert!(old.await.unwrap().is_some());
        let old = store.get_decoy_attempts("p1", "old", "sign_in", 10_000);
        assert_eq!(old.await.unwrap(), None);

        // Another pool's purge leaves this pool's rows alone.
        assert_eq!(store.purge_decoy_attempts("p2", 10_000).await.unwrap(), 0);
        assert_eq!(store.purge_decoy_attempts("p1", 10_000).await.unwrap(), 1);
        assert_eq!(store.purge_decoy_attempts("p1", 10_000).await.unwrap(), 0);
        let kept = store.get_decoy_attempts("p1", "young", "sign_in", 10_000);
        assert_eq!(kept.await.unwrap(), Some(young));
    })
    .await;
}

#[tokio::test]
async fn rows_go_with_their_pool() {
    each_backend(|store| async move {
        let err = store
            .put_decoy_attempts(&attempts("gone", "nobody", "sign_in", 1))
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::NotFound), "{err:?}");
        store.insert_user_pool(&pool("p1")).await.unwrap();
        store
            .put_decoy_attempts(&attempts("p1", "nobody", "sign_in", 1))
            .await
            .unwrap();
        store.delete_user_pool("p1").await.unwrap();
        store.insert_user_pool(&pool("p1")).await.unwrap();
        let after = store.get_decoy_attempts("p1", "nobody", "sign_in", 0);
        assert_eq!(after.await.unwrap(), None);
    })
    .await;
}
