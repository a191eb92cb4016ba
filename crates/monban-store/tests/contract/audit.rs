//! The audit chain on both backends: appends link, every kind of tampering done with SQL
//! behind the store's back is named by verification, pruning leaves a checkpoint that
//! verification starts from, and auth events with feedback read back per user.

use std::future::Future;

use monban_core::audit::{
    sign_checkpoint, verify, AuditEvent, AuditFilter, AuditStore, AuthEventFeedback, AuthEventKind,
    Checkpoint, Finding, Outcome,
};
use monban_core::store::StoreError;
use monban_core::wire::idp::FeedbackValueType;
use monban_store::SqlStore;
use sqlx::{Connection, Executor};

use crate::harness::{postgres_admin, sqlite_url, TempDir, DATABASE_URL_VAR};

/// Like `each_backend`, also handing the test a URL for raw SQL on the same database.
async fn each_backend_with_url<F, Fut>(test: F)
where
    F: Fn(SqlStore, String) -> Fut,
    Fut: Future<Output = ()>,
{
    {
        eprintln!("-- on SQLite");
        let dir = TempDir::new();
        let url = sqlite_url(&dir.db_file());
        let store = SqlStore::connect(&url).await.unwrap();
        test(store.clone(), url).await;
        store.close().await;
    }
    if let Ok(url) = std::env::var(DATABASE_URL_VAR) {
        eprintln!("-- on PostgreSQL");
        let schema = format!("test_{}", uuid::Uuid::new_v4().simple());
        let mut admin = postgres_admin(&url).await;
        admin
            .execute(format!("CREATE SCHEMA {schema}").as_str())
            .await
            .unwrap();
        let separator = if url.contains('?') { '&' } else { '?' };
        let url = format!("{url}{separator}options[search_path]={schema}");
        let store = SqlStore::connect(&url).await.unwrap();
        test(store.clone(), url).await;
        store.close().await;
        admin
            .execute(format!("DROP SCHEMA {schema} CASCADE").as_str())
            .await
            .unwrap();
    }
}

async fn raw(url: &str, sql: &str) {
    let mut conn = sqlx::AnyConnection::connect(url).await.unwrap();
    conn.execute(sql).await.unwrap();
    conn.close().await.unwrap();
}

fn event(n: i64) -> AuditEvent {
    let mut e = AuditEvent::new(
        format!("event-{n}"),
        1_700_000_000_000 + n * 1000,
        "InitiateAuth",
    );
    e.pool_id = Some("us-east-1_Pool".into());
    e.sub = Some(if n % 2 == 0 { "sub-even" } else { "sub-odd" }.into());
    e.username = Some(format!("user{}", n % 2));
    e.auth_event = Some(AuthEventKind::SignIn);
    e.source_ip = Some("192.0.2.1".into());
    if n == 3 {
        e.outcome = Outcome::Fail;
        e.error = Some("NotAuthorizedException".into());
    }
    e
}

async fn seed(store: &SqlStore, n: i64) {
    for i in 1..=n {
        store.append_audit(&[event(i)]).await.unwrap();
    }
}

async fn verify_store(store: &SqlStore) -> Result<u64, Finding> {
    let checkpoint = store.audit_checkpoint().await.unwrap();
    let records = store
        .list_audit(0, &AuditFilter::default(), 1000)
        .await
        .unwrap();
    let head = store.audit_head().await.unwrap();
    verify(
        checkpoint.as_ref().map(|c| (c.seq, c.hash.as_str())),
        &records,
        head.as_ref(),
    )
}

#[tokio::test]
async fn appends_form_a_chain_that_verifies() {
    each_backend_with_url(|store, _| async move {
        assert_eq!(verify_store(&store).await, Ok(0));
        seed(&store, 3).await;
        store.append_audit(&[event(4), event(5)]).await.unwrap();
        assert_eq!(verify_store(&store).await, Ok(5));
        let records = store
            .list_audit(0, &AuditFilter::default(), 100)
            .await
            .unwrap();
        let seqs: Vec<i64> = records.iter().map(|r| r.seq).collect();
        assert_eq!(seqs, vec![1, 2, 3, 4, 5]);
        assert_eq!(records[2].event().unwrap(), event(3));
        assert_eq!(records[1].prev_hash, records[0].hash);

        let odd = AuditFilter {
            user: Some("sub-odd".into()),
            from_ms: Some(1_700_000_002_000),
            ..AuditFilter::default()
        };
        let found: Vec<i64> = store
            .list_audit(0, &odd, 100)
            .await
            .unwrap()
            .iter()
            .map(|r| r.seq)
            .collect();
        assert_eq!(found, vec![3, 5]);
        let by_name = AuditFilter {
            user: Some("user0".into()),
            pool_id: Some("us-east-1_Pool".into()),
            to_ms: Some(1_700_000_004_000),
            ..AuditFilter::default()
        };
        let found: Vec<i64> = store
            .list_audit(1, &by_name, 100)
            .await
            .unwrap()
            .iter()
            .map(|r| r.seq)
            .collect();
        assert_eq!(found, vec![2]);
    })
    .await;
}

#[tokio::test]
async fn concurrent_appends_keep_the_chain_whole() {
    each_backend_with_url(|store, _| async move {
        let mut tasks = Vec::new();
        for i in 0..8 {
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                for j in 0..5 {
                    store.append_audit(&[event(i * 10 + j)]).await.unwrap();
                }
            }));
        }
        for task in tasks {
            task.await.unwrap();
        }
        assert_eq!(verify_store(&store).await, Ok(40));
    })
    .await;
}

