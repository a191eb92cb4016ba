use monban_core::entities::Group;
use monban_core::store::{GroupStore, UserPoolStore, UserStore};

use crate::fixtures::{assert_not_found, conflict_key, group, pool, user};
use crate::harness::each_backend;

fn names(groups: &[Group]) -> Vec<&str> {
    groups.iter().map(|g| g.name.as_str()).collect()
}

#[tokio::test]
async fn group_round_trip_update_and_conflict() {
    each_backend(|store| async move {
        store.insert_user_pool(&pool("p1")).await.unwrap();
        store.insert_user_pool(&pool("p2")).await.unwrap();
        let mut admins = group("p1", "admins");
        store.insert_group(&admins).await.unwrap();
        assert_eq!(
            store.get_group("p1", "admins").await.unwrap(),
            Some(admins.clone())
        );
        assert_eq!(store.get_group("p2", "admins").await.unwrap(), None);

        assert_eq!(
            conflict_key(store.insert_group(&group("p1", "admins")).await),
            "group:admins"
        );
        store.insert_group(&group("p2", "admins")).await.unwrap();

        admins.description = None;
        admins.precedence = None;
        admins.role_arn = None;
        admins.modified_ms += 1;
        store.update_group(&admins).await.unwrap();
        assert_eq!(
            store.get_group("p1", "admins").await.unwrap(),
            Some(admins.clone())
        );
        assert_not_found(store.update_group(&group("p1", "nobody")).await);
        assert_not_found(store.insert_group(&group("missing", "g")).await);

        store.delete_group("p1", "admins").await.unwrap();
        assert_eq!(store.get_group("p1", "admins").await.unwrap(), None);
        assert_not_found(store.delete_group("p1", "admins").await);
        assert!(store.get_group("p2", "admins").await.unwrap().is_some());
    })
    .await;
}

#[tokio::test]
async fn groups_list_by_name() {
    each_backend(|store| async move {
        store.insert_user_pool(&pool("p1")).await.unwrap();
        for name in ["b", "A", "c", "a"] {
            store.insert_group(&group("p1", name)).await.unwrap();
        }
        // Byte order on both engines: upper case first.
        let first = store.list_groups("p1", None, 3).await.unwrap();
        assert_eq!(names(&first), ["A", "a", "b"]);
        assert_eq!(first[0], group("p1", "A"));
        let rest = store.list_groups("p1", Some("b"), 3).await.unwrap();
        assert_eq!(names(&rest), ["c"]);
    })
    .await;
}

#[tokio::test]
async fn memberships_are_idempotent_and_listed_both_ways() {
    each_backend(|store| async move {
        store.insert_user_pool(&pool("p1")).await.unwrap();
        for name in ["g1", "g2", "g3"] {
            store.insert_group(&group("p1", name)).await.unwrap();
        }
        let (alice, bob, carol) = (user("p1", "alice"), user("p1", "bob"), user("p1", "carol"));
        for u in [&alice, &bob, &carol] {
            store.insert_user(u).await.unwrap();
        }
        for (g, u) in [
            ("g1", &alice),
            ("g3", &alice),
            ("g2", &alice),
            ("g1", &carol),
            ("g1", &bob),
        ] {
            store.add_user_to_group("p1", g, &u.sub).await.unwrap();
        }
        store
            .add_user_to_group("p1", "g1", &alice.sub)
            .await
            .unwrap();

        let of_alice = store
            .list_groups_for_user("p1", &alice.sub, None, 2)
            .await
            .unwrap();
        assert_eq!(names(&of_alice), ["g1", "g2"]);
        assert_eq!(of_alice[0], group("p1", "g1"));
        let more = store
            .list_groups_for_user("p1", &alice.sub, Some("g2"), 2)
            .await
            .unwrap();
        assert_eq!(names(&more), ["g3"]);

        let members = store
            .list_users_in_group("p1", "g1", None, 2)
            .await
            .unwrap();
        assert_eq!(members, [alice.clone(), bob.clone()]);
        let more = store
            .list_users_in_group("p1", "g1", Some("bob"), 2)
            .await
            .unwrap();
        assert_eq!(more, std::slice::from_ref(&carol));

        store
            .remove_user_from_group("p1", "g1", &bob.sub)
            .await
            .unwrap();
        store
            .remove_user_from_group("p1", "g1", &bob.sub)
            .await
            .unwrap();
        let members = store
            .list_users_in_group("p1", "g1", None, 10)
            .await
            .unwrap();
        assert_eq!(members, [alice.clone(), carol.clone()]);

        // Deleting a user or a group takes its memberships with it.
        store.delete_user("p1", &carol.sub).await.unwrap();
        let members = store
            .list_users_in_group("p1", "g1", None, 10)
            .await
            .unwrap();
        assert_eq!(members, std::slice::from_ref(&alice));
        store.delete_group("p1", "g2").await.unwrap();
        let of_alice = store
            .list_groups_for_user("p1", &alice.sub, None, 10)
            .await
            .unwrap();
        assert_eq!(names(&of_alice), ["g1", "g3"]);
        store.insert_group(&group("p1", "g2")).await.unwrap();
        assert!(store
            .list_users_in_group("p1", "g2", None, 10)
            .await
            .unwrap()
            .is_empty());
    })
    .await;
}

