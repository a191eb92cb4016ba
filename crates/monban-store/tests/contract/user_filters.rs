use monban_core::entities::{FilterAttribute, User, UserFilter};
use monban_core::store::{UserPoolStore, UserStore};
use monban_store::SqlStore;
use monban_wire::idp::UserStatusType;

use crate::fixtures::{pool, user};
use crate::harness::each_backend;

fn with_attributes(username: &str, attributes: &[(&str, &str)]) -> User {
    let mut u = user("p1", username);
    for (name, value) in attributes {
        u.attributes.insert((*name).to_owned(), (*value).to_owned());
    }
    u
}

async fn matching(
    store: &SqlStore,
    attribute: FilterAttribute,
    prefix: bool,
    value: &str,
) -> Vec<String> {
    let filter = UserFilter {
        attribute,
        prefix,
        value: value.to_owned(),
    };
    store
        .list_users("p1", Some(&filter), None, 100)
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.username)
        .collect()
}

#[tokio::test]
async fn every_filter_attribute_with_equals_and_prefix() {
    each_backend(|store| async move {
        store.insert_user_pool(&pool("p1")).await.unwrap();
        let alice = with_attributes(
            "alice",
            &[
                ("email", "alice@example.com"),
                ("phone_number", "+15550001"),
                ("name", "Alice Liddell"),
                ("given_name", "Alice"),
                ("family_name", "Liddell"),
                ("preferred_username", "ally"),
            ],
        );
        let mut alfred = with_attributes(
            "alfred",
            &[
                ("email", "alfred@example.org"),
                ("phone_number", "+15550002"),
                ("name", "Alfred Pennyworth"),
                ("given_name", "Alfred"),
                ("family_name", "Pennyworth"),
                ("preferred_username", "alf"),
            ],
        );
        alfred.status = UserStatusType::ForceChangePassword;
        alfred.enabled = false;
        // `%` and `_` are plain characters to a filter, not LIKE wildcards.
        let mut weird = with_attributes(
            "weird",
            &[
                ("email", "a%b_c@example.com"),
                ("phone_number", "+4420_%"),
                ("name", "A%B_C"),
                ("given_name", "a_b"),
                ("family_name", "100%"),
                ("preferred_username", "x%y"),
            ],
        );
        weird.status = UserStatusType::Unconfirmed;
        let abby = with_attributes("abby", &[("email", "abc@example.com")]);
        // Other pools' users never show.
        store.insert_user_pool(&pool("p2")).await.unwrap();
        let mut stranger = with_attributes("alice", &[("email", "alice@example.com")]);
        stranger.pool_id = "p2".to_owned();
        for u in [&alice, &alfred, &weird, &abby, &stranger] {
            store.insert_user(u).await.unwrap();
        }

        use FilterAttribute::*;
        let cases: &[(FilterAttribute, bool, &str, &[&str])] = &[
            (Username, false, "alice", &["alice"]),
            (Username, false, "ALICE", &[]),
            (Username, true, "al", &["alfred", "alice"]),
            (Username, true, "a%", &[]),
            (Username, true, "", &["abby", "alfred", "alice", "weird"]),
            (Email, false, "alice@example.com", &["alice"]),
            (Email, false, "alice@example", &[]),
            (Email, true, "al", &["alfred", "alice"]),
            (Email, true, "a%", &["weird"]),
            (Email, true, "a%b_", &["weird"]),
            (Email, true, "ALICE", &[]),
            (PhoneNumber, false, "+15550002", &["alfred"]),
            (PhoneNumber, true, "+1555", &["alfred", "alice"]),
            (PhoneNumber, true, "+4420_", &["weird"]),
            (PhoneNumber, true, "+44205", &[]),
            (Name, false, "Alice Liddell", &["alice"]),
            (Name, true, "Al", &["alfred", "alice"]),
            (Name, true, "A%", &["weird"]),
            (GivenName, false, "Alfred", &["alfred"]),
            (GivenName, true, "a_", &["weird"]),
            (GivenName, true, "A", &["alfred", "alice"]),
            (FamilyName, false, "100%", &["weird"]),
            (FamilyName, false, "100", &[]),
            (FamilyName, true, "Pen", &["alfred"]),
            (FamilyName, true, "1%", &[]),
            (PreferredUsername, false, "ally", &["alice"]),
            (PreferredUsername, true, "al", &["alfred", "alice"]),
            (PreferredUsername, true, "x%", &["weird"]),
            (PreferredUsername, true, "x_", &[]),
            (UserStatus, false, "CONFIRMED", &["abby", "alice"]),
            (UserStatus, false, "FORCE_CHANGE_PASSWORD", &["alfred"]),
            (UserStatus, true, "FORCE", &["alfred"]),
            (UserStatus, true, "UN", &["weird"]),
            (UserStatus, true, "%", &[]),
            (Status, false, "Enabled", &["abby", "alice", "weird"]),
            (Status, false, "Disabled", &["alfred"]),
            (Status, false, "enabled", &[]),
            (Status, true, "Dis", &["alfred"]),
            (Status, true, "En", &["abby", "alice", "weird"]),
        ];
        for (attribute, prefix, value, expected) in cases {
            let got = matching(&store, *attribute, *prefix, value).await;
            let op = if *prefix { "^=" } else { "=" };
            assert_eq!(got, *expected, "{attribute:?} {op} {value:?}");
        }

        let sub_prefix = &alice.sub[..13];
        assert_eq!(matching(&store, Sub, false, &alice.sub).await, ["alice"]);
        assert_eq!(matching(&store, Sub, true, sub_prefix).await, ["alice"]);
        assert!(matching(&store, Sub, false, sub_prefix).await.is_empty());
    })
    .await;
}