#[tokio::test]
async fn an_altered_record_is_named() {
    each_backend_with_url(|store, url| async move {
        seed(&store, 6).await;
        raw(
            &url,
            "UPDATE audit_log SET body = REPLACE(body, 'NotAuthorizedException', 'x') WHERE seq = 3",
        )
        .await;
        assert_eq!(verify_store(&store).await, Err(Finding::Altered { seq: 3 }));
    })
    .await;
}

#[tokio::test]
async fn a_moved_index_column_is_named() {
    each_backend_with_url(|store, url| async move {
        seed(&store, 4).await;
        raw(
            &url,
            "UPDATE audit_log SET sub = 'someone-else' WHERE seq = 2",
        )
        .await;
        assert_eq!(verify_store(&store).await, Err(Finding::Altered { seq: 2 }));
    })
    .await;
}

#[tokio::test]
async fn a_deleted_record_is_named() {
    each_backend_with_url(|store, url| async move {
        seed(&store, 6).await;
        raw(&url, "DELETE FROM audit_log WHERE seq = 4").await;
        assert_eq!(verify_store(&store).await, Err(Finding::Deleted { seq: 4 }));
    })
    .await;
    each_backend_with_url(|store, url| async move {
        seed(&store, 6).await;
        raw(&url, "DELETE FROM audit_log WHERE seq = 6").await;
        assert_eq!(verify_store(&store).await, Err(Finding::Deleted { seq: 6 }));
    })
    .await;
}

#[tokio::test]
async fn swapped_records_are_named() {
    each_backend_with_url(|store, url| async move {
        seed(&store, 6).await;
        raw(&url, "UPDATE audit_log SET seq = -1 WHERE seq = 2").await;
        raw(&url, "UPDATE audit_log SET seq = 2 WHERE seq = 3").await;
        raw(&url, "UPDATE audit_log SET seq = 3 WHERE seq = -1").await;
        assert_eq!(
            verify_store(&store).await,
            Err(Finding::Reordered {
                seq: 2,
                belongs_at: 3
            })
        );
    })
    .await;
}

#[tokio::test]
async fn pruning_leaves_a_checkpoint_verification_starts_from() {
    each_backend_with_url(|store, url| async move {
        seed(&store, 6).await;
        // Record n was written at 1_700_000_000_000 + n s: prune 1..=3.
        let (seq, hash) = store
            .audit_prune_point(1_700_000_003_500)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(seq, 3);
        let key = [9u8; 32];
        let checkpoint = Checkpoint {
            signature: sign_checkpoint(&key, seq, &hash),
            seq,
            hash,
            created_ms: 1,
        };
        assert_eq!(store.prune_audit(&checkpoint).await.unwrap(), 3);
        // An older checkpoint never replaces a newer one.
        assert_eq!(
            store
                .prune_audit(&Checkpoint {
                    seq: 2,
                    ..checkpoint.clone()
                })
                .await
                .unwrap(),
            0
        );
        let stored = store.audit_checkpoint().await.unwrap().unwrap();
        assert_eq!(stored, checkpoint);
        assert!(stored.is_signed_by(&key));
        assert_eq!(verify_store(&store).await, Ok(3));
        // The newest record is never pruned: the next append links to it.
        assert_eq!(
            store
                .audit_prune_point(i64::MAX)
                .await
                .unwrap()
                .map(|p| p.0),
            Some(5)
        );
        // A deletion right after the checkpoint is still named.
        raw(&url, "DELETE FROM audit_log WHERE seq = 4").await;
        assert_eq!(verify_store(&store).await, Err(Finding::Deleted { seq: 4 }));
    })
    .await;
}

#[tokio::test]
async fn auth_events_and_feedback_read_back_per_user() {
    each_backend_with_url(|store, _| async move {
        seed(&store, 5).await;
        let mut not_reported = event(6);
        not_reported.auth_event = Some(AuthEventKind::TokenRefresh);
        store.append_audit(&[not_reported]).await.unwrap();

        let page = store
            .list_user_auth_events("us-east-1_Pool", "sub-odd", None, 2)
            .await
            .unwrap();
        let seqs: Vec<i64> = page.iter().map(|(r, _)| r.seq).collect();
        assert_eq!(seqs, vec![5, 3]);
        let rest = store
            .list_user_auth_events("us-east-1_Pool", "sub-odd", Some(3), 10)
            .await
            .unwrap();
        assert_eq!(rest.iter().map(|(r, _)| r.seq).collect::<Vec<_>>(), vec![1]);
        // Token refreshes are not Cognito auth events.
        let even = store
            .list_user_auth_events("us-east-1_Pool", "sub-even", None, 10)
            .await
            .unwrap();
        assert_eq!(
            even.iter().map(|(r, _)| r.seq).collect::<Vec<_>>(),
            vec![4, 2]
        );

        let feedback = AuthEventFeedback {
            value: FeedbackValueType::Invalid,
            provider: "Admin".into(),
            feedback_ms: 42,
        };
        store
            .put_auth_event_feedback("us-east-1_Pool", "sub-odd", "event-3", &feedback)
            .await
            .unwrap();
        let valid = AuthEventFeedback {
            value: FeedbackValueType::Valid,
            ..feedback.clone()
        };
        store
            .put_auth_event_feedback("us-east-1_Pool", "sub-odd", "event-3", &valid)
            .await
            .unwrap();
        let page = store
            .list_user_auth_events("us-east-1_Pool", "sub-odd", None, 10)
            .await
            .unwrap();
        assert_eq!(page[1].1, Some(valid));
        assert_eq!(page[0].1, None);
        // Another user's event is not found.
        assert!(matches!(
            store
                .put_auth_event_feedback("us-east-1_Pool", "sub-even", "event-3", &feedback)
                .await,
            Err(StoreError::NotFound)
        ));
        assert_eq!(verify_store(&store).await, Ok(6));
    })
    .await;
}
