use monban_core::entities::{AuthSession, ConfirmationCode, RefreshToken, SigningKey};
use monban_core::mail::Email;
use monban_core::store::{
    AppClientStore, AuthSessionStore, CodeStore, GroupStore, OutboxStore, RefreshTokenStore,
    ResetStore, SecretStore, SigningKeyStore, StoreError, UserPoolStore, UserStore,
};
use monban_store::SqlStore;

use crate::fixtures::{client, group, pool, user_with_email};
use crate::harness::each_backend;

fn email(to: &str) -> Email {
    Email {
        pool_id: Some("p1".to_owned()),
        to: to.to_owned(),
        from: "no-reply@example.com".to_owned(),
        reply_to: None,
        subject: "Your code".to_owned(),
        body: "Your verification code is 123456.".to_owned(),
    }
}

/// One row in every table a server fills; returns the outbox id of the message.
async fn fill(store: &SqlStore) -> i64 {
    store.insert_user_pool(&pool("p1")).await.unwrap();
    store.insert_app_client(&client("p1", "c1")).await.unwrap();
    let alice = user_with_email("p1", "alice", "alice@example.com");
    store.insert_user(&alice).await.unwrap();
    store.insert_group(&group("p1", "admins")).await.unwrap();
    store
        .add_user_to_group("p1", "admins", &alice.sub)
        .await
        .unwrap();
    store
        .insert_signing_key(&SigningKey {
            pool_id: "p1".to_owned(),
            kid: "k1".to_owned(),
            token_use: "id".to_owned(),
            private_key_der: vec![0x30, 0x82, 0, 1],
            created_ms: 1_000,
        })
        .await
        .unwrap();
    store
        .insert_auth_session(&AuthSession {
            id: "s1".to_owned(),
            pool_id: "p1".to_owned(),
            client_id: "c1".to_owned(),
            username: "alice".to_owned(),
            challenge: "PASSWORD_VERIFIER".to_owned(),
            state: "{}".to_owned(),
            created_ms: 1_000,
            expires_ms: i64::MAX / 2,
        })
        .await
        .unwrap();
    store.consume_once("once-1", i64::MAX / 2).await.unwrap();
    store
        .put_code(&ConfirmationCode {
            pool_id: "p1".to_owned(),
            sub: alice.sub.clone(),
            purpose: "sign_up".to_owned(),
            code_hash: "h".to_owned(),
            created_ms: 1_000,
            expires_ms: i64::MAX / 2,
            failed_attempts: 0,
            data: "{}".to_owned(),
        })
        .await
        .unwrap();
    store
        .insert_refresh_token(&RefreshToken {
            token_hash: "t1".to_owned(),
            pool_id: "p1".to_owned(),
            client_id: "c1".to_owned(),
            sub: alice.sub.clone(),
            family_id: "f1".to_owned(),
            auth_time_ms: 1_000,
            device_key: None,
            created_ms: 1_000,
            expires_ms: i64::MAX / 2,
            replaced_ms: None,
            revoked_ms: None,
            family_scopes: None,
        })
        .await
        .unwrap();
    store
        .insert_outbox(1_000, &email("alice@example.com"))
        .await
        .unwrap()
}

#[tokio::test]
async fn reset_leaves_a_database_like_a_fresh_one() {
    each_backend(|store| async move {
        let secret = store
            .get_or_insert_secret("srp", b"first secret")
            .await
            .unwrap();
        let first_message_id = fill(&store).await;

        store.reset_all().await.unwrap();

        assert!(store.list_user_pools(None, 10).await.unwrap().is_empty());
        assert_eq!(store.get_app_client("c1").await.unwrap(), None);
        assert_eq!(store.get_user_by_key("p1", "u:alice").await.unwrap(), None);
        assert_eq!(store.get_group("p1", "admins").await.unwrap(), None);
        assert!(store.list_signing_keys("p1").await.unwrap().is_empty());
        assert_eq!(store.take_auth_session("s1").await.unwrap(), None);
        assert_eq!(store.get_refresh_token("t1").await.unwrap(), None);
        assert!(matches!(
            store.token_family_revoked_at("p1", "f1").await,
            Err(StoreError::NotFound)
        ));
        assert!(store.list_outbox(None, 10).await.unwrap().is_empty());
        assert_eq!(
            store
                .get_or_insert_secret("srp", b"another secret")
                .await
                .unwrap(),
            b"another secret",
            "server-wide secrets go too"
        );
        assert_ne!(secret, b"another secret");

        // The same rows go in again (the consumed value and the code included), and
        // outbox ids start over.
        let again = fill(&store).await;
        assert_eq!(again, first_message_id, "outbox ids restart");
        let alice = store
            .get_user_by_key("p1", "u:alice")
            .await
            .unwrap()
            .unwrap();
        assert!(store
            .get_code("p1", &alice.sub, "sign_up")
            .await
            .unwrap()
            .is_some());
        assert_eq!(
            store
                .list_groups_for_user("p1", &alice.sub, None, 10)
                .await
                .unwrap()
                .len(),
            1
        );

        // Resetting an empty store is fine, and the schema is still current.
        store.reset_all().await.unwrap();
        store.reset_all().await.unwrap();
        store.migrate().await.unwrap();
        assert!(store.list_user_pools(None, 10).await.unwrap().is_empty());
    })
    .await;
}
