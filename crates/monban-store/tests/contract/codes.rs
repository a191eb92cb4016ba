use monban_core::entities::ConfirmationCode;
use monban_core::store::{CodeStore, UserPoolStore, UserStore};

use crate::fixtures::{assert_not_found, pool, user};
use crate::harness::each_backend;

fn code(sub: &str, purpose: &str, code_hash: &str) -> ConfirmationCode {
    ConfirmationCode {
        pool_id: "p1".to_owned(),
        sub: sub.to_owned(),
        purpose: purpose.to_owned(),
        code_hash: code_hash.to_owned(),
        created_ms: 1_000,
        expires_ms: 86_401_000,
        failed_attempts: 0,
        data: r#"{"email":"new@example.com"}"#.to_owned(),
    }
}

#[tokio::test]
async fn a_code_per_user_and_purpose_replaced_by_the_next() {
    each_backend(|store| async move {
        store.insert_user_pool(&pool("p1")).await.unwrap();
        let alice = user("p1", "alice");
        let bob = user("p1", "bob");
        store.insert_user(&alice).await.unwrap();
        store.insert_user(&bob).await.unwrap();

        let sign_up = code(&alice.sub, "sign_up", "h1");
        let verify = code(&alice.sub, "verify:email", "h2");
        let bobs = code(&bob.sub, "sign_up", "h3");
        for c in [&sign_up, &verify, &bobs] {
            store.put_code(c).await.unwrap();
        }
        assert_eq!(
            store.get_code("p1", &alice.sub, "sign_up").await.unwrap(),
            Some(sign_up.clone())
        );
        assert_eq!(
            store
                .get_code("p1", &alice.sub, "verify:email")
                .await
                .unwrap(),
            Some(verify.clone())
        );
        assert_eq!(
            store
                .get_code("p1", &alice.sub, "forgot_password")
                .await
                .unwrap(),
            None
        );
        assert_eq!(
            store.get_code("p2", &alice.sub, "sign_up").await.unwrap(),
            None
        );

        assert_eq!(
            store
                .record_code_failure("p1", &alice.sub, "sign_up")
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            store
                .record_code_failure("p1", &alice.sub, "sign_up")
                .await
                .unwrap(),
            2
        );
        assert_eq!(
            store
                .get_code("p1", &alice.sub, "sign_up")
                .await
                .unwrap()
                .unwrap()
                .failed_attempts,
            2
        );

        // A new code replaces the old one whole, its failure count included.
        let resent = ConfirmationCode {
            code_hash: "h4".to_owned(),
            created_ms: 2_000,
            expires_ms: 90_000_000,
            data: "{}".to_owned(),
            ..sign_up.clone()
        };
        store.put_code(&resent).await.unwrap();
        assert_eq!(
            store.get_code("p1", &alice.sub, "sign_up").await.unwrap(),
            Some(resent)
        );
        assert_eq!(
            store.get_code("p1", &bob.sub, "sign_up").await.unwrap(),
            Some(bobs)
        );
        assert_eq!(
            store
                .get_code("p1", &alice.sub, "verify:email")
                .await
                .unwrap(),
            Some(verify)
        );
    })
    .await;
}

#[tokio::test]
async fn deleting_a_code_says_whether_this_call_did() {
    each_backend(|store| async move {
        store.insert_user_pool(&pool("p1")).await.unwrap();
        let alice = user("p1", "alice");
        store.insert_user(&alice).await.unwrap();
        store
            .put_code(&code(&alice.sub, "sign_up", "h"))
            .await
            .unwrap();
        assert!(store
            .delete_code("p1", &alice.sub, "sign_up")
            .await
            .unwrap());
        assert!(!store
            .delete_code("p1", &alice.sub, "sign_up")
            .await
            .unwrap());
        assert_eq!(
            store.get_code("p1", &alice.sub, "sign_up").await.unwrap(),
            None
        );
        assert_not_found(store.record_code_failure("p1", &alice.sub, "sign_up").await);
    })
    .await;
}

#[tokio::test]
async fn codes_go_with_their_user_and_need_one() {
    each_backend(|store| async move {
        store.insert_user_pool(&pool("p1")).await.unwrap();
        let alice = user("p1", "alice");
        let bob = user("p1", "bob");
        store.insert_user(&alice).await.unwrap();
        store.insert_user(&bob).await.unwrap();
        assert_not_found(store.put_code(&code("no-such-sub", "sign_up", "h")).await);

        store
            .put_code(&code(&alice.sub, "sign_up", "h"))
            .await
            .unwrap();
        store
            .put_code(&code(&bob.sub, "sign_up", "h"))
            .await
            .unwrap();
        store.delete_user("p1", &alice.sub).await.unwrap();
        assert_eq!(
            store.get_code("p1", &alice.sub, "sign_up").await.unwrap(),
            None
        );
        // The same sub coming back (it cannot, but the key must be free) starts clean.
        store.insert_user(&alice).await.unwrap();
        assert_eq!(
            store.get_code("p1", &alice.sub, "sign_up").await.unwrap(),
            None
        );

        store.delete_user_pool("p1").await.unwrap();
        assert_eq!(
            store.get_code("p1", &bob.sub, "sign_up").await.unwrap(),
            None
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_deletes_use_a_code_once() {
    each_backend(|store| async move {
        store.insert_user_pool(&pool("p1")).await.unwrap();
        let alice = user("p1", "alice");
        store.insert_user(&alice).await.unwrap();
        for _ in 0..5 {
            store
                .put_code(&code(&alice.sub, "forgot_password", "h"))
                .await
                .unwrap();
            let mut racers = tokio::task::JoinSet::new();
            for _ in 0..8 {
                let (store, sub) = (store.clone(), alice.sub.clone());
                racers.spawn(async move {
                    store
                        .delete_code("p1", &sub, "forgot_password")
                        .await
                        .unwrap()
                });
            }
            let deleted = racers.join_all().await;
            assert_eq!(deleted.iter().filter(|d| **d).count(), 1, "{deleted:?}");
        }
    })
    .await;
}
