use std::collections::BTreeMap;

use monban_core::entities::{Identity, IdentityLogin, IdentityPool, PrincipalTagMap};
use monban_core::store::{IdentityPoolStore, IdentityStore, StoreError};
use monban_core::wire::identity::{
    AmbiguousRoleResolutionType, CognitoIdentityProvider, IdentityPool as IdentityPoolConfig,
    RoleMapping, RoleMappingType,
};

use crate::fixtures::{assert_not_found, assert_version_mismatch, conflict_key};
use crate::harness::each_backend;

fn identity_pool(id: &str) -> IdentityPool {
    let mut pool = IdentityPool {
        id: id.to_owned(),
        name: format!("name of {id}"),
        created_ms: 1_700_000_000_000,
        modified_ms: 1_700_000_000_000,
        version: 1,
        config: IdentityPoolConfig {
            identity_pool_id: id.to_owned(),
            identity_pool_name: format!("name of {id}"),
            allow_unauthenticated_identities: true,
            cognito_identity_providers: Some(vec![CognitoIdentityProvider {
                client_id: Some("client1".to_owned()),
                provider_name: Some("127.0.0.1:9876/us-east-1_AbC".to_owned()),
                server_side_token_check: Some(true),
            }]),
            developer_provider_name: Some("login.example".to_owned()),
            identity_pool_tags: Some(BTreeMap::from([("team".to_owned(), "a".to_owned())])),
            ..IdentityPoolConfig::default()
        },
        data: Default::default(),
    };
    pool.data.roles.insert(
        "authenticated".to_owned(),
        "arn:aws:iam::1:role/auth".to_owned(),
    );
    pool.data.role_mappings.insert(
        "127.0.0.1:9876/us-east-1_AbC:client1".to_owned(),
        RoleMapping {
            r#type: RoleMappingType::Token,
            ambiguous_role_resolution: Some(AmbiguousRoleResolutionType::Deny),
            rules_configuration: None,
        },
    );
    pool.data.principal_tags.insert(
        "login.example".to_owned(),
        PrincipalTagMap {
            principal_tags: Some(BTreeMap::from([(
                "dept".to_owned(),
                "custom:dept".to_owned(),
            )])),
            use_defaults: Some(false),
        },
    );
    pool
}

fn identity(pool_id: &str, id: &str, logins: &[(&str, &str)]) -> Identity {
    let mut logins: Vec<IdentityLogin> = logins
        .iter()
        .map(|(p, s)| IdentityLogin::new(*p, *s))
        .collect();
    logins.sort();
    Identity {
        identity_id: id.to_owned(),
        pool_id: pool_id.to_owned(),
        created_ms: 1_700_000_001_000,
        modified_ms: 1_700_000_001_000,
        disabled: false,
        logins,
    }
}

const POOL: &str = "us-east-1:00000000-0000-4000-8000-000000000001";

fn id(n: u32) -> String {
    format!("us-east-1:00000000-0000-4000-8000-{n:012}")
}

#[tokio::test]
async fn identity_pool_round_trip_and_versioned_update() {
    each_backend(|store| async move {
        let mut p = identity_pool(POOL);
        store.insert_identity_pool(&p).await.unwrap();
        assert_eq!(
            store.get_identity_pool(POOL).await.unwrap(),
            Some(p.clone())
        );
        assert_eq!(store.get_identity_pool(&id(99)).await.unwrap(), None);
        assert_eq!(
            conflict_key(store.insert_identity_pool(&p).await),
            format!("identity_pool:{POOL}")
        );

        p.name = "renamed".to_owned();
        p.config.identity_pool_name = "renamed".to_owned();
        p.config.allow_classic_flow = Some(true);
        p.data.roles.clear();
        p.modified_ms += 1000;
        store.update_identity_pool(&p).await.unwrap();
        let stored = store.get_identity_pool(POOL).await.unwrap().unwrap();
        assert_eq!(
            stored,
            IdentityPool {
                version: p.version + 1,
                ..p.clone()
            }
        );
        // `p` holds the old version: a second writer from the same read loses.
        assert_version_mismatch(store.update_identity_pool(&p).await);

        store.delete_identity_pool(POOL).await.unwrap();
        assert_eq!(store.get_identity_pool(POOL).await.unwrap(), None);
        assert_not_found(store.delete_identity_pool(POOL).await);
        assert_not_found(store.update_identity_pool(&stored).await);
    })
    .await;
}

#[tokio::test]
async fn identity_pools_list_in_id_order_across_pages() {
    each_backend(|store| async move {
        for n in [3, 1, 5, 2, 4] {
            store
                .insert_identity_pool(&identity_pool(&id(n)))
                .await
                .unwrap();
        }
        let first = store.list_identity_pools(None, 2).await.unwrap();
        let ids: Vec<&str> = first.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, [id(1), id(2)]);
        let rest = store.list_identity_pools(Some(&id(2)), 10).await.unwrap();
        let ids: Vec<&str> = rest.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, [id(3), id(4), id(5)]);
    })
    .await;
}