#[tokio::test]
async fn a_filtered_list_pages_too() {
    each_backend(|store| async move {
        store.insert_user_pool(&pool("p1")).await.unwrap();
        for name in ["a", "b", "c", "d", "e"] {
            let mut u = user("p1", name);
            u.enabled = name != "c";
            store.insert_user(&u).await.unwrap();
        }
        let enabled = UserFilter {
            attribute: FilterAttribute::Status,
            prefix: false,
            value: "Enabled".to_owned(),
        };
        let names = |users: Vec<User>| users.into_iter().map(|u| u.username).collect::<Vec<_>>();
        let first = store
            .list_users("p1", Some(&enabled), None, 2)
            .await
            .unwrap();
        assert_eq!(names(first), ["a", "b"]);
        let second = store
            .list_users("p1", Some(&enabled), Some("b"), 2)
            .await
            .unwrap();
        assert_eq!(names(second), ["d", "e"]);
        let rest = store
            .list_users("p1", Some(&enabled), Some("e"), 2)
            .await
            .unwrap();
        assert!(rest.is_empty());
    })
    .await;
}

/// The prefix test is by characters, whatever the engine's collation would say: names
/// that sort far apart linguistically, and characters at the top of Unicode.
#[tokio::test]
async fn a_prefix_matches_by_characters_and_pages() {
    each_backend(|store| async move {
        store.insert_user_pool(&pool("p1")).await.unwrap();
        let names = [
            "ab",
            "ab-c",
            "abc",
            "ab\u{10FFFF}",
            "ab\u{10FFFF}z",
            "ac",
            "a-b",
            "é",
            "éa",
            "f",
        ];
        for name in names {
            store.insert_user(&user("p1", name)).await.unwrap();
        }
        let mut ab = matching(&store, FilterAttribute::Username, true, "ab").await;
        ab.sort();
        let mut expected = vec!["ab", "ab-c", "abc", "ab\u{10FFFF}", "ab\u{10FFFF}z"];
        expected.sort_unstable();
        assert_eq!(ab, expected);
        let mut top = matching(&store, FilterAttribute::Username, true, "ab\u{10FFFF}").await;
        top.sort();
        assert_eq!(top, ["ab\u{10FFFF}", "ab\u{10FFFF}z"]);
        let mut accented = matching(&store, FilterAttribute::Username, true, "é").await;
        accented.sort();
        assert_eq!(accented, ["é", "éa"]);
        // Paging inside a prefix.
        let filter = UserFilter {
            attribute: FilterAttribute::Username,
            prefix: true,
            value: "ab".to_owned(),
        };
        let first = store
            .list_users("p1", Some(&filter), None, 2)
            .await
            .unwrap();
        assert_eq!(first.len(), 2);
        let after = first[1].username.clone();
        let rest = store
            .list_users("p1", Some(&filter), Some(&after), 10)
            .await
            .unwrap();
        assert_eq!(rest.len(), 3, "{rest:?}");
    })
    .await;
}
