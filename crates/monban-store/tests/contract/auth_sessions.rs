use monban_core::entities::AuthSession;
use monban_core::store::{AuthSessionStore, StoreError, UserPoolStore, UserStore};

use crate::fixtures::{assert_not_found, conflict_key, pool, user};
use crate::harness::each_backend;

fn session(id: &str, username: &str, created_ms: i64, expires_ms: i64) -> AuthSession {
    AuthSession {
        id: id.to_owned(),
        pool_id: "p1".to_owned(),
        client_id: "c1".to_owned(),
        username: username.to_owned(),
        challenge: "NEW_PASSWORD_REQUIRED".to_owned(),
        state: r#"{"attempts":1,"note":"ünïcode"}"#.to_owned(),
        created_ms,
        expires_ms,
    }
}

#[tokio::test]
async fn a_session_is_taken_once() {
    each_backend(|store| async move {
        store.insert_user_pool(&pool("p1")).await.unwrap();
        let s = session("s1", "alice", 1_000, 181_000);
        store.insert_auth_session(&s).await.unwrap();
        assert_eq!(
            conflict_key(store.insert_auth_session(&s).await),
            "session:s1"
        );
        assert_eq!(store.take_auth_session("s1").await.unwrap(), Some(s));
        assert_eq!(store.take_auth_session("s1").await.unwrap(), None);
        assert_eq!(store.take_auth_session("never").await.unwrap(), None);
        assert_not_found(
            store
                .insert_auth_session(&AuthSession {
                    pool_id: "gone".to_owned(),
                    ..session("s2", "alice", 1_000, 2_000)
                })
                .await,
        );
    })
    .await;
}

#[tokio::test]
async fn inserting_a_session_sweeps_expired_ones() {
    each_backend(|store| async move {
        store.insert_user_pool(&pool("p1")).await.unwrap();
        let expired = session("old", "alice", 1_000, 5_000);
        let live = session("live", "bob", 4_000, 20_000);
        store.insert_auth_session(&expired).await.unwrap();
        store.insert_auth_session(&live).await.unwrap();
        store
            .insert_auth_session(&session("new", "carol", 10_000, 30_000))
            .await
            .unwrap();
        assert_eq!(store.take_auth_session("old").await.unwrap(), None);
        assert_eq!(store.take_auth_session("live").await.unwrap(), Some(live));
    })
    .await;
}

#[tokio::test]
async fn sessions_go_with_their_user_and_pool() {
    each_backend(|store| async move {
        store.insert_user_pool(&pool("p1")).await.unwrap();
        let alice = user("p1", "alice");
        store.insert_user(&alice).await.unwrap();
        store.insert_user(&user("p1", "bob")).await.unwrap();
        store
            .insert_auth_session(&session("a", "alice", 1, 100))
            .await
            .unwrap();
        store
            .insert_auth_session(&session("b", "bob", 1, 100))
            .await
            .unwrap();
        store.delete_user("p1", &alice.sub).await.unwrap();
        assert_eq!(store.take_auth_session("a").await.unwrap(), None);
        assert!(store.take_auth_session("b").await.unwrap().is_some());

        store
            .insert_auth_session(&session("c", "nobody", 1, 100))
            .await
            .unwrap();
        store.delete_user_pool("p1").await.unwrap();
        assert_eq!(store.take_auth_session("c").await.unwrap(), None);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_takers_get_a_session_at_most_once() {
    each_backend(|store| async move {
        store.insert_user_pool(&pool("p1")).await.unwrap();
        for round in 0..10 {
            let id = format!("s{round}");
            store
                .insert_auth_session(&session(&id, "alice", 1, 100))
                .await
                .unwrap();
            let mut racers = tokio::task::JoinSet::new();
            for _ in 0..2 {
                let (store, id) = (store.clone(), id.clone());
                racers.spawn(async move { store.take_auth_session(&id).await.unwrap() });
            }
            let taken = racers.join_all().await;
            assert_eq!(taken.iter().filter(|t| t.is_some()).count(), 1, "{taken:?}");
        }
    })
    .await;
}

#[tokio::test]
async fn a_value_is_consumed_once() {
    each_backend(|store| async move {
        store.consume_once("block-1", 10_000).await.unwrap();
        assert_eq!(
            conflict_key(store.consume_once("block-1", 10_000).await),
            "once:block-1"
        );
        store.consume_once("block-2", 10_000).await.unwrap();
        // Still refused within the lifetime of the newest entries...
        assert!(matches!(
            store.consume_once("block-1", 20_000).await,
            Err(StoreError::Conflict { .. })
        ));
        // ...and forgotten once long expired.
        let a_day_later = 10_000 + 24 * 60 * 60 * 1000 + 1;
        store.consume_once("block-3", a_day_later).await.unwrap();
        store.consume_once("block-1", a_day_later).await.unwrap();
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_consumers_succeed_once() {
    each_backend(|store| async move {
        let mut racers = tokio::task::JoinSet::new();
        for _ in 0..10 {
            let store = store.clone();
            racers.spawn(async move { store.consume_once("block", 60_000).await });
        }
        let results = racers.join_all().await;
        assert_eq!(
            results.iter().filter(|r| r.is_ok()).count(),
            1,
            "{results:?}"
        );
        assert!(results
            .iter()
            .all(|r| matches!(r, Ok(()) | Err(StoreError::Conflict { .. }))));
    })
    .await;
}