#[tokio::test]
async fn identities_with_logins_round_trip_and_find_by_login() {
    each_backend(|store| async move {
        store
            .insert_identity_pool(&identity_pool(POOL))
            .await
            .unwrap();
        let guest = identity(POOL, &id(10), &[]);
        let alice = identity(POOL, &id(11), &[("idp", "alice"), ("login.example", "u1")]);
        store.insert_identity(&guest).await.unwrap();
        store.insert_identity(&alice).await.unwrap();
        assert_eq!(
            store.get_identity(&id(10)).await.unwrap(),
            Some(guest.clone())
        );
        assert_eq!(
            store.get_identity(&id(11)).await.unwrap(),
            Some(alice.clone())
        );
        assert_eq!(store.get_identity(&id(12)).await.unwrap(), None);
        assert!(guest.is_guest());
        assert_eq!(alice.provider_names(), ["idp", "login.example"]);

        assert_eq!(
            store
                .find_identity_by_login(POOL, "idp", "alice")
                .await
                .unwrap(),
            Some(alice.clone())
        );
        assert_eq!(
            store
                .find_identity_by_login(POOL, "idp", "bob")
                .await
                .unwrap(),
            None
        );
        assert_eq!(
            store
                .find_identity_by_login(&id(98), "idp", "alice")
                .await
                .unwrap(),
            None
        );

        // A login belongs to one identity of the pool.
        let twin = identity(POOL, &id(12), &[("idp", "alice")]);
        assert_eq!(
            conflict_key(store.insert_identity(&twin).await),
            "login:idp:alice"
        );
        assert_eq!(
            store.get_identity(&id(12)).await.unwrap(),
            None,
            "nothing half-written"
        );
        // ... but the same subject of another provider is another login.
        store
            .insert_identity(&identity(POOL, &id(12), &[("other", "alice")]))
            .await
            .unwrap();
        // An identity of a pool that does not exist.
        assert_not_found(
            store
                .insert_identity(&identity(&id(97), &id(13), &[]))
                .await,
        );
    })
    .await;
}

#[tokio::test]
async fn linking_merges_and_refuses_logins_of_others() {
    each_backend(|store| async move {
        store
            .insert_identity_pool(&identity_pool(POOL))
            .await
            .unwrap();
        store
            .insert_identity(&identity(POOL, &id(1), &[]))
            .await
            .unwrap();
        store
            .insert_identity(&identity(POOL, &id(2), &[("dev", "u2"), ("idp", "bob")]))
            .await
            .unwrap();
        store
            .insert_identity(&identity(POOL, &id(3), &[("idp", "carol")]))
            .await
            .unwrap();

        // A guest links a login: it becomes authenticated.
        let linked = store
            .link_identity_logins(
                &id(1),
                &[IdentityLogin::new("idp", "alice")],
                &[],
                1_800_000_000_000,
            )
            .await
            .unwrap();
        assert_eq!(linked.logins, [IdentityLogin::new("idp", "alice")]);
        assert_eq!(linked.modified_ms, 1_800_000_000_000);
        assert_eq!(linked.created_ms, 1_700_000_001_000);
        // Linking what it has already is harmless.
        store
            .link_identity_logins(
                &id(1),
                &[IdentityLogin::new("idp", "alice")],
                &[],
                1_800_000_000_001,
            )
            .await
            .unwrap();

        // A login of another identity is a conflict, and nothing changes.
        let taken = store
            .link_identity_logins(
                &id(1),
                &[
                    IdentityLogin::new("dev", "new"),
                    IdentityLogin::new("idp", "bob"),
                ],
                &[],
                1_800_000_000_002,
            )
            .await;
        assert!(
            matches!(&taken, Err(StoreError::Conflict { key }) if key == "login:idp:bob"),
            "{taken:?}"
        );
        assert_eq!(
            store
                .find_identity_by_login(POOL, "dev", "new")
                .await
                .unwrap(),
            None
        );

        // Merging moves the other identity's logins and deletes it.
        let merged = store
            .link_identity_logins(
                &id(1),
                &[IdentityLogin::new("dev", "u1")],
                &[id(2)],
                1_800_000_000_003,
            )
            .await
            .unwrap();
        assert_eq!(
            merged.logins,
            [
                IdentityLogin::new("dev", "u1"),
                IdentityLogin::new("dev", "u2"),
                IdentityLogin::new("idp", "alice"),
                IdentityLogin::new("idp", "bob"),
            ]
        );
        assert_eq!(store.get_identity(&id(2)).await.unwrap(), None);
        assert_eq!(
            store
                .find_identity_by_login(POOL, "idp", "bob")
                .await
                .unwrap()
                .unwrap()
                .identity_id,
            id(1)
        );
        assert_eq!(
            store
                .get_identity(&id(3))
                .await
                .unwrap()
                .unwrap()
                .logins
                .len(),
            1
        );

        assert_not_found(
            store
                .link_identity_logins(&id(9), &[IdentityLogin::new("idp", "x")], &[], 0)
                .await,
        );
    })
    .await;
}

