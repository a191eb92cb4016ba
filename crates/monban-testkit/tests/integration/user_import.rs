//! CSV user import jobs through the AWS SDK for Rust, where the Python suite cannot reach:
//! the pre-signed URL's expiry on the fake clock, and a StopUserImportJob that lands while
//! another request runs the job (it stops between rows).

use monban_core::pool_config::load_pool;
use monban_core::user_import::run_job;
use monban_core::wire::idp::UserImportJobStatusType as Status;
use monban_testkit::idp::types::UserImportJobStatusType;
use monban_testkit::RawRequest;
use monban_testkit::{each_backend, TestApp};

use super::support::new_pool_id;

const ROLE: &str = "arn:aws:iam::000000000000:role/CognitoImportRole";

/// A new job's id and the path (with its token) of its pre-signed URL.
async fn new_job(app: &TestApp, pool_id: &str) -> (String, String) {
    let job = app
        .idp()
        .create_user_import_job()
        .user_pool_id(pool_id)
        .job_name("nightly")
        .cloud_watch_logs_role_arn(ROLE)
        .send()
        .await
        .unwrap()
        .user_import_job
        .unwrap();
    let url = job.pre_signed_url.unwrap();
    let path = &url[url.find("/_import/").unwrap()..];
    (job.job_id.unwrap(), path.to_owned())
}

fn csv(rows: usize) -> String {
    let mut text = "cognito:username,cognito:mfa_enabled,email\n".to_owned();
    for n in 0..rows {
        text.push_str(&format!("user{n},false,user{n}@example.com\n"));
    }
    text
}

#[tokio::test]
async fn the_upload_url_expires_after_an_hour() {
    each_backend(|app| async move {
        let pool_id = new_pool_id(&app.idp()).await;
        let (_, path) = new_job(&app, &pool_id).await;
        app.clock().advance(std::time::Duration::from_secs(61 * 60));
        let put = app.send(RawRequest::new("PUT", &path).body(csv(1))).await;
        assert_eq!(put.status, 403);
    })
    .await;
}

#[tokio::test]
async fn a_stop_lands_between_rows_of_a_running_job() {
    each_backend(|app| async move {
        let pool_id = new_pool_id(&app.idp()).await;
        let (job_id, path) = new_job(&app, &pool_id).await;
        let text = csv(250);
        let put = app
            .send(RawRequest::new("PUT", &path).body(text.clone()))
            .await;
        assert_eq!(put.status, 200);

        // Another request claimed the job and is running it.
        let store = &app.cx().store;
        let mut running = store.get_import_job(&job_id).await.unwrap().unwrap();
        running.status = Status::InProgress;
        running.started_ms = Some(app.cx().now_ms());
        store
            .update_import_job(&running, Status::Created)
            .await
            .unwrap();
        let stopping = app
            .idp()
            .stop_user_import_job()
            .user_pool_id(&pool_id)
            .job_id(&job_id)
            .send()
            .await
            .unwrap()
            .user_import_job
            .unwrap();
        assert_eq!(stopping.status, Some(UserImportJobStatusType::Stopping));

        let pool = load_pool(app.cx(), &pool_id).await.unwrap();
        let stopped = run_job(app.cx(), &pool, running, &text).await.unwrap();
        assert_eq!(stopped.status, Status::Stopped);
        assert_eq!(stopped.imported_users, 100);
        let described = app
            .idp()
            .describe_user_import_job()
            .user_pool_id(&pool_id)
            .job_id(&job_id)
            .send()
            .await
            .unwrap()
            .user_import_job
            .unwrap();
        assert_eq!(described.status, Some(UserImportJobStatusType::Stopped));
        assert_eq!(described.imported_users, 100);
        assert!(described.completion_date.is_some());
        // A stopped job does not start again.
        let again = app
            .idp()
            .start_user_import_job()
            .user_pool_id(&pool_id)
            .job_id(&job_id)
            .send()
            .await;
        assert_eq!(
            monban_testkit::service_error(again).code,
            "PreconditionNotMetException"
        );
    })
    .await;
}
