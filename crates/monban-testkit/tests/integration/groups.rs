//! CreateGroup, GetGroup, UpdateGroup, DeleteGroup, ListGroups, AdminAddUserToGroup,
//! AdminRemoveUserFromGroup, AdminListGroupsForUser, ListUsersInGroup.

use std::collections::BTreeSet;
use std::time::Duration;

use monban_testkit::idp::types::GroupType;
use monban_testkit::idp::Client;
use monban_testkit::{each_backend, expect_code, service_error};

use super::support::{create_user, new_pool_id, secs, MISSING_POOL};

const ROLE: &str = "arn:aws:iam::123456789012:role/admins";

async fn get_group(idp: &Client, pool: &str, name: &str) -> GroupType {
    idp.get_group()
        .user_pool_id(pool)
        .group_name(name)
        .send()
        .await
        .unwrap_or_else(|e| panic!("GetGroup {name}: {e:?}"))
        .group
        .expect("GetGroup returns the group")
}

async fn add(idp: &Client, pool: &str, user: &str, group: &str) {
    idp.admin_add_user_to_group()
        .user_pool_id(pool)
        .username(user)
        .group_name(group)
        .send()
        .await
        .unwrap_or_else(|e| panic!("AdminAddUserToGroup {user} {group}: {e:?}"));
}

async fn groups_of(idp: &Client, pool: &str, user: &str, limit: i32) -> Vec<String> {
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    for _ in 0..100 {
        let page = idp
            .admin_list_groups_for_user()
            .user_pool_id(pool)
            .username(user)
            .limit(limit)
            .set_next_token(token)
            .send()
            .await
            .expect("AdminListGroupsForUser");
        assert!(page.groups().len() <= usize::try_from(limit).unwrap());
        out.extend(
            page.groups()
                .iter()
                .map(|g| g.group_name().unwrap().to_owned()),
        );
        token = page.next_token().map(str::to_owned);
        if token.is_none() {
            return out;
        }
    }
    panic!("pagination does not end");
}

async fn members_of(idp: &Client, pool: &str, group: &str, limit: i32) -> Vec<String> {
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    for _ in 0..100 {
        let page = idp
            .list_users_in_group()
            .user_pool_id(pool)
            .group_name(group)
            .limit(limit)
            .set_next_token(token)
            .send()
            .await
            .expect("ListUsersInGroup");
        assert!(page.users().len() <= usize::try_from(limit).unwrap());
        out.extend(
            page.users()
                .iter()
                .map(|u| u.username().unwrap().to_owned()),
        );
        token = page.next_token().map(str::to_owned);
        if token.is_none() {
            return out;
        }
    }
    panic!("pagination does not end");
}

#[tokio::test]
async fn create_get_update_delete_group() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = new_pool_id(&idp).await;
        let created = idp
            .create_group()
            .user_pool_id(&pool)
            .group_name("admins")
            .description("Administrators")
            .precedence(3)
            .role_arn(ROLE)
            .send()
            .await
            .expect("CreateGroup")
            .group
            .unwrap();
        assert_eq!(created.group_name(), Some("admins"));
        assert_eq!(created.user_pool_id(), Some(pool.as_str()));
        assert_eq!(created.description(), Some("Administrators"));
        assert_eq!(created.precedence(), Some(3));
        assert_eq!(created.role_arn(), Some(ROLE));
        assert!(created.creation_date().is_some());

        let got = get_group(&idp, &pool, "admins").await;
        assert_eq!(got, created);

        let err = expect_code(
            idp.create_group()
                .user_pool_id(&pool)
                .group_name("admins")
                .send()
                .await,
            "GroupExistsException",
        );
        assert!(err.message.contains("admins"), "{err:?}");

        app.clock().advance(Duration::from_secs(90));
        let updated = idp
            .update_group()
            .user_pool_id(&pool)
            .group_name("admins")
            .description("Site administrators")
            .precedence(1)
            .role_arn("arn:aws:iam::123456789012:role/site-admins")
            .send()
            .await
            .expect("UpdateGroup")
            .group
            .unwrap();
        assert_eq!(updated.description(), Some("Site administrators"));
        let got = get_group(&idp, &pool, "admins").await;
        assert_eq!(got.description(), Some("Site administrators"));
        assert_eq!(got.precedence(), Some(1));
        assert_eq!(
            got.role_arn(),
            Some("arn:aws:iam::123456789012:role/site-admins")
        );
        assert_eq!(got.creation_date(), created.creation_date());
        assert!(secs(got.last_modified_date()) >= secs(created.last_modified_date()) + 80.0);

        idp.delete_group()
            .user_pool_id(&pool)
            .group_name("admins")
            .send()
            .await
            .expect("DeleteGroup");
        expect_code(
            idp.get_group()
                .user_pool_id(&pool)
                .group_name("admins")
                .send()
                .await,
            "ResourceNotFoundException",
        );
        expect_code(
            idp.delete_group()
                .user_pool_id(&pool)
                .group_name("admins")
                .send()
                .await,
            "ResourceNotFoundException",
        );
        expect_code(
            idp.update_group()
                .user_pool_id(&pool)
                .group_name("admins")
                .description("x")
                .send()
                .await,
            "ResourceNotFoundException",
        );
        // The name can be used again.
        idp.create_group()
            .user_pool_id(&pool)
            .group_name("admins")
            .send()
            .await
            .unwrap();
    })
    .await;
}

