use monban_core::hosted_ui::{HostedUiSession, HostedUiStore, Logo, UiCustomization};
use monban_core::store::UserPoolStore;

use crate::fixtures::{assert_not_found, conflict_key, pool};
use crate::harness::each_backend;

fn session(id: &str, pool_id: &str, created_ms: i64, expires_ms: i64) -> HostedUiSession {
    HostedUiSession {
        id: id.to_owned(),
        pool_id: pool_id.to_owned(),
        sub: "sub-1".to_owned(),
        auth_time_ms: created_ms - 5,
        created_ms,
        expires_ms,
    }
}

#[tokio::test]
async fn hosted_ui_sessions_are_kept_until_deleted_or_swept_after_expiry() {
    each_backend(|store| async move {
        store.insert_user_pool(&pool("p1")).await.unwrap();
        let s = session("s1", "p1", 1_000, 5_000);
        store.insert_hosted_ui_session(&s).await.unwrap();
        assert_eq!(
            store.get_hosted_ui_session("s1").await.unwrap(),
            Some(s.clone())
        );
        assert_eq!(
            conflict_key(store.insert_hosted_ui_session(&s).await),
            "session:s1"
        );
        assert_not_found(
            store
                .insert_hosted_ui_session(&session("s2", "missing", 1_000, 5_000))
                .await,
        );
        // A later insert sweeps sessions expired before it.
        store
            .insert_hosted_ui_session(&session("s3", "p1", 6_000, 9_000))
            .await
            .unwrap();
        assert_eq!(store.get_hosted_ui_session("s1").await.unwrap(), None);
        store.delete_hosted_ui_session("s3").await.unwrap();
        assert_eq!(store.get_hosted_ui_session("s3").await.unwrap(), None);
        // Deleting again is fine.
        store.delete_hosted_ui_session("s3").await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn ui_customizations_are_replaced_per_pool_and_client() {
    each_backend(|store| async move {
        store.insert_user_pool(&pool("p1")).await.unwrap();
        let mut c = UiCustomization {
            pool_id: "p1".to_owned(),
            client_id: "ALL".to_owned(),
            css: Some(".banner-customizable { color: red; }".to_owned()),
            logo: Some(Logo {
                content_type: "image/png".to_owned(),
                bytes: vec![0x89, b'P', b'N', b'G', 0, 255],
            }),
            created_ms: 1_000,
            modified_ms: 1_000,
        };
        store.put_ui_customization(&c).await.unwrap();
        assert_eq!(
            store.get_ui_customization("p1", "ALL").await.unwrap(),
            Some(c.clone())
        );
        assert_eq!(
            store.get_ui_customization("p1", "client").await.unwrap(),
            None
        );
        c.css = None;
        c.logo = None;
        c.modified_ms = 2_000;
        store.put_ui_customization(&c).await.unwrap();
        assert_eq!(
            store.get_ui_customization("p1", "ALL").await.unwrap(),
            Some(c.clone())
        );
        c.pool_id = "missing".to_owned();
        assert_not_found(store.put_ui_customization(&c).await);
    })
    .await;
}
