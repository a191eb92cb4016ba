use monban_core::store::{Store, StoreError, UserPoolStore};
use monban_store::SqlStore;

use crate::fixtures::pool;
use crate::harness::{each_backend, sqlite_url, TempDir};

#[tokio::test]
async fn ping_and_migrate_again() {
    each_backend(|store| async move {
        store.ping().await.unwrap();
        store.migrate().await.unwrap();
        store.insert_user_pool(&pool("p1")).await.unwrap();
        store.migrate().await.unwrap();
        assert!(store.get_user_pool("p1").await.unwrap().is_some());
    })
    .await;
}

#[tokio::test]
async fn sqlite_file_is_created_in_wal_mode_and_keeps_its_data() {
    let dir = TempDir::new();
    let file = dir.db_file();
    let url = sqlite_url(&file);
    let store = SqlStore::connect(&url).await.unwrap();
    assert!(store.is_sqlite());
    store.insert_user_pool(&pool("p1")).await.unwrap();
    assert!(file.exists());
    let wal = file.with_file_name("monban.db-wal");
    assert!(wal.exists(), "a write-ahead log beside the database");
    store.close().await;

    let again = SqlStore::connect(&url).await.unwrap();
    assert_eq!(again.get_user_pool("p1").await.unwrap(), Some(pool("p1")));
    again.close().await;

    // The short form names the same file.
    let short = SqlStore::connect(&format!("sqlite:{}", file.display()))
        .await
        .unwrap();
    assert!(short.get_user_pool("p1").await.unwrap().is_some());
    short.close().await;
}

#[tokio::test]
async fn sqlite_without_rwc_needs_an_existing_file() {
    let dir = TempDir::new();
    let file = dir.db_file();
    let result = SqlStore::connect(&format!("sqlite://{}", file.display())).await;
    assert!(
        matches!(result, Err(StoreError::Unavailable(_))),
        "{result:?}"
    );
    assert!(!file.exists());
}

#[tokio::test]
async fn unknown_schemes_are_refused_without_echoing_the_url() {
    let result = SqlStore::connect("mysql://root:hunter2@localhost/monban").await;
    match result {
        Err(StoreError::Unavailable(message)) => {
            assert!(message.contains("mysql:"), "{message}");
            assert!(!message.contains("hunter2"), "{message}");
        }
        other => panic!("expected Unavailable, got {other:?}"),
    }
}
