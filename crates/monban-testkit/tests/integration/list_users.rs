//! ListUsers: every filterable attribute with `=` and `^=`, bad filters, AttributesToGet,
//! and pagination that neither misses nor repeats a user while users are being added.

use std::collections::{BTreeSet, HashMap};

use monban_testkit::idp::types::{UserStatusType, UserType};
use monban_testkit::idp::Client;
use monban_testkit::{each_backend, expect_code, service_error};

use super::support::{attr_value, create_user, new_pool_id};

/// Every user matching `filter`, following pagination tokens.
async fn list_all(idp: &Client, pool: &str, filter: &str) -> Vec<UserType> {
    let mut users = Vec::new();
    let mut token: Option<String> = None;
    for _ in 0..1000 {
        let page = idp
            .list_users()
            .user_pool_id(pool)
            .filter(filter)
            .set_pagination_token(token)
            .send()
            .await
            .unwrap_or_else(|e| panic!("ListUsers {filter:?}: {e:?}"));
        users.extend(page.users().iter().cloned());
        token = page.pagination_token().map(str::to_owned);
        if token.is_none() {
            return users;
        }
    }
    panic!("pagination does not end");
}

async fn names(idp: &Client, pool: &str, filter: &str) -> BTreeSet<String> {
    list_all(idp, pool, filter)
        .await
        .into_iter()
        .map(|u| u.username.unwrap())
        .collect()
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| (*s).to_owned()).collect()
}