#[tokio::test]
async fn group_without_optional_settings() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = new_pool_id(&idp).await;
        let group = idp
            .create_group()
            .user_pool_id(&pool)
            .group_name("plain")
            .send()
            .await
            .unwrap()
            .group
            .unwrap();
        assert_eq!(group.description(), None);
        assert_eq!(group.precedence(), None);
        assert_eq!(group.role_arn(), None);
        // The same name in another pool is another group.
        let other = new_pool_id(&idp).await;
        idp.create_group()
            .user_pool_id(&other)
            .group_name("plain")
            .send()
            .await
            .expect("same name, other pool");
    })
    .await;
}

#[tokio::test]
async fn group_validation() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = new_pool_id(&idp).await;
        service_error(
            idp.create_group()
                .user_pool_id(&pool)
                .group_name("has space")
                .send()
                .await,
        )
        .assert_code("InvalidParameterException")
        .assert_message_contains("groupName");
        service_error(
            idp.create_group()
                .user_pool_id(&pool)
                .group_name("negative")
                .precedence(-1)
                .send()
                .await,
        )
        .assert_code("InvalidParameterException")
        .assert_message_contains("precedence");
        service_error(
            idp.create_group()
                .user_pool_id(&pool)
                .group_name("bad-role")
                .role_arn("not-an-arn")
                .send()
                .await,
        )
        .assert_code("InvalidParameterException")
        .assert_message_contains("roleArn");
        service_error(
            idp.create_group()
                .user_pool_id(&pool)
                .group_name("long")
                .description("d".repeat(2049))
                .send()
                .await,
        )
        .assert_code("InvalidParameterException")
        .assert_message_contains("description");
        expect_code(
            idp.create_group()
                .user_pool_id(MISSING_POOL)
                .group_name("g")
                .send()
                .await,
            "ResourceNotFoundException",
        );
    })
    .await;
}

#[tokio::test]
async fn list_groups_paginates() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = new_pool_id(&idp).await;
        let names: BTreeSet<String> = (0..5).map(|i| format!("group-{i}")).collect();
        for (i, name) in names.iter().enumerate() {
            idp.create_group()
                .user_pool_id(&pool)
                .group_name(name)
                .precedence(i32::try_from(i).unwrap())
                .send()
                .await
                .unwrap();
        }
        let mut seen = Vec::new();
        let mut token: Option<String> = None;
        let mut pages = 0;
        loop {
            let page = idp
                .list_groups()
                .user_pool_id(&pool)
                .limit(2)
                .set_next_token(token)
                .send()
                .await
                .expect("ListGroups");
            pages += 1;
            assert!(page.groups().len() <= 2);
            for g in page.groups() {
                assert_eq!(g.user_pool_id(), Some(pool.as_str()));
                assert!(g.precedence().is_some());
                seen.push(g.group_name().unwrap().to_owned());
            }
            token = page.next_token().map(str::to_owned);
            if token.is_none() {
                break;
            }
            assert!(pages < 100);
        }
        assert!(pages >= 3, "{pages} pages");
        assert_eq!(seen.len(), 5, "{seen:?}");
        assert_eq!(seen.into_iter().collect::<BTreeSet<_>>(), names);
        expect_code(
            idp.list_groups().user_pool_id(&pool).limit(61).send().await,
            "InvalidParameterException",
        );
    })
    .await;
}

