use monban_core::entities::User;
use monban_core::store::{StoreError, UserPoolStore, UserStore};
use monban_wire::idp::UserStatusType;

use crate::fixtures::{
    assert_not_found, assert_version_mismatch, conflict_key, pool, user, user_with_email,
};
use crate::harness::each_backend;

#[tokio::test]
async fn user_round_trip_by_sub_and_by_each_key() {
    each_backend(|store| async move {
        store.insert_user_pool(&pool("p1")).await.unwrap();
        let mut u = user_with_email("p1", "Alice", "alice@example.com");
        u.keys.push("preferred_username:ally".to_owned());
        u.attributes
            .insert("name".to_owned(), "Alice Liddell".to_owned());
        u.status = UserStatusType::ForceChangePassword;
        u.enabled = false;
        store.insert_user(&u).await.unwrap();

        assert_eq!(
            store.get_user_by_sub("p1", &u.sub).await.unwrap(),
            Some(u.clone())
        );
        for key in &u.keys {
            assert_eq!(
                store.get_user_by_key("p1", key).await.unwrap(),
                Some(u.clone()),
                "by key {key}"
            );
        }
        assert_eq!(store.get_user_by_key("p1", "u:bob").await.unwrap(), None);
        assert_eq!(store.get_user_by_key("p2", "u:alice").await.unwrap(), None);
        assert_eq!(
            store.get_user_by_sub("p1", "no-such-sub").await.unwrap(),
            None
        );
        assert_eq!(store.count_users("p1").await.unwrap(), 1);
    })
    .await;
}

#[tokio::test]
async fn user_with_no_password_and_no_data_reads_back() {
    each_backend(|store| async move {
        store.insert_user_pool(&pool("p1")).await.unwrap();
        let mut u = user("p1", "bare");
        u.password_hash = None;
        u.attributes.clear();
        u.data = Default::default();
        store.insert_user(&u).await.unwrap();
        assert_eq!(store.get_user_by_sub("p1", &u.sub).await.unwrap(), Some(u));
    })
    .await;
}

#[tokio::test]
async fn taken_username_alias_or_sub_is_a_conflict_naming_the_key() {
    each_backend(|store| async move {
        store.insert_user_pool(&pool("p1")).await.unwrap();
        store.insert_user_pool(&pool("p2")).await.unwrap();
        let alice = user_with_email("p1", "alice", "alice@example.com");
        store.insert_user(&alice).await.unwrap();

        let same_name = user("p1", "alice");
        assert_eq!(conflict_key(store.insert_user(&same_name).await), "u:alice");

        let same_email = user_with_email("p1", "bob", "alice@example.com");
        assert_eq!(
            conflict_key(store.insert_user(&same_email).await),
            "email:alice@example.com"
        );
        // The failed insert left nothing behind: bob's own key is still free.
        assert_eq!(store.get_user_by_key("p1", "u:bob").await.unwrap(), None);
        assert_eq!(
            store.get_user_by_sub("p1", &same_email.sub).await.unwrap(),
            None
        );
        store.insert_user(&user("p1", "bob")).await.unwrap();

        // Username and alias both taken: the username is what is reported.
        let mut both = user("p1", "alice");
        both.keys = vec!["email:alice@example.com".to_owned(), "u:alice".to_owned()];
        assert_eq!(conflict_key(store.insert_user(&both).await), "u:alice");

        let mut same_sub = user("p1", "carol");
        same_sub.sub = alice.sub.clone();
        assert_eq!(
            conflict_key(store.insert_user(&same_sub).await),
            format!("sub:{}", alice.sub)
        );

        // Keys are unique per pool only.
        store
            .insert_user(&user_with_email("p2", "alice", "alice@example.com"))
            .await
            .unwrap();
        assert_eq!(store.count_users("p1").await.unwrap(), 2);
        assert_eq!(store.count_users("p2").await.unwrap(), 1);
        assert_eq!(
            store.get_user_by_key("p1", "u:alice").await.unwrap(),
            Some(alice)
        );
    })
    .await;
}

#[tokio::test]
async fn a_user_needs_its_pool() {
    each_backend(|store| async move {
        assert_not_found(store.insert_user(&user("missing", "alice")).await);
    })
    .await;
}

