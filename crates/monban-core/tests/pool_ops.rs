//! User pool and app client operations end to end against the SQL store on a temporary
//! SQLite file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::sync::Arc;

use monban_core::error::ErrorKind;
use monban_core::mail::OutboxMailer;
use monban_core::ops::{app_clients, user_pools};
use monban_core::wire::idp::*;
use monban_core::{Cx, Iam, Settings, SystemClock, SystemRng};
use monban_store::SqlStore;

/// A temporary directory for the SQLite file, removed even when the test panics.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

async fn cx() -> (Cx, TempDir) {
    let dir = std::env::temp_dir().join(format!("monban-core-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.join("monban.db").display());
    let store = Arc::new(SqlStore::connect(&url).await.unwrap());
    let clock = Arc::new(SystemClock);
    let cx = Cx {
        store: store.clone(),
        clock: clock.clone(),
        rng: Arc::new(SystemRng),
        mailer: Arc::new(OutboxMailer {
            store: store.clone(),
            clock: clock.clone(),
        }),
        settings: Arc::new(Settings::default()),
        keys: Default::default(),
        secrets: Default::default(),
        triggers: Arc::new(monban_core::triggers::NoTriggers),
        sms: Arc::new(monban_core::sms::OutboxSms { store, clock }),
    };
    (cx, TempDir(dir))
}

/// The operations need proof of an IAM caller; the server's signature check is not under
/// test here.
static IAM: Iam = Iam {
    access_key_id: String::new(),
};

async fn new_pool(cx: &Cx, name: &str) -> UserPoolType {
    user_pools::create_user_pool(
        cx,
        &IAM,
        CreateUserPoolRequest {
            pool_name: name.to_owned(),
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .user_pool
    .unwrap()
}

async fn describe(cx: &Cx, id: &str) -> UserPoolType {
    user_pools::describe_user_pool(
        cx,
        &IAM,
        DescribeUserPoolRequest {
            user_pool_id: id.to_owned(),
        },
    )
    .await
    .unwrap()
    .user_pool
    .unwrap()
}

#[tokio::test]
async fn a_pool_is_created_described_protected_and_deleted() {
    let (cx, _dir) = cx().await;
    let created = new_pool(&cx, "first").await;
    let id = created.id.clone().unwrap();
    assert!(id.starts_with("us-east-1_"), "{id}");
    assert_eq!(
        created.arn.as_deref(),
        Some(format!("arn:aws:cognito-idp:us-east-1:000000000000:userpool/{id}").as_str())
    );
    let described = describe(&cx, &id).await;
    assert_eq!(described, created);
    assert_eq!(described.name.as_deref(), Some("first"));
    assert_eq!(described.estimated_number_of_users, Some(0));
    assert_eq!(described.mfa_configuration, Some(UserPoolMfaType::Off));
    assert_eq!(described.schema_attributes.as_ref().unwrap().len(), 20);

    user_pools::update_user_pool(
        &cx,
        &IAM,
        UpdateUserPoolRequest {
            user_pool_id: id.clone(),
            deletion_protection: Some(DeletionProtectionType::Active),
            user_pool_tags: Some([("team".to_owned(), "auth".to_owned())].into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let updated = describe(&cx, &id).await;
    assert_eq!(
        updated.deletion_protection,
        Some(DeletionProtectionType::Active)
    );
    assert_eq!(updated.user_pool_tags.unwrap()["team"], "auth");
    assert!(updated.last_modified_date >= updated.creation_date);

    let delete = || {
        user_pools::delete_user_pool(
            &cx,
            &IAM,
            DeleteUserPoolRequest {
                user_pool_id: id.clone(),
            },
        )
    };
    let refused = delete().await.unwrap_err();
    assert_eq!(refused.kind, ErrorKind::InvalidParameterException);
    assert!(
        refused.message.contains("deletion protection"),
        "{}",
        refused.message
    );

    // An update that omits DeletionProtection returns it to INACTIVE.
    user_pools::update_user_pool(
        &cx,
        &IAM,
        UpdateUserPoolRequest {
            user_pool_id: id.clone(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    delete().await.unwrap();
    let gone = user_pools::describe_user_pool(
        &cx,
        &IAM,
        DescribeUserPoolRequest {
            user_pool_id: id.clone(),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(gone.kind, ErrorKind::ResourceNotFoundException);
    assert_eq!(gone.message, format!("User pool {id} does not exist."));
}

#[tokio::test]
async fn custom_attributes_and_mfa_settings_are_stored() {
    let (cx, _dir) = cx().await;
    let id = new_pool(&cx, "attrs").await.id.unwrap();
    user_pools::add_custom_attributes(
        &cx,
        &IAM,
        AddCustomAttributesRequest {
            user_pool_id: id.clone(),
            custom_attributes: vec![SchemaAttributeType {
                name: Some("tier".to_owned()),
                attribute_data_type: Some(AttributeDataType::String),
                ..Default::default()
            }],
        },
    )
    .await
    .unwrap();
    let again = user_pools::add_custom_attributes(
        &cx,
        &IAM,
        AddCustomAttributesRequest {
            user_pool_id: id.clone(),
            custom_attributes: vec![SchemaAttributeType {
                name: Some("tier".to_owned()),
                attribute_data_type: Some(AttributeDataType::Number),
                ..Default::default()
            }],
        },
    )
    .await
    .unwrap_err();
    assert_eq!(again.kind, ErrorKind::InvalidParameterException);
    let schema = describe(&cx, &id).await.schema_attributes.unwrap();
    assert_eq!(schema.last().unwrap().name.as_deref(), Some("custom:tier"));

    let set = user_pools::set_user_pool_mfa_config(
        &cx,
        &IAM,
        SetUserPoolMfaConfigRequest {
            user_pool_id: id.clone(),
            mfa_configuration: Some(UserPoolMfaType::Optional),
            software_token_mfa_configuration: Some(SoftwareTokenMfaConfigType {
                enabled: Some(true),
            }),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(set.mfa_configuration, Some(UserPoolMfaType::Optional));
    let got = user_pools::get_user_pool_mfa_config(
        &cx,
        &IAM,
        GetUserPoolMfaConfigRequest {
            user_pool_id: id.clone(),
        },
    )
    .await
    .unwrap();
    assert_eq!(
        got.software_token_mfa_configuration.unwrap().enabled,
        Some(true)
    );
    assert_eq!(
        describe(&cx, &id).await.mfa_configuration,
        Some(UserPoolMfaType::Optional)
    );
}

#[tokio::test]
async fn pools_are_listed_a_page_at_a_time() {
    let (cx, _dir) = cx().await;
    for name in ["a", "b", "c"] {
        new_pool(&cx, name).await;
    }
    let list = |max_results, next_token| {
        user_pools::list_user_pools(
            &cx,
            &IAM,
            ListUserPoolsRequest {
                max_results,
                next_token,
            },
        )
    };
    let first = list(2, None).await.unwrap();
    assert_eq!(first.user_pools.as_ref().unwrap().len(), 2);
    let second = list(2, first.next_token.clone()).await.unwrap();
    assert_eq!(second.user_pools.as_ref().unwrap().len(), 1);
    assert!(second.next_token.is_none());
    let mut names: Vec<_> = first
        .user_pools
        .unwrap()
        .into_iter()
        .chain(second.user_pools.unwrap())
        .map(|p| p.name.unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["a", "b", "c"]);
    assert_eq!(
        list(0, None).await.unwrap_err().kind,
        ErrorKind::InvalidParameterException
    );
}

#[tokio::test]
async fn app_clients_keep_their_secret_and_reset_on_update() {
    let (cx, _dir) = cx().await;
    let pool = new_pool(&cx, "clients").await.id.unwrap();
    let other = new_pool(&cx, "other").await.id.unwrap();
    let created = app_clients::create_user_pool_client(
        &cx,
        &IAM,
        CreateUserPoolClientRequest {
            user_pool_id: pool.clone(),
            client_name: "web".to_owned(),
            generate_secret: Some(true),
            explicit_auth_flows: Some(vec![
                ExplicitAuthFlowsType::AllowUserPasswordAuth,
                ExplicitAuthFlowsType::AllowRefreshTokenAuth,
            ]),
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .user_pool_client
    .unwrap();
    let client_id = created.client_id.clone().unwrap();
    assert_eq!(client_id.len(), 26);
    let secret = created.client_secret.clone().unwrap();
    assert_eq!(secret.len(), 51);
    assert_eq!(created.refresh_token_validity, Some(30));

    let describe = |pool: String| {
        app_clients::describe_user_pool_client(
            &cx,
            &IAM,
            DescribeUserPoolClientRequest {
                user_pool_id: pool,
                client_id: client_id.clone(),
            },
        )
    };
    let described = describe(pool.clone())
        .await
        .unwrap()
        .user_pool_client
        .unwrap();
    assert_eq!(described, created);
    let elsewhere = describe(other.clone()).await.unwrap_err();
    assert_eq!(elsewhere.kind, ErrorKind::ResourceNotFoundException);

    let updated = app_clients::update_user_pool_client(
        &cx,
        &IAM,
        UpdateUserPoolClientRequest {
            user_pool_id: pool.clone(),
            client_id: client_id.clone(),
            access_token_validity: Some(2),
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .user_pool_client
    .unwrap();
    assert_eq!(updated.client_secret.as_deref(), Some(secret.as_str()));
    assert_eq!(updated.client_name.as_deref(), Some("web"));
    assert_eq!(updated.access_token_validity, Some(2));
    // Omitted settings are back to their defaults.
    assert_eq!(
        updated.explicit_auth_flows.unwrap(),
        [
            ExplicitAuthFlowsType::AllowRefreshTokenAuth,
            ExplicitAuthFlowsType::AllowUserSrpAuth,
            ExplicitAuthFlowsType::AllowCustomAuth,
        ]
    );

    let listed = app_clients::list_user_pool_clients(
        &cx,
        &IAM,
        ListUserPoolClientsRequest {
            user_pool_id: pool.clone(),
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .user_pool_clients
    .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].client_id.as_deref(), Some(client_id.as_str()));

    let delete = |pool: String| {
        app_clients::delete_user_pool_client(
            &cx,
            &IAM,
            DeleteUserPoolClientRequest {
                user_pool_id: pool,
                client_id: client_id.clone(),
            },
        )
    };
    assert_eq!(
        delete(other).await.unwrap_err().kind,
        ErrorKind::ResourceNotFoundException
    );
    delete(pool.clone()).await.unwrap();
    assert_eq!(
        describe(pool).await.unwrap_err().kind,
        ErrorKind::ResourceNotFoundException
    );
}
