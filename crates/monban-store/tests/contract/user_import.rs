use monban_core::store::UserPoolStore;
use monban_core::user_import::{ImportJob, ImportRowError, UserImportStore};
use monban_wire::idp::{PasswordHashingAlgorithmType, UserImportJobStatusType as Status};

use crate::fixtures::{assert_not_found, assert_version_mismatch, conflict_key, pool};
use crate::harness::each_backend;

fn job(pool_id: &str, job_id: &str) -> ImportJob {
    ImportJob {
        pool_id: pool_id.to_owned(),
        job_id: job_id.to_owned(),
        job_name: "nightly".to_owned(),
        status: Status::Created,
        cloud_watch_logs_role_arn: "arn:aws:iam::000000000000:role/import".to_owned(),
        password_hashing_algorithm: None,
        created_ms: 1_700_000_000_000,
        started_ms: None,
        completed_ms: None,
        completion_message: None,
        imported_users: 0,
        skipped_users: 0,
        failed_users: 0,
        upload_token_hash: "ab".repeat(32),
        upload_expires_ms: 1_700_003_600_000,
    }
}

fn row_error(line: i64) -> ImportRowError {
    ImportRowError {
        line,
        username: (line % 2 == 0).then(|| format!("user{line}")),
        outcome: "FAILED".to_owned(),
        message: format!("row {line} is wrong"),
    }
}

#[tokio::test]
async fn import_jobs_round_trip_and_move_on_from_the_status_read() {
    each_backend(|store| async move {
        store.insert_user_pool(&pool("p1")).await.unwrap();
        let mut j = job("p1", "import-a");
        j.password_hashing_algorithm = Some(PasswordHashingAlgorithmType::Bcrypt);
        store.insert_import_job(&j).await.unwrap();
        assert_eq!(
            store.get_import_job("import-a").await.unwrap(),
            Some(j.clone())
        );
        assert_eq!(store.get_import_job("import-b").await.unwrap(), None);
        assert_eq!(
            conflict_key(store.insert_import_job(&j).await),
            "import_job:import-a"
        );
        assert_not_found(store.insert_import_job(&job("nope", "import-z")).await);

        let mut started = j.clone();
        started.status = Status::InProgress;
        started.started_ms = Some(1_700_000_001_000);
        store
            .update_import_job(&started, Status::Created)
            .await
            .unwrap();
        // A second start read Created too: it loses.
        assert_version_mismatch(store.update_import_job(&started, Status::Created).await);
        let mut done = started.clone();
        done.status = Status::Succeeded;
        done.completed_ms = Some(1_700_000_002_000);
        done.completion_message = Some("done".to_owned());
        done.imported_users = 3;
        done.skipped_users = 1;
        done.failed_users = 2;
        store
            .update_import_job(&done, Status::InProgress)
            .await
            .unwrap();
        assert_eq!(
            store.get_import_job("import-a").await.unwrap(),
            Some(done.clone())
        );
        assert_not_found(
            store
                .update_import_job(&job("p1", "import-x"), Status::Created)
                .await,
        );
    })
    .await;
}

#[tokio::test]
async fn import_files_errors_and_pages_go_with_their_pool() {
    each_backend(|store| async move {
        store.insert_user_pool(&pool("p1")).await.unwrap();
        store.insert_user_pool(&pool("p2")).await.unwrap();
        for id in ["import-c", "import-a", "import-b"] {
            store.insert_import_job(&job("p1", id)).await.unwrap();
        }
        store
            .insert_import_job(&job("p2", "import-d"))
            .await
            .unwrap();
        let ids = |jobs: Vec<ImportJob>| jobs.into_iter().map(|j| j.job_id).collect::<Vec<_>>();
        assert_eq!(
            ids(store.list_import_jobs("p1", None, 2).await.unwrap()),
            ["import-a", "import-b"]
        );
        assert_eq!(
            ids(store
                .list_import_jobs("p1", Some("import-b"), 2)
                .await
                .unwrap()),
            ["import-c"]
        );

        assert_eq!(store.get_import_file("import-a").await.unwrap(), None);
        let csv = "cognito:username,cognito:mfa_enabled\nalice,false\n";
        store.put_import_file("import-a", csv).await.unwrap();
        assert_eq!(
            store.get_import_file("import-a").await.unwrap().as_deref(),
            Some(csv)
        );
        assert_not_found(store.put_import_file("import-x", csv).await);

        // More errors than one statement writes.
        let errors: Vec<_> = (2..260).rev().map(row_error).collect();
        store
            .insert_import_errors("import-a", &errors)
            .await
            .unwrap();
        store.insert_import_errors("import-a", &[]).await.unwrap();
        let read = store.list_import_errors("import-a").await.unwrap();
        assert_eq!(read.len(), errors.len());
        assert_eq!(read[0], row_error(2));
        assert_eq!(read[257], row_error(259));
        assert!(store
            .list_import_errors("import-b")
            .await
            .unwrap()
            .is_empty());

        store.delete_user_pool("p1").await.unwrap();
        assert_eq!(store.get_import_job("import-a").await.unwrap(), None);
        assert!(store
            .list_import_errors("import-a")
            .await
            .unwrap()
            .is_empty());
        assert!(store.get_import_job("import-d").await.unwrap().is_some());
    })
    .await;
}