#[tokio::test]
async fn update_checks_the_version() {
    each_backend(|store| async move {
        store.insert_user_pool(&pool("p1")).await.unwrap();
        let mut u = user("p1", "alice");
        store.insert_user(&u).await.unwrap();

        u.status = UserStatusType::ResetRequired;
        u.attributes
            .insert("given_name".to_owned(), "Alice".to_owned());
        u.password_hash = None;
        u.data.preferred_mfa = Some("SOFTWARE_TOKEN_MFA".to_owned());
        u.modified_ms += 1;
        store.update_user(&u).await.unwrap();
        let stored = store.get_user_by_sub("p1", &u.sub).await.unwrap().unwrap();
        assert_eq!(
            stored,
            User {
                version: u.version + 1,
                ..u.clone()
            }
        );

        assert_version_mismatch(store.update_user(&u).await);
        assert_eq!(
            store.get_user_by_sub("p1", &u.sub).await.unwrap(),
            Some(stored)
        );

        assert_not_found(store.update_user(&user("p1", "ghost")).await);
    })
    .await;
}

#[tokio::test]
async fn a_data_update_writes_the_data_only_under_the_version_rule() {
    each_backend(|store| async move {
        store.insert_user_pool(&pool("p1")).await.unwrap();
        let u = user("p1", "alice");
        store.insert_user(&u).await.unwrap();

        let mut changed = u.clone();
        changed.data.failed_sign_ins = 3;
        changed.data.last_failed_sign_in_ms = Some(42);
        // Not written: only the data is.
        changed
            .attributes
            .insert("given_name".to_owned(), "Mallory".to_owned());
        changed.status = UserStatusType::ResetRequired;
        store.update_user_data(&changed).await.unwrap();
        let stored = store.get_user_by_sub("p1", &u.sub).await.unwrap().unwrap();
        assert_eq!(stored.data, changed.data);
        assert_eq!(stored.attributes, u.attributes);
        assert_eq!(stored.status, u.status);
        assert_eq!(stored.keys, u.keys);
        assert_eq!(stored.version, u.version + 1);

        assert_version_mismatch(store.update_user_data(&changed).await);
        assert_not_found(store.update_user_data(&user("p1", "ghost")).await);
    })
    .await;
}

#[tokio::test]
async fn update_replaces_the_login_keys() {
    each_backend(|store| async move {
        store.insert_user_pool(&pool("p1")).await.unwrap();
        let mut alice = user_with_email("p1", "alice", "old@example.com");
        store.insert_user(&alice).await.unwrap();

        alice.keys = vec![
            "u:alice".to_owned(),
            "phone_number:+15550100".to_owned(),
            "email:new@example.com".to_owned(),
        ];
        store.update_user(&alice).await.unwrap();
        alice.version += 1;
        assert_eq!(
            store
                .get_user_by_key("p1", "email:old@example.com")
                .await
                .unwrap(),
            None
        );
        let by_new = store
            .get_user_by_key("p1", "email:new@example.com")
            .await
            .unwrap();
        assert_eq!(by_new.as_ref().map(|u| &u.keys), Some(&alice.keys));
        assert_eq!(by_new, Some(alice.clone()));

        // The freed alias can be taken by someone else.
        store
            .insert_user(&user_with_email("p1", "bob", "old@example.com"))
            .await
            .unwrap();

        // Taking bob's key fails whole: alice keeps her version and her keys.
        let mut grab = alice.clone();
        grab.keys = vec!["u:alice".to_owned(), "email:old@example.com".to_owned()];
        grab.attributes
            .insert("email".to_owned(), "old@example.com".to_owned());
        assert_eq!(
            conflict_key(store.update_user(&grab).await),
            "email:old@example.com"
        );
        assert_eq!(
            store.get_user_by_sub("p1", &alice.sub).await.unwrap(),
            Some(alice.clone())
        );
        assert!(store
            .get_user_by_key("p1", "email:new@example.com")
            .await
            .unwrap()
            .is_some());
    })
    .await;
}