#[tokio::test]
async fn membership() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = new_pool_id(&idp).await;
        for g in ["g1", "g2", "g3", "g4", "g5"] {
            idp.create_group()
                .user_pool_id(&pool)
                .group_name(g)
                .send()
                .await
                .unwrap();
        }
        for u in ["u1", "u2", "u3", "u4", "u5"] {
            create_user(&idp, &pool, u, &[("email", &format!("{u}@example.com"))]).await;
            add(&idp, &pool, u, "g1").await;
        }
        for g in ["g2", "g3", "g4", "g5"] {
            add(&idp, &pool, "u1", g).await;
        }
        // Adding twice is harmless.
        add(&idp, &pool, "u1", "g1").await;

        let mut groups = groups_of(&idp, &pool, "u1", 2).await;
        groups.sort();
        assert_eq!(groups, ["g1", "g2", "g3", "g4", "g5"]);
        let mut members = members_of(&idp, &pool, "g1", 2).await;
        members.sort();
        assert_eq!(members, ["u1", "u2", "u3", "u4", "u5"]);
        assert_eq!(members_of(&idp, &pool, "g2", 60).await, ["u1"]);

        // Listed members carry their attributes and status.
        let page = idp
            .list_users_in_group()
            .user_pool_id(&pool)
            .group_name("g2")
            .send()
            .await
            .unwrap();
        let u1 = &page.users()[0];
        assert!(u1.attributes().iter().any(|a| a.name() == "email"));
        assert!(u1.user_status().is_some());
        // Listed groups carry their details.
        let page = idp
            .admin_list_groups_for_user()
            .user_pool_id(&pool)
            .username("u2")
            .send()
            .await
            .unwrap();
        assert_eq!(page.groups().len(), 1);
        assert_eq!(page.groups()[0].group_name(), Some("g1"));
        assert_eq!(page.groups()[0].user_pool_id(), Some(pool.as_str()));

        idp.admin_remove_user_from_group()
            .user_pool_id(&pool)
            .username("u1")
            .group_name("g3")
            .send()
            .await
            .expect("AdminRemoveUserFromGroup");
        let mut groups = groups_of(&idp, &pool, "u1", 60).await;
        groups.sort();
        assert_eq!(groups, ["g1", "g2", "g4", "g5"]);

        // Deleting a group removes its memberships; deleting a user removes theirs.
        idp.delete_group()
            .user_pool_id(&pool)
            .group_name("g4")
            .send()
            .await
            .unwrap();
        let mut groups = groups_of(&idp, &pool, "u1", 60).await;
        groups.sort();
        assert_eq!(groups, ["g1", "g2", "g5"]);
        idp.admin_delete_user()
            .user_pool_id(&pool)
            .username("u2")
            .send()
            .await
            .unwrap();
        let mut members = members_of(&idp, &pool, "g1", 60).await;
        members.sort();
        assert_eq!(members, ["u1", "u3", "u4", "u5"]);

        // A user re-created under a deleted user's name is not in the old groups.
        create_user(&idp, &pool, "u2", &[]).await;
        assert!(groups_of(&idp, &pool, "u2", 60).await.is_empty());
    })
    .await;
}

#[tokio::test]
async fn membership_with_unknown_user_or_group() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = new_pool_id(&idp).await;
        idp.create_group()
            .user_pool_id(&pool)
            .group_name("g")
            .send()
            .await
            .unwrap();
        create_user(&idp, &pool, "u", &[]).await;

        expect_code(
            idp.admin_add_user_to_group()
                .user_pool_id(&pool)
                .username("nobody")
                .group_name("g")
                .send()
                .await,
            "UserNotFoundException",
        );
        expect_code(
            idp.admin_add_user_to_group()
                .user_pool_id(&pool)
                .username("u")
                .group_name("nogroup")
                .send()
                .await,
            "ResourceNotFoundException",
        );
        expect_code(
            idp.admin_remove_user_from_group()
                .user_pool_id(&pool)
                .username("nobody")
                .group_name("g")
                .send()
                .await,
            "UserNotFoundException",
        );
        expect_code(
            idp.admin_remove_user_from_group()
                .user_pool_id(&pool)
                .username("u")
                .group_name("nogroup")
                .send()
                .await,
            "ResourceNotFoundException",
        );
        expect_code(
            idp.admin_list_groups_for_user()
                .user_pool_id(&pool)
                .username("nobody")
                .send()
                .await,
            "UserNotFoundException",
        );
        expect_code(
            idp.list_users_in_group()
                .user_pool_id(&pool)
                .group_name("nogroup")
                .send()
                .await,
            "ResourceNotFoundException",
        );
        expect_code(
            idp.get_group()
                .user_pool_id(&pool)
                .group_name("nogroup")
                .send()
                .await,
            "ResourceNotFoundException",
        );
        expect_code(
            idp.list_groups().user_pool_id(MISSING_POOL).send().await,
            "ResourceNotFoundException",
        );
    })
    .await;
}