#[tokio::test]
async fn membership_needs_the_group_and_the_user() {
    each_backend(|store| async move {
        store.insert_user_pool(&pool("p1")).await.unwrap();
        store.insert_group(&group("p1", "g1")).await.unwrap();
        let alice = user("p1", "alice");
        store.insert_user(&alice).await.unwrap();
        assert_not_found(store.add_user_to_group("p1", "nope", &alice.sub).await);
        assert_not_found(store.add_user_to_group("p1", "g1", "no-such-sub").await);
        store
            .remove_user_from_group("p1", "nope", &alice.sub)
            .await
            .unwrap();
    })
    .await;
}

#[tokio::test]
async fn deleting_a_pool_deletes_everything_in_it() {
    use monban_core::store::AppClientStore;
    each_backend(|store| async move {
        for p in ["p1", "p2"] {
            store.insert_user_pool(&pool(p)).await.unwrap();
            store
                .insert_app_client(&crate::fixtures::client(p, &format!("{p}-client")))
                .await
                .unwrap();
            let u = crate::fixtures::user_with_email(p, "alice", "alice@example.com");
            store.insert_user(&u).await.unwrap();
            store.insert_group(&group(p, "g")).await.unwrap();
            store.add_user_to_group(p, "g", &u.sub).await.unwrap();
        }
        let p2_before = store.list_users("p2", None, None, 10).await.unwrap();

        store.delete_user_pool("p1").await.unwrap();
        assert_eq!(store.count_users("p1").await.unwrap(), 0);
        assert_eq!(store.get_app_client("p1-client").await.unwrap(), None);

        // A new pool with the same id starts empty.
        store.insert_user_pool(&pool("p1")).await.unwrap();
        assert!(store
            .list_users("p1", None, None, 10)
            .await
            .unwrap()
            .is_empty());
        assert_eq!(store.get_user_by_key("p1", "u:alice").await.unwrap(), None);
        assert_eq!(
            store
                .get_user_by_key("p1", "email:alice@example.com")
                .await
                .unwrap(),
            None
        );
        assert!(store.list_groups("p1", None, 10).await.unwrap().is_empty());
        assert!(store
            .list_app_clients("p1", None, 10)
            .await
            .unwrap()
            .is_empty());
        store.insert_group(&group("p1", "g")).await.unwrap();
        assert!(store
            .list_users_in_group("p1", "g", None, 10)
            .await
            .unwrap()
            .is_empty());
        store.insert_user(&user("p1", "alice")).await.unwrap();

        // The other pool is untouched.
        assert_eq!(
            store.list_users("p2", None, None, 10).await.unwrap(),
            p2_before
        );
        assert!(store.get_app_client("p2-client").await.unwrap().is_some());
        assert_eq!(
            store
                .list_users_in_group("p2", "g", None, 10)
                .await
                .unwrap(),
            p2_before
        );
    })
    .await;
}