#[tokio::test]
async fn unlinking_the_last_login_disables_the_identity() {
    each_backend(|store| async move {
        store
            .insert_identity_pool(&identity_pool(POOL))
            .await
            .unwrap();
        store
            .insert_identity(&identity(POOL, &id(1), &[("a", "1"), ("b", "2")]))
            .await
            .unwrap();
        store
            .insert_identity(&identity(POOL, &id(2), &[]))
            .await
            .unwrap();

        let one_left = store
            .unlink_identity_logins(&id(1), &[IdentityLogin::new("a", "1")], 1_800_000_000_000)
            .await
            .unwrap();
        assert_eq!(one_left.logins, [IdentityLogin::new("b", "2")]);
        assert!(!one_left.disabled);
        assert_eq!(one_left.modified_ms, 1_800_000_000_000);
        // Someone else's login is not unlinked through this identity.
        let unchanged = store
            .unlink_identity_logins(&id(2), &[IdentityLogin::new("b", "2")], 1_800_000_000_001)
            .await
            .unwrap();
        assert!(unchanged.is_guest(), "a guest stays a guest: {unchanged:?}");
        let none_left = store
            .unlink_identity_logins(&id(1), &[IdentityLogin::new("b", "2")], 1_800_000_000_002)
            .await
            .unwrap();
        assert!(none_left.logins.is_empty());
        assert!(none_left.disabled);
        assert!(!none_left.is_guest());
        // The login is free again.
        assert_eq!(
            store.find_identity_by_login(POOL, "b", "2").await.unwrap(),
            None
        );
        // Linking a login again enables it.
        let again = store
            .link_identity_logins(
                &id(1),
                &[IdentityLogin::new("b", "2")],
                &[],
                1_800_000_000_003,
            )
            .await
            .unwrap();
        assert!(!again.disabled);

        assert_not_found(store.unlink_identity_logins(&id(9), &[], 0).await);
    })
    .await;
}

#[tokio::test]
async fn identities_list_by_page_hide_disabled_and_go_with_their_pool() {
    each_backend(|store| async move {
        store
            .insert_identity_pool(&identity_pool(POOL))
            .await
            .unwrap();
        let other_pool = id(500);
        store
            .insert_identity_pool(&identity_pool(&other_pool))
            .await
            .unwrap();
        let u1 = [("idp", "u1")];
        let u2 = [("idp", "u2"), ("x", "y")];
        let u3 = [("idp", "u3")];
        let logins: [(u32, &[(&str, &str)]); 4] = [(4, &[]), (1, &u1), (3, &u3), (2, &u2)];
        for (n, logins) in logins {
            store
                .insert_identity(&identity(POOL, &id(n), logins))
                .await
                .unwrap();
        }
        store
            .insert_identity(&identity(&other_pool, &id(5), &[]))
            .await
            .unwrap();
        store
            .unlink_identity_logins(&id(3), &[IdentityLogin::new("idp", "u3")], 1)
            .await
            .unwrap();

        let page = store.list_identities(POOL, false, None, 2).await.unwrap();
        let ids: Vec<&str> = page.iter().map(|i| i.identity_id.as_str()).collect();
        assert_eq!(ids, [id(1), id(2)]);
        assert_eq!(
            page[1].logins.len(),
            2,
            "every login of an identity, whatever the page size"
        );
        let rest = store
            .list_identities(POOL, false, Some(&id(2)), 10)
            .await
            .unwrap();
        let ids: Vec<&str> = rest.iter().map(|i| i.identity_id.as_str()).collect();
        assert_eq!(ids, [id(3), id(4)]);
        assert!(rest[0].disabled);
        assert!(rest[1].is_guest());
        let shown = store.list_identities(POOL, true, None, 10).await.unwrap();
        let ids: Vec<&str> = shown.iter().map(|i| i.identity_id.as_str()).collect();
        assert_eq!(ids, [id(1), id(2), id(4)]);

        assert_eq!(
            store
                .delete_identities(&[id(1), id(77), id(4)])
                .await
                .unwrap(),
            2
        );
        assert_eq!(store.get_identity(&id(1)).await.unwrap(), None);
        assert_eq!(
            store
                .find_identity_by_login(POOL, "idp", "u1")
                .await
                .unwrap(),
            None
        );

        store.delete_identity_pool(POOL).await.unwrap();
        assert_eq!(store.get_identity(&id(2)).await.unwrap(), None);
        assert_eq!(
            store.find_identity_by_login(POOL, "x", "y").await.unwrap(),
            None
        );
        assert!(store.get_identity(&id(5)).await.unwrap().is_some());
    })
    .await;
}