/// alice, albert, bob (FORCE_CHANGE_PASSWORD, enabled), carol (CONFIRMED, disabled),
/// dave (a name with quotes). Returns the subs by name.
async fn populated_pool(idp: &Client) -> (String, HashMap<String, String>) {
    let pool = new_pool_id(idp).await;
    create_user(
        idp,
        &pool,
        "alice",
        &[
            ("email", "alice@example.com"),
            ("name", "Alice Smith"),
            ("given_name", "Alice"),
            ("family_name", "Smith"),
            ("phone_number", "+15550000001"),
            ("preferred_username", "ally"),
        ],
    )
    .await;
    create_user(
        idp,
        &pool,
        "albert",
        &[
            ("email", "albert@example.org"),
            ("name", "Albert Stone"),
            ("given_name", "Albert"),
            ("family_name", "Stone"),
            ("phone_number", "+15550000002"),
        ],
    )
    .await;
    create_user(
        idp,
        &pool,
        "bob",
        &[
            ("email", "bob@example.com"),
            ("name", "Bob Smithers"),
            ("given_name", "Bob"),
            ("family_name", "Smithers"),
            ("phone_number", "+442000000000"),
        ],
    )
    .await;
    create_user(idp, &pool, "carol", &[("email", "carol@example.net")]).await;
    idp.admin_set_user_password()
        .user_pool_id(&pool)
        .username("carol")
        .password("Perm#Pass1")
        .permanent(true)
        .send()
        .await
        .unwrap();
    idp.admin_disable_user()
        .user_pool_id(&pool)
        .username("carol")
        .send()
        .await
        .unwrap();
    create_user(idp, &pool, "dave", &[("name", r#"Say "hi""#)]).await;

    let subs = list_all(idp, &pool, "")
        .await
        .into_iter()
        .map(|u| {
            let sub = attr_value(u.attributes(), "sub").unwrap().to_owned();
            (u.username.unwrap(), sub)
        })
        .collect();
    (pool, subs)
}

#[tokio::test]
async fn every_filter_attribute_with_equals_and_prefix() {
    each_backend(|app| async move {
        let idp = app.idp();
        let (pool, subs) = populated_pool(&idp).await;
        let alice_sub = &subs["alice"];

        let cases: Vec<(String, BTreeSet<String>)> = vec![
            (
                String::new(),
                set(&["alice", "albert", "bob", "carol", "dave"]),
            ),
            (r#"username = "alice""#.into(), set(&["alice"])),
            (r#"username ^= "al""#.into(), set(&["alice", "albert"])),
            (r#"username = "Alice""#.into(), set(&[])),
            (r#"email = "bob@example.com""#.into(), set(&["bob"])),
            (r#"email ^= "al""#.into(), set(&["alice", "albert"])),
            (r#"phone_number = "+15550000001""#.into(), set(&["alice"])),
            (
                r#"phone_number ^= "+1555""#.into(),
                set(&["alice", "albert"]),
            ),
            (r#"name = "Alice Smith""#.into(), set(&["alice"])),
            (r#"name ^= "Al""#.into(), set(&["alice", "albert"])),
            (r#"given_name = "Bob""#.into(), set(&["bob"])),
            (r#"given_name ^= "A""#.into(), set(&["alice", "albert"])),
            (r#"family_name = "Smith""#.into(), set(&["alice"])),
            (r#"family_name ^= "Smith""#.into(), set(&["alice", "bob"])),
            (r#"preferred_username = "ally""#.into(), set(&["alice"])),
            (r#"preferred_username ^= "al""#.into(), set(&["alice"])),
            (format!(r#"sub = "{alice_sub}""#), set(&["alice"])),
            (format!(r#"sub ^= "{}""#, &alice_sub[..13]), set(&["alice"])),
            (
                r#"cognito:user_status = "CONFIRMED""#.into(),
                set(&["carol"]),
            ),
            (
                r#"cognito:user_status = "confirmed""#.into(),
                set(&["carol"]),
            ),
            (
                r#"cognito:user_status = "FORCE_CHANGE_PASSWORD""#.into(),
                set(&["alice", "albert", "bob", "dave"]),
            ),
            (
                r#"cognito:user_status ^= "FORCE""#.into(),
                set(&["alice", "albert", "bob", "dave"]),
            ),
            (r#"status = "Disabled""#.into(), set(&["carol"])),
            (
                r#"status = "Enabled""#.into(),
                set(&["alice", "albert", "bob", "dave"]),
            ),
            (r#"name = "Say \"hi\"""#.into(), set(&["dave"])),
            (r#"email = "nobody@example.com""#.into(), set(&[])),
        ];
        for (filter, expected) in cases {
            assert_eq!(
                names(&idp, &pool, &filter).await,
                expected,
                "filter {filter}"
            );
        }
    })
    .await;
}

#[tokio::test]
async fn listed_users_carry_their_details() {
    each_backend(|app| async move {
        let idp = app.idp();
        let (pool, subs) = populated_pool(&idp).await;
        let users = list_all(&idp, &pool, r#"username = "carol""#).await;
        assert_eq!(users.len(), 1);
        let carol = &users[0];
        assert_eq!(carol.user_status(), Some(&UserStatusType::Confirmed));
        assert!(!carol.enabled());
        assert!(carol.user_create_date().is_some());
        assert!(carol.user_last_modified_date().is_some());
        assert_eq!(
            attr_value(carol.attributes(), "sub"),
            Some(subs["carol"].as_str())
        );
        assert_eq!(
            attr_value(carol.attributes(), "email"),
            Some("carol@example.net")
        );
    })
    .await;
}

#[tokio::test]
async fn bad_filters_are_invalid_parameter() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = new_pool_id(&idp).await;
        for filter in [
            r#"nosuchattribute = "x""#,
            r#"custom:tenant = "x""#,
            r#"email = bob"#,
            r#"email > "x""#,
            r#"email "x""#,
            r#"email = "x" and name = "y""#,
            r#"= "x""#,
            r#"email = "unterminated"#,
        ] {
            expect_code(
                idp.list_users()
                    .user_pool_id(&pool)
                    .filter(filter)
                    .send()
                    .await,
                "InvalidParameterException",
            );
        }
        // The model's 256-character limit.
        service_error(
            idp.list_users()
                .user_pool_id(&pool)
                .filter(format!(r#"email = "{}""#, "a".repeat(260)))
                .send()
                .await,
        )
        .assert_code("InvalidParameterException")
        .assert_message_contains("filter");
    })
    .await;
}

#[tokio::test]
async fn attributes_to_get_limits_the_attributes() {
    each_backend(|app| async move {
        let idp = app.idp();
        let (pool, _) = populated_pool(&idp).await;
        let out = idp
            .list_users()
            .user_pool_id(&pool)
            .filter(r#"username ^= "al""#)
            .attributes_to_get("email")
            .attributes_to_get("given_name")
            .send()
            .await
            .expect("ListUsers with AttributesToGet");
        assert_eq!(out.users().len(), 2);
        for user in out.users() {
            let got: BTreeSet<&str> = user.attributes().iter().map(|a| a.name()).collect();
            assert_eq!(got, BTreeSet::from(["email", "given_name"]), "{user:?}");
            assert!(user.username().is_some());
        }
    })
    .await;
}

#[tokio::test]
async fn limit_and_pagination_token() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = new_pool_id(&idp).await;
        for i in 0..13 {
            create_user(
                &idp,
                &pool,
                &format!("user{i:02}"),
                &[("email", &format!("user{i:02}@example.com"))],
            )
            .await;
        }
        let mut seen = Vec::new();
        let mut token: Option<String> = None;
        let mut pages = 0;
        loop {
            let page = idp
                .list_users()
                .user_pool_id(&pool)
                .limit(5)
                .set_pagination_token(token)
                .send()
                .await
                .unwrap();
            pages += 1;
            assert!(page.users().len() <= 5);
            seen.extend(
                page.users()
                    .iter()
                    .map(|u| u.username().unwrap().to_owned()),
            );
            token = page.pagination_token().map(str::to_owned);
            if token.is_none() {
                break;
            }
            assert!(pages < 100);
        }
        assert!(pages >= 3, "13 users at 5 per page: {pages} pages");
        assert_eq!(seen.len(), 13, "{seen:?}");
        assert_eq!(seen.iter().collect::<BTreeSet<_>>().len(), 13);

        // A filter holds across pages.
        let mut filtered = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let page = idp
                .list_users()
                .user_pool_id(&pool)
                .filter(r#"email ^= "user1""#)
                .limit(1)
                .set_pagination_token(token)
                .send()
                .await
                .unwrap();
            filtered.extend(
                page.users()
                    .iter()
                    .map(|u| u.username().unwrap().to_owned()),
            );
            token = page.pagination_token().map(str::to_owned);
            if token.is_none() {
                break;
            }
        }
        filtered.sort();
        assert_eq!(filtered, ["user10", "user11", "user12"]);

        expect_code(
            idp.list_users().user_pool_id(&pool).limit(61).send().await,
            "InvalidParameterException",
        );
        expect_code(
            idp.list_users()
                .user_pool_id(&pool)
                .pagination_token("!!not-a-token!!")
                .send()
                .await,
            "InvalidParameterException",
        );
    })
    .await;
}

#[tokio::test]
async fn paging_while_users_are_added_misses_and_repeats_no_one() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = new_pool_id(&idp).await;
        let mut original = BTreeSet::new();
        for i in 0..20 {
            let name = format!("m{i:02}");
            create_user(&idp, &pool, &name, &[]).await;
            original.insert(name);
        }

        // Between pages, add users that sort before, inside and after the pages seen so far,
        // while a background task adds more at the same time.
        let background = {
            let idp = idp.clone();
            let pool = pool.clone();
            tokio::spawn(async move {
                for i in 0..15 {
                    create_user(&idp, &pool, &format!("bg{i:02}"), &[]).await;
                }
            })
        };
        let mut seen = Vec::new();
        let mut token: Option<String> = None;
        let mut round = 0;
        loop {
            let page = idp
                .list_users()
                .user_pool_id(&pool)
                .limit(3)
                .set_pagination_token(token)
                .send()
                .await
                .expect("ListUsers page");
            seen.extend(
                page.users()
                    .iter()
                    .map(|u| u.username().unwrap().to_owned()),
            );
            token = page.pagination_token().map(str::to_owned);
            if token.is_none() {
                break;
            }
            for name in [
                format!("a{round:02}"),
                format!("m{round:02}x"),
                format!("z{round:02}"),
            ] {
                create_user(&idp, &pool, &name, &[]).await;
            }
            round += 1;
            assert!(round < 200, "pagination does not end");
        }
        background.await.unwrap();

        let unique: BTreeSet<_> = seen.iter().cloned().collect();
        assert_eq!(
            unique.len(),
            seen.len(),
            "a user was listed twice: {seen:?}"
        );
        let missed: Vec<_> = original.difference(&unique).collect();
        assert!(missed.is_empty(), "users missed: {missed:?}");
    })
    .await;
}
