use std::collections::BTreeMap;

use monban_core::entities::{Device, SrpCredential};
use monban_core::store::{DeviceStore, UserPoolStore, UserStore};
use monban_wire::idp::DeviceRememberedStatusType;

use crate::fixtures::{assert_not_found, conflict_key, pool, user};
use crate::harness::each_backend;

/// A device as a sign-in hands it out: unconfirmed, not remembered.
fn device(sub: &str, key: &str, created_ms: i64) -> Device {
    Device {
        pool_id: "p1".to_owned(),
        sub: sub.to_owned(),
        device_key: format!("us-east-1_{key}"),
        device_group_key: "-AbCd1234".to_owned(),
        verifier: None,
        name: None,
        attributes: BTreeMap::from([("dev:device_sdk".to_owned(), "test".to_owned())]),
        status: DeviceRememberedStatusType::NotRemembered,
        created_ms,
        modified_ms: created_ms,
        last_authenticated_ms: created_ms,
    }
}

/// What ConfirmDevice makes of `d`.
fn confirmed(d: &Device, at_ms: i64) -> Device {
    Device {
        verifier: Some(SrpCredential {
            salt: "0a1b2c".to_owned(),
            verifier: "00ff".repeat(8),
        }),
        name: Some("Firefox on Linux".to_owned()),
        status: DeviceRememberedStatusType::Remembered,
        modified_ms: at_ms,
        ..d.clone()
    }
}

#[tokio::test]
async fn a_device_is_handed_out_then_confirmed_once() {
    each_backend(|store| async move {
        store.insert_user_pool(&pool("p1")).await.unwrap();
        let alice = user("p1", "alice");
        store.insert_user(&alice).await.unwrap();

        let d = device(&alice.sub, "a1", 1_000);
        store.insert_device(&d, 10).await.unwrap();
        assert_eq!(
            store
                .get_device("p1", &alice.sub, &d.device_key)
                .await
                .unwrap(),
            Some(d.clone())
        );
        // Another user's or another pool's lookups do not see it.
        assert_eq!(
            store
                .get_device("p1", "other-sub", &d.device_key)
                .await
                .unwrap(),
            None
        );
        assert_eq!(
            store
                .get_device("p2", &alice.sub, &d.device_key)
                .await
                .unwrap(),
            None
        );
        assert_eq!(
            store.get_device_group_key("p1", &alice.sub).await.unwrap(),
            Some("-AbCd1234".to_owned())
        );
        assert_eq!(
            store.get_device_group_key("p1", "other-sub").await.unwrap(),
            None
        );
        // Unconfirmed devices are not listed.
        assert!(store
            .list_devices("p1", &alice.sub, None, 10)
            .await
            .unwrap()
            .is_empty());

        let c = confirmed(&d, 2_000);
        store.confirm_device(&c).await.unwrap();
        assert_eq!(
            store
                .get_device("p1", &alice.sub, &d.device_key)
                .await
                .unwrap(),
            Some(c.clone())
        );
        assert_eq!(
            store
                .list_devices("p1", &alice.sub, None, 10)
                .await
                .unwrap(),
            vec![c.clone()]
        );

        // A second confirmation is refused, and changes nothing.
        let again = Device {
            name: Some("evil".to_owned()),
            ..confirmed(&d, 3_000)
        };
        assert_eq!(
            conflict_key(store.confirm_device(&again).await),
            format!("device:{}", d.device_key)
        );
        assert_eq!(
            store
                .get_device("p1", &alice.sub, &d.device_key)
                .await
                .unwrap(),
            Some(c)
        );
        let ghost = confirmed(&device(&alice.sub, "ghost", 1), 2);
        assert_not_found(store.confirm_device(&ghost).await);

        // The key is unique in the pool.
        let bob = user("p1", "bob");
        store.insert_user(&bob).await.unwrap();
        let stolen = Device {
            sub: bob.sub.clone(),
            ..d.clone()
        };
        assert_eq!(
            conflict_key(store.insert_device(&stolen, 10).await),
            format!("device:{}", d.device_key)
        );
        // A device needs its user.
        assert_not_found(
            store
                .insert_device(&device("no-such-sub", "x", 1), 10)
                .await,
        );
    })
    .await;
}

#[tokio::test]
async fn status_and_sign_ins_are_recorded() {
    each_backend(|store| async move {
        store.insert_user_pool(&pool("p1")).await.unwrap();
        let alice = user("p1", "alice");
        store.insert_user(&alice).await.unwrap();
        let d = device(&alice.sub, "a1", 1_000);
        store.insert_device(&d, 10).await.unwrap();
        store.confirm_device(&confirmed(&d, 2_000)).await.unwrap();

        store
            .set_device_status(
                "p1",
                &alice.sub,
                &d.device_key,
                DeviceRememberedStatusType::NotRemembered,
                3_000,
            )
            .await
            .unwrap();
        store
            .record_device_authentication("p1", &alice.sub, &d.device_key, 4_000)
            .await
            .unwrap();
        let read = store
            .get_device("p1", &alice.sub, &d.device_key)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(read.status, DeviceRememberedStatusType::NotRemembered);
        assert_eq!(read.modified_ms, 3_000);
        assert_eq!(read.last_authenticated_ms, 4_000);
        assert_eq!(read.created_ms, 1_000);
        assert!(read.is_confirmed());

        for key in ["us-east-1_ghost", d.device_key.as_str()] {
            let sub = if key == d.device_key {
                "other-sub"
            } else {
                alice.sub.as_str()
            };
            assert_not_found(
                store
                    .set_device_status("p1", sub, key, DeviceRememberedStatusType::Remembered, 1)
                    .await,
            );
            assert_not_found(store.record_device_authentication("p1", sub, key, 1).await);
            assert_not_found(store.delete_device("p1", sub, key).await);
        }

        store
            .delete_device("p1", &alice.sub, &d.device_key)
            .await
            .unwrap();
        assert_eq!(
            store
                .get_device("p1", &alice.sub, &d.device_key)
                .await
                .unwrap(),
            None
        );
        assert_not_found(store.delete_device("p1", &alice.sub, &d.device_key).await);
    })
    .await;
}

