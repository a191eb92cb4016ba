//! Uniqueness under concurrency: the database, not a read-then-write, decides who wins.

use std::collections::BTreeSet;

use monban_testkit::idp::types::{MessageActionType, UsernameAttributeType};
use monban_testkit::idp::Client;
use monban_testkit::{each_backend, service_error, unique_name};

use super::support::new_pool_id;

/// Runs `n` AdminCreateUser calls at once; returns (successes, error codes).
async fn create_concurrently(idp: &Client, pool: &str, names: Vec<String>) -> (usize, Vec<String>) {
    let tasks: Vec<_> = names
        .into_iter()
        .map(|name| {
            let idp = idp.clone();
            let pool = pool.to_owned();
            tokio::spawn(async move {
                idp.admin_create_user()
                    .user_pool_id(pool)
                    .username(name)
                    .message_action(MessageActionType::Suppress)
                    .send()
                    .await
            })
        })
        .collect();
    let mut ok = 0;
    let mut errors = Vec::new();
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => ok += 1,
            Err(e) => errors.push(service_error::<(), _, _>(Err(e)).code),
        }
    }
    (ok, errors)
}

async fn usernames(idp: &Client, pool: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = idp
            .list_users()
            .user_pool_id(pool)
            .set_pagination_token(token)
            .send()
            .await
            .unwrap();
        out.extend(
            page.users()
                .iter()
                .map(|u| u.username().unwrap().to_owned()),
        );
        token = page.pagination_token().map(str::to_owned);
        if token.is_none() {
            return out;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_creates_of_one_username_make_one_user() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = new_pool_id(&idp).await;
        let (ok, errors) = create_concurrently(&idp, &pool, vec!["same".to_owned(); 50]).await;
        assert_eq!(ok, 1, "exactly one success; errors: {errors:?}");
        assert_eq!(errors.len(), 49);
        assert!(
            errors.iter().all(|e| e == "UsernameExistsException"),
            "every other call is UsernameExistsException: {errors:?}"
        );
        assert_eq!(usernames(&idp, &pool).await, ["same"]);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_creates_of_distinct_usernames_all_succeed() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = new_pool_id(&idp).await;
        let names: Vec<String> = (0..50).map(|i| format!("user{i:02}")).collect();
        let (ok, errors) = create_concurrently(&idp, &pool, names.clone()).await;
        assert_eq!(ok, 50, "errors: {errors:?}");
        let listed: BTreeSet<_> = usernames(&idp, &pool).await.into_iter().collect();
        assert_eq!(listed, names.into_iter().collect::<BTreeSet<_>>());
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_creates_of_one_email_username_make_one_user() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = idp
            .create_user_pool()
            .pool_name(unique_name("email-race-"))
            .username_attributes(UsernameAttributeType::Email)
            .send()
            .await
            .unwrap()
            .user_pool
            .unwrap()
            .id
            .unwrap();
        let (ok, errors) =
            create_concurrently(&idp, &pool, vec!["race@example.com".to_owned(); 20]).await;
        assert_eq!(ok, 1, "exactly one success; errors: {errors:?}");
        assert!(
            errors.iter().all(|e| e == "UsernameExistsException"),
            "{errors:?}"
        );
        assert_eq!(usernames(&idp, &pool).await.len(), 1);
    })
    .await;
}
