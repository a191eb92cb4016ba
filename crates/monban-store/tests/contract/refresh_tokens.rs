use monban_core::entities::RefreshToken;
use monban_core::store::{RefreshTokenStore, UserPoolStore, UserStore};

use crate::fixtures::{assert_not_found, pool, user};
use crate::harness::each_backend;

fn token(hash: &str, sub: &str, family_id: &str) -> RefreshToken {
    RefreshToken {
        token_hash: hash.to_owned(),
        pool_id: "p1".to_owned(),
        client_id: "c1".to_owned(),
        sub: sub.to_owned(),
        family_id: family_id.to_owned(),
        auth_time_ms: 1_000,
        device_key: Some("us-east-1_device".to_owned()),
        created_ms: 2_000,
        expires_ms: 2_592_002_000,
        replaced_ms: None,
        revoked_ms: None,
        family_scopes: None,
    }
}

#[tokio::test]
async fn refresh_tokens_round_trip_and_rotate_once() {
    each_backend(|store| async move {
        store.insert_user_pool(&pool("p1")).await.unwrap();
        let alice = user("p1", "alice");
        store.insert_user(&alice).await.unwrap();

        let first = token("t1", &alice.sub, "f1");
        store.insert_refresh_token(&first).await.unwrap();
        assert_eq!(
            store.get_refresh_token("t1").await.unwrap(),
            Some(first.clone())
        );
        assert_eq!(store.get_refresh_token("t-unknown").await.unwrap(), None);
        assert_eq!(
            store.token_family_revoked_at("p1", "f1").await.unwrap(),
            None
        );

        // Rotation: the next token joins the family, the old one is marked once.
        let next = RefreshToken {
            token_hash: "t2".to_owned(),
            device_key: None,
            created_ms: 5_000,
            ..first.clone()
        };
        store.insert_refresh_token(&next).await.unwrap();
        assert!(store
            .mark_refresh_token_replaced("t1", 5_000)
            .await
            .unwrap());
        assert!(!store
            .mark_refresh_token_replaced("t1", 6_000)
            .await
            .unwrap());
        assert_eq!(
            store.get_refresh_token("t1").await.unwrap(),
            Some(RefreshToken {
                replaced_ms: Some(5_000),
                ..first
            })
        );
        assert_eq!(store.get_refresh_token("t2").await.unwrap(), Some(next));
        assert_not_found(store.mark_refresh_token_replaced("t-unknown", 1).await);
        assert_not_found(
            store
                .insert_refresh_token(&token("t3", "no-such-sub", "f9"))
                .await,
        );
    })
    .await;
}

#[tokio::test]
async fn revoking_a_family_revokes_its_tokens_and_nothing_else() {
    each_backend(|store| async move {
        store.insert_user_pool(&pool("p1")).await.unwrap();
        let alice = user("p1", "alice");
        store.insert_user(&alice).await.unwrap();
        store
            .insert_refresh_token(&token("a1", &alice.sub, "fa"))
            .await
            .unwrap();
        store
            .insert_refresh_token(&token("a2", &alice.sub, "fa"))
            .await
            .unwrap();
        store
            .insert_refresh_token(&token("b1", &alice.sub, "fb"))
            .await
            .unwrap();

        store.revoke_token_family("p1", "fa", 7_000).await.unwrap();
        // The first revocation time stays.
        store.revoke_token_family("p1", "fa", 9_000).await.unwrap();
        assert_eq!(
            store.token_family_revoked_at("p1", "fa").await.unwrap(),
            Some(7_000)
        );
        assert_eq!(
            store.token_family_revoked_at("p1", "fb").await.unwrap(),
            None
        );
        for hash in ["a1", "a2"] {
            let t = store.get_refresh_token(hash).await.unwrap().unwrap();
            assert_eq!(t.revoked_ms, Some(7_000), "{hash}");
        }
        let b1 = store.get_refresh_token("b1").await.unwrap().unwrap();
        assert_eq!(b1.revoked_ms, None);

        // Revoking what does not exist changes nothing and does not fail.
        store.revoke_token_family("p1", "unknown", 1).await.unwrap();
        store.revoke_token_family("p2", "fb", 1).await.unwrap();
        assert_eq!(
            store.token_family_revoked_at("p1", "fb").await.unwrap(),
            None
        );
        assert_not_found(store.token_family_revoked_at("p1", "unknown").await);
        assert_not_found(store.token_family_revoked_at("p2", "fa").await);
    })
    .await;
}