#[tokio::test]
async fn devices_are_listed_by_key_in_pages_per_user() {
    each_backend(|store| async move {
        store.insert_user_pool(&pool("p1")).await.unwrap();
        let alice = user("p1", "alice");
        let bob = user("p1", "bob");
        store.insert_user(&alice).await.unwrap();
        store.insert_user(&bob).await.unwrap();
        for key in ["c", "a", "d", "b"] {
            let d = device(&alice.sub, key, 1_000);
            store.insert_device(&d, 10).await.unwrap();
            store.confirm_device(&confirmed(&d, 1_500)).await.unwrap();
        }
        let bobs = device(&bob.sub, "e", 1_000);
        store.insert_device(&bobs, 10).await.unwrap();
        store
            .confirm_device(&confirmed(&bobs, 1_500))
            .await
            .unwrap();
        // Unconfirmed: not listed.
        store
            .insert_device(&device(&alice.sub, "0", 1_000), 10)
            .await
            .unwrap();

        let keys = |devices: Vec<Device>| {
            devices
                .into_iter()
                .map(|d| d.device_key.trim_start_matches("us-east-1_").to_owned())
                .collect::<Vec<_>>()
        };
        let first = store.list_devices("p1", &alice.sub, None, 2).await.unwrap();
        assert_eq!(keys(first), ["a", "b"]);
        let rest = store
            .list_devices("p1", &alice.sub, Some("us-east-1_b"), 10)
            .await
            .unwrap();
        assert_eq!(keys(rest), ["c", "d"]);
        assert_eq!(
            keys(store.list_devices("p1", &bob.sub, None, 10).await.unwrap()),
            ["e"]
        );
    })
    .await;
}

#[tokio::test]
async fn unconfirmed_devices_are_capped_oldest_first() {
    each_backend(|store| async move {
        store.insert_user_pool(&pool("p1")).await.unwrap();
        let alice = user("p1", "alice");
        store.insert_user(&alice).await.unwrap();
        let kept = device(&alice.sub, "confirmed", 1);
        store.insert_device(&kept, 3).await.unwrap();
        store.confirm_device(&confirmed(&kept, 2)).await.unwrap();
        // Same millisecond for some: the newest insert always stays.
        for (i, created) in [10, 20, 20, 30, 30].into_iter().enumerate() {
            let d = device(&alice.sub, &format!("n{i}"), created);
            store.insert_device(&d, 3).await.unwrap();
            assert!(store
                .get_device("p1", &alice.sub, &d.device_key)
                .await
                .unwrap()
                .is_some());
        }
        let mut left = Vec::new();
        for i in 0..5 {
            let key = format!("us-east-1_n{i}");
            if store
                .get_device("p1", &alice.sub, &key)
                .await
                .unwrap()
                .is_some()
            {
                left.push(i);
            }
        }
        // The newest three; n1 and n2 tie on time and the later key stays.
        assert_eq!(left, [2, 3, 4]);
        // Confirmed devices are never pruned.
        assert!(store
            .get_device("p1", &alice.sub, &kept.device_key)
            .await
            .unwrap()
            .is_some());
    })
    .await;
}

#[tokio::test]
async fn devices_go_with_their_user_and_pool() {
    each_backend(|store| async move {
        store.insert_user_pool(&pool("p1")).await.unwrap();
        let alice = user("p1", "alice");
        let bob = user("p1", "bob");
        store.insert_user(&alice).await.unwrap();
        store.insert_user(&bob).await.unwrap();
        let a = device(&alice.sub, "a", 1);
        let b = device(&bob.sub, "b", 1);
        store.insert_device(&a, 10).await.unwrap();
        store.insert_device(&b, 10).await.unwrap();

        store.delete_user("p1", &alice.sub).await.unwrap();
        assert_eq!(
            store
                .get_device("p1", &alice.sub, &a.device_key)
                .await
                .unwrap(),
            None
        );
        // Its key is free again.
        store.insert_user(&alice).await.unwrap();
        store.insert_device(&a, 10).await.unwrap();

        store.delete_user_pool("p1").await.unwrap();
        assert_eq!(
            store
                .get_device("p1", &bob.sub, &b.device_key)
                .await
                .unwrap(),
            None
        );
        assert!(matches!(
            store.get_device_group_key("p1", &bob.sub).await,
            Ok(None)
        ));
    })
    .await;
}