#[tokio::test]
async fn delete_user_frees_its_keys() {
    each_backend(|store| async move {
        store.insert_user_pool(&pool("p1")).await.unwrap();
        let alice = user_with_email("p1", "alice", "alice@example.com");
        store.insert_user(&alice).await.unwrap();
        store.delete_user("p1", &alice.sub).await.unwrap();
        assert_eq!(store.get_user_by_sub("p1", &alice.sub).await.unwrap(), None);
        assert_eq!(store.get_user_by_key("p1", "u:alice").await.unwrap(), None);
        assert_not_found(store.delete_user("p1", &alice.sub).await);
        store
            .insert_user(&user_with_email("p1", "alice", "alice@example.com"))
            .await
            .unwrap();
        assert_eq!(store.count_users("p1").await.unwrap(), 1);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_inserts_of_one_username_let_exactly_one_win() {
    each_backend(|store| async move {
        store.insert_user_pool(&pool("p1")).await.unwrap();
        let tasks: Vec<_> = (0..50)
            .map(|_| {
                let store = store.clone();
                tokio::spawn(async move { store.insert_user(&user("p1", "alice")).await })
            })
            .collect();
        let (mut won, mut conflicts) = (0, 0);
        for task in tasks {
            match task.await.unwrap() {
                Ok(()) => won += 1,
                Err(StoreError::Conflict { key }) => {
                    assert_eq!(key, "u:alice");
                    conflicts += 1;
                }
                Err(other) => panic!("unexpected {other:?}"),
            }
        }
        assert_eq!((won, conflicts), (1, 49));
        assert_eq!(store.count_users("p1").await.unwrap(), 1);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_inserts_wanting_the_same_aliases_in_any_order_do_not_deadlock() {
    each_backend(|store| async move {
        store.insert_user_pool(&pool("p1")).await.unwrap();
        // A deadlock needs two transactions to interleave just so: several rounds of many
        // racing inserts make it show (as Unavailable) if keys were taken in list order.
        for round in 0..5 {
            let email = format!("email:shared{round}@example.com");
            let phone = format!("phone_number:+1555010{round}");
            let tasks: Vec<_> = (0..100)
                .map(|n| {
                    let store = store.clone();
                    let mut u = user("p1", &format!("user{round}-{n}"));
                    if n % 2 == 0 {
                        u.keys.extend([email.clone(), phone.clone()]);
                    } else {
                        u.keys.extend([phone.clone(), email.clone()]);
                    }
                    tokio::spawn(async move { store.insert_user(&u).await })
                })
                .collect();
            let mut won = 0;
            for task in tasks {
                match task.await.unwrap() {
                    Ok(()) => won += 1,
                    Err(StoreError::Conflict { key }) => {
                        assert!(key == email || key == phone, "{key}")
                    }
                    Err(other) => panic!("unexpected {other:?}"),
                }
            }
            assert_eq!(won, 1, "round {round}");
        }
        assert_eq!(store.count_users("p1").await.unwrap(), 5);
    })
    .await;
}

/// Every username of the pool, paging `page` at a time; `between` runs after each page.
async fn page_through<F, Fut>(
    store: &monban_store::SqlStore,
    page: usize,
    mut between: F,
) -> Vec<String>
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    for n in 0.. {
        let users = store
            .list_users("p1", None, after.as_deref(), page)
            .await
            .unwrap();
        assert!(users.len() <= page);
        if users.is_empty() {
            break;
        }
        after = users.last().map(|u| u.username.clone());
        seen.extend(users.into_iter().map(|u| u.username));
        between(n).await;
    }
    seen
}

#[tokio::test]
async fn users_page_by_username_while_rows_are_inserted() {
    each_backend(|store| async move {
        store.insert_user_pool(&pool("p1")).await.unwrap();
        for name in ["d", "b", "f", "a", "e", "c", "g"] {
            store.insert_user(&user("p1", name)).await.unwrap();
        }
        let inserting = store.clone();
        let seen = page_through(&store, 2, |n| {
            let store = inserting.clone();
            async move {
                if n == 1 {
                    // After the page ending at "d": one behind the cursor, one ahead of it.
                    store.insert_user(&user("p1", "bb")).await.unwrap();
                    store.insert_user(&user("p1", "ee")).await.unwrap();
                }
            }
        })
        .await;
        assert_eq!(seen, ["a", "b", "c", "d", "e", "ee", "f", "g"]);

        let all = page_through(&store, 100, |_| async {}).await;
        assert_eq!(all, ["a", "b", "bb", "c", "d", "e", "ee", "f", "g"]);

        // Each user of a page comes with all its keys, and only its own.
        let page = store.list_users("p1", None, None, 3).await.unwrap();
        for u in &page {
            assert_eq!(u.keys, [format!("u:{}", u.username)]);
        }
    })
    .await;
}

#[tokio::test]
async fn listed_users_carry_their_keys() {
    each_backend(|store| async move {
        store.insert_user_pool(&pool("p1")).await.unwrap();
        let a = user_with_email("p1", "a", "a@example.com");
        let mut b = user("p1", "b");
        b.keys.clear(); // possible for users of an external provider
        let c = user_with_email("p1", "c", "c@example.com");
        for u in [&a, &b, &c] {
            store.insert_user(u).await.unwrap();
        }
        let listed = store.list_users("p1", None, None, 10).await.unwrap();
        assert_eq!(listed, [a, b, c]);
    })
    .await;
}
