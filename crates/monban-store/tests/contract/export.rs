use monban_core::entities::RefreshToken;
use monban_core::export::ExportStore;
use monban_core::store::{RefreshTokenStore, UserPoolStore, UserStore};

use crate::fixtures::{pool, user};
use crate::harness::{each_backend, sqlite_url, TempDir};

fn token(hash: &str, sub: &str, family_id: &str, created_ms: i64) -> RefreshToken {
    RefreshToken {
        token_hash: hash.to_owned(),
        pool_id: "p1".to_owned(),
        client_id: "c1".to_owned(),
        sub: sub.to_owned(),
        family_id: family_id.to_owned(),
        auth_time_ms: 1_000,
        device_key: None,
        created_ms,
        expires_ms: 9_000_000,
        replaced_ms: None,
        revoked_ms: None,
        family_scopes: None,
    }
}

#[tokio::test]
async fn a_users_refresh_tokens_are_listed_oldest_first_with_their_family_state() {
    each_backend(|store| async move {
        store.insert_user_pool(&pool("p1")).await.unwrap();
        let alice = user("p1", "alice");
        let bob = user("p1", "bob");
        store.insert_user(&alice).await.unwrap();
        store.insert_user(&bob).await.unwrap();
        assert!(store
            .list_user_refresh_tokens("p1", &alice.sub)
            .await
            .unwrap()
            .is_empty());

        store
            .insert_refresh_token(&token("t2", &alice.sub, "f1", 5_000))
            .await
            .unwrap();
        store
            .insert_refresh_token(&token("t1", &alice.sub, "f1", 2_000))
            .await
            .unwrap();
        store
            .insert_refresh_token(&token("t3", &alice.sub, "f2", 7_000))
            .await
            .unwrap();
        store
            .insert_refresh_token(&token("tb", &bob.sub, "fb", 1_000))
            .await
            .unwrap();
        store
            .mark_refresh_token_replaced("t1", 5_000)
            .await
            .unwrap();
        store.revoke_token_family("p1", "f2", 8_000).await.unwrap();

        let listed = store
            .list_user_refresh_tokens("p1", &alice.sub)
            .await
            .unwrap();
        let hashes: Vec<&str> = listed.iter().map(|t| t.token_hash.as_str()).collect();
        assert_eq!(hashes, ["t1", "t2", "t3"]);
        assert_eq!(
            listed[0],
            RefreshToken {
                replaced_ms: Some(5_000),
                ..token("t1", &alice.sub, "f1", 2_000)
            }
        );
        assert_eq!(listed[1].revoked_ms, None);
        assert_eq!(listed[2].revoked_ms, Some(8_000));
        assert!(store
            .list_user_refresh_tokens("p2", &alice.sub)
            .await
            .unwrap()
            .is_empty());
    })
    .await;
}

#[tokio::test]
async fn an_online_backup_of_sqlite_opens_with_the_same_rows() {
    each_backend(|store| async move {
        let dir = TempDir::new();
        let copy = dir.db_file();
        if !store.is_sqlite() {
            assert!(store.backup_sqlite_into(&copy).await.is_err());
            return;
        }
        store.insert_user_pool(&pool("p1")).await.unwrap();
        let alice = user("p1", "alice");
        store.insert_user(&alice).await.unwrap();
        store.backup_sqlite_into(&copy).await.unwrap();
        // The snapshot is taken: later writes are not in it.
        store.insert_user(&user("p1", "late")).await.unwrap();
        // The target must not exist.
        assert!(store.backup_sqlite_into(&copy).await.is_err());

        let restored = monban_store::SqlStore::connect(&sqlite_url(&copy))
            .await
            .unwrap();
        assert_eq!(
            restored.get_user_by_sub("p1", &alice.sub).await.unwrap(),
            Some(alice)
        );
        assert_eq!(restored.count_users("p1").await.unwrap(), 1);
        restored.close().await;
    })
    .await;
}