#[tokio::test]
async fn global_sign_out_revokes_every_family_of_the_user_only() {
    each_backend(|store| async move {
        store.insert_user_pool(&pool("p1")).await.unwrap();
        let alice = user("p1", "alice");
        let bob = user("p1", "bob");
        store.insert_user(&alice).await.unwrap();
        store.insert_user(&bob).await.unwrap();
        store
            .insert_refresh_token(&token("a1", &alice.sub, "fa1"))
            .await
            .unwrap();
        store
            .insert_refresh_token(&token("a2", &alice.sub, "fa2"))
            .await
            .unwrap();
        store
            .insert_refresh_token(&token("b1", &bob.sub, "fb"))
            .await
            .unwrap();
        store.revoke_token_family("p1", "fa1", 3_000).await.unwrap();

        store
            .revoke_user_token_families("p1", &alice.sub, 8_000)
            .await
            .unwrap();
        assert_eq!(
            store.token_family_revoked_at("p1", "fa1").await.unwrap(),
            Some(3_000)
        );
        assert_eq!(
            store.token_family_revoked_at("p1", "fa2").await.unwrap(),
            Some(8_000)
        );
        assert_eq!(
            store.token_family_revoked_at("p1", "fb").await.unwrap(),
            None
        );
        assert_eq!(
            store
                .get_refresh_token("a2")
                .await
                .unwrap()
                .unwrap()
                .revoked_ms,
            Some(8_000)
        );

        // A sign-in after the sign-out opens a live family.
        store
            .insert_refresh_token(&token("a3", &alice.sub, "fa3"))
            .await
            .unwrap();
        assert_eq!(
            store.token_family_revoked_at("p1", "fa3").await.unwrap(),
            None
        );
    })
    .await;
}

#[tokio::test]
async fn a_deleted_users_families_read_as_not_found() {
    each_backend(|store| async move {
        store.insert_user_pool(&pool("p1")).await.unwrap();
        store.insert_user_pool(&pool("p2")).await.unwrap();
        let alice = user("p1", "alice");
        let bob = user("p1", "bob");
        store.insert_user(&alice).await.unwrap();
        store.insert_user(&bob).await.unwrap();
        store
            .insert_refresh_token(&token("a1", &alice.sub, "fa"))
            .await
            .unwrap();
        store
            .insert_refresh_token(&token("b1", &bob.sub, "fb"))
            .await
            .unwrap();

        store.delete_user("p1", &alice.sub).await.unwrap();
        assert_not_found(store.token_family_revoked_at("p1", "fa").await);
        assert_eq!(store.get_refresh_token("a1").await.unwrap(), None);
        assert_eq!(
            store.token_family_revoked_at("p1", "fb").await.unwrap(),
            None
        );

        store.delete_user_pool("p1").await.unwrap();
        assert_not_found(store.token_family_revoked_at("p1", "fb").await);
        assert_eq!(store.get_refresh_token("b1").await.unwrap(), None);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_rotations_replace_a_token_once() {
    each_backend(|store| async move {
        store.insert_user_pool(&pool("p1")).await.unwrap();
        let alice = user("p1", "alice");
        store.insert_user(&alice).await.unwrap();
        store
            .insert_refresh_token(&token("t", &alice.sub, "f"))
            .await
            .unwrap();
        let mut racers = tokio::task::JoinSet::new();
        for n in 0..8 {
            let store = store.clone();
            racers.spawn(async move {
                store
                    .mark_refresh_token_replaced("t", 10_000 + n)
                    .await
                    .unwrap()
            });
        }
        let replaced = racers.join_all().await;
        assert_eq!(replaced.iter().filter(|r| **r).count(), 1, "{replaced:?}");
    })
    .await;
}
