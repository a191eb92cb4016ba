//! Export and import of a pool between two stores: a re-export of the import equals the
//! export (but for its time), a pool that exists is refused, and a cut-off or corrupt file
//! leaves nothing behind.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::collections::BTreeMap;

use monban_core::entities::{
    Device, Identity, IdentityLogin, IdentityPool, IdentityPoolData, RefreshToken, SrpCredential,
};
use monban_core::export::{export_pool, import_pool, Counts, ExportOptions};
use monban_core::ops::{app_clients, groups, user_pools, users};
use monban_core::wire::identity::{CognitoIdentityProvider, IdentityPool as IdentityPoolConfig};
use monban_core::wire::idp::*;
use monban_core::{tokens, Cx};
use support::{harness, IAM};

async fn populated(cx: &Cx) -> String {
    let pool_id = user_pools::create_user_pool(
        cx,
        &IAM,
        CreateUserPoolRequest {
            pool_name: "moving".to_owned(),
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .user_pool
    .unwrap()
    .id
    .unwrap();
    let client = app_clients::create_user_pool_client(
        cx,
        &IAM,
        CreateUserPoolClientRequest {
            user_pool_id: pool_id.clone(),
            client_name: "web".to_owned(),
            generate_secret: Some(true),
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .user_pool_client
    .unwrap();
    groups::create_group(
        cx,
        &IAM,
        CreateGroupRequest {
            user_pool_id: pool_id.clone(),
            group_name: "admins".to_owned(),
            precedence: Some(3),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    for name in ["carol", "alice", "bob"] {
        users::admin_create_user(
            cx,
            &IAM,
            AdminCreateUserRequest {
                user_pool_id: pool_id.clone(),
                username: name.to_owned(),
                user_attributes: Some(vec![AttributeType {
                    name: "email".to_owned(),
                    value: Some(format!("{name}@example.com")),
                }]),
                message_action: Some(MessageActionType::Suppress),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        users::admin_set_user_password(
            cx,
            &IAM,
            AdminSetUserPasswordRequest {
                user_pool_id: pool_id.clone(),
                username: name.to_owned(),
                password: "Passw0rd!long".to_owned(),
                permanent: Some(true),
            },
        )
        .await
        .unwrap();
    }
    groups::admin_add_user_to_group(
        cx,
        &IAM,
        AdminAddUserToGroupRequest {
            user_pool_id: pool_id.clone(),
            username: "bob".to_owned(),
            group_name: "admins".to_owned(),
        },
    )
    .await
    .unwrap();
    tokens::rotate_keys(cx, &pool_id).await.unwrap();
    let bob = cx
        .store
        .get_user_by_key(&pool_id, "u:bob")
        .await
        .unwrap()
        .unwrap();
    cx.store
        .insert_device(
            &Device {
                pool_id: pool_id.clone(),
                sub: bob.sub.clone(),
                device_key: "us-east-1_dev".to_owned(),
                device_group_key: "-abcdefgh".to_owned(),
                verifier: Some(SrpCredential {
                    salt: "00ff".to_owned(),
                    verifier: "abcd".to_owned(),
                }),
                name: Some("laptop".to_owned()),
                attributes: BTreeMap::new(),
                status: DeviceRememberedStatusType::Remembered,
                created_ms: 1,
                modified_ms: 2,
                last_authenticated_ms: 3,
            },
            5,
        )
        .await
        .unwrap();
    cx.store
        .insert_refresh_token(&RefreshToken {
            token_hash: "f".repeat(64),
            pool_id: pool_id.clone(),
            client_id: client.client_id.clone().unwrap(),
            sub: bob.sub.clone(),
            family_id: "family-1".to_owned(),
            auth_time_ms: 10,
            device_key: None,
            created_ms: 10,
            expires_ms: i64::MAX / 2,
            replaced_ms: None,
            revoked_ms: None,
            family_scopes: None,
        })
        .await
        .unwrap();
    cx.store
        .revoke_token_family(&pool_id, "family-1", 20)
        .await
        .unwrap();
    // One identity pool uses the user pool, another does not.
    for (id, provider) in [
        ("us-east-1:0000-uses", format!("127.0.0.1:9876/{pool_id}")),
        (
            "us-east-1:0000-other",
            "127.0.0.1:9876/us-east-1_Other".to_owned(),
        ),
    ] {
        cx.store
            .insert_identity_pool(&IdentityPool {
                id: id.to_owned(),
                name: "ids".to_owned(),
                created_ms: 1,
                modified_ms: 1,
                version: 1,
                config: IdentityPoolConfig {
                    identity_pool_id: id.to_owned(),
                    identity_pool_name: "ids".to_owned(),
                    cognito_identity_providers: Some(vec![CognitoIdentityProvider {
                        provider_name: Some(provider.clone()),
                        client_id: client.client_id.clone(),
                        ..Default::default()
                    }]),
                    ..Default::default()
                },
                data: IdentityPoolData::default(),
            })
            .await
            .unwrap();
        cx.store
            .insert_identity(&Identity {
                identity_id: format!("{id}-identity"),
                pool_id: id.to_owned(),
                created_ms: 1,
                modified_ms: 1,
                disabled: false,
                logins: vec![IdentityLogin::new(provider, bob.sub.clone())],
            })
            .await
            .unwrap();
    }
    pool_id
}

async fn export(cx: &Cx, pool_id: &str) -> (Vec<u8>, Counts) {
    let mut out = Vec::new();
    let counts = export_pool(
        cx,
        pool_id,
        ExportOptions {
            include_signing_keys: true,
        },
        &mut out,
        &mut |_| {},
    )
    .await
    .unwrap();
    (out, counts)
}

/// The lines after the header (the header differs in its time only).
fn body(export: &[u8]) -> Vec<String> {
    String::from_utf8(export.to_vec())
        .unwrap()
        .lines()
        .skip(1)
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn a_pool_moves_whole_and_re_exports_the_same() {
    let source = harness().await;
    let pool_id = populated(&source.cx).await;
    let (first, counts) = export(&source.cx, &pool_id).await;
    assert_eq!(counts.users, 3);
    assert_eq!(counts.clients, 1);
    assert_eq!(counts.groups, 1);
    assert_eq!(counts.signing_keys, 2, "one key per token use");
    assert_eq!((counts.identity_pools, counts.identities), (1, 1));
    let text = String::from_utf8(first.clone()).unwrap();
    assert!(text.contains("\"client_secret\"") || text.contains("\"secret\""));
    assert!(text.contains("$argon2id$"), "password hashes are exported");
    assert!(text.contains("\"laptop\""), "devices are exported");

    let target = harness().await;
    let imported = import_pool(&target.cx, first.as_slice(), &mut |_| {})
        .await
        .unwrap();
    assert_eq!(imported, counts);
    let bob = target
        .cx
        .store
        .get_user_by_key(&pool_id, "u:bob")
        .await
        .unwrap()
        .unwrap();
    let original = source
        .cx
        .store
        .get_user_by_key(&pool_id, "u:bob")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(bob, original);
    assert!(target
        .cx
        .store
        .token_family_revoked_at(&pool_id, "family-1")
        .await
        .unwrap()
        .is_some());

    let identity = target
        .cx
        .store
        .get_identity("us-east-1:0000-uses-identity")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(identity.logins[0].subject, bob.sub);
    assert!(target
        .cx
        .store
        .get_identity_pool("us-east-1:0000-other")
        .await
        .unwrap()
        .is_none());

    let (second, _) = export(&target.cx, &pool_id).await;
    assert_eq!(body(&first), body(&second));
}

#[tokio::test]
async fn an_existing_pool_is_refused() {
    let source = harness().await;
    let pool_id = populated(&source.cx).await;
    let (file, _) = export(&source.cx, &pool_id).await;
    let err = import_pool(&source.cx, file.as_slice(), &mut |_| {})
        .await
        .unwrap_err();
    assert!(err.message.contains("already exists"), "{err}");
}

#[tokio::test]
async fn a_cut_off_or_corrupt_file_leaves_nothing_behind() {
    let source = harness().await;
    let pool_id = populated(&source.cx).await;
    let (file, _) = export(&source.cx, &pool_id).await;
    let lines: Vec<&str> = std::str::from_utf8(&file).unwrap().lines().collect();
    let target = harness().await;

    let cut = lines[..lines.len() - 1].join("\n");
    let err = import_pool(&target.cx, cut.as_bytes(), &mut |_| {})
        .await
        .unwrap_err();
    assert!(err.message.contains("cut off"), "{err}");
    assert!(target
        .cx
        .store
        .get_user_pool(&pool_id)
        .await
        .unwrap()
        .is_none());

    let mut corrupt: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
    let user_line = corrupt
        .iter()
        .position(|l| l.contains("\"type\":\"user\""))
        .unwrap();
    corrupt[user_line] = "{\"type\":\"user\",\"username\":".to_owned();
    let err = import_pool(&target.cx, corrupt.join("\n").as_bytes(), &mut |_| {})
        .await
        .unwrap_err();
    assert!(
        err.message.starts_with(&format!("line {}", user_line + 1)),
        "{err}"
    );
    assert!(target
        .cx
        .store
        .get_user_pool(&pool_id)
        .await
        .unwrap()
        .is_none());

    let err = import_pool(&target.cx, &b"{\"format\":\"other\"}\n"[..], &mut |_| {})
        .await
        .unwrap_err();
    assert!(err.message.contains("line 1") || err.message.contains("not a monban export"));
}
