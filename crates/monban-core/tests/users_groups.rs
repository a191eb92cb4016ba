//! Admin user and group operations end to end against the SQL store on a temporary SQLite
//! file, with a recording mailer.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use monban_core::entities::UserData;
use monban_core::error::ErrorKind;
use monban_core::ops::{groups, user_pools, users};
use monban_core::wire::idp::*;
use monban_core::{Cx, Error};
use support::{harness, Harness, IAM};

fn attr(name: &str, value: &str) -> AttributeType {
    AttributeType {
        name: name.to_owned(),
        value: Some(value.to_owned()),
    }
}

async fn pool(cx: &Cx, req: CreateUserPoolRequest) -> String {
    user_pools::create_user_pool(
        cx,
        &IAM,
        CreateUserPoolRequest {
            pool_name: "test".to_owned(),
            ..req
        },
    )
    .await
    .unwrap()
    .user_pool
    .unwrap()
    .id
    .unwrap()
}

async fn plain_pool(cx: &Cx) -> String {
    pool(cx, CreateUserPoolRequest::default()).await
}

async fn create(
    cx: &Cx,
    pool_id: &str,
    username: &str,
    attributes: &[AttributeType],
) -> Result<UserType, Error> {
    users::admin_create_user(
        cx,
        &IAM,
        AdminCreateUserRequest {
            user_pool_id: pool_id.to_owned(),
            username: username.to_owned(),
            user_attributes: Some(attributes.to_vec()),
            message_action: Some(MessageActionType::Suppress),
            ..Default::default()
        },
    )
    .await
    .map(|r| r.user.unwrap())
}

async fn get(cx: &Cx, pool_id: &str, username: &str) -> Result<AdminGetUserResponse, Error> {
    users::admin_get_user(
        cx,
        &IAM,
        AdminGetUserRequest {
            user_pool_id: pool_id.to_owned(),
            username: username.to_owned(),
        },
    )
    .await
}

fn value(attributes: &Option<Vec<AttributeType>>, name: &str) -> Option<String> {
    attributes
        .as_ref()?
        .iter()
        .find(|a| a.name == name)
        .and_then(|a| a.value.clone())
}

async fn update(
    cx: &Cx,
    pool_id: &str,
    username: &str,
    attributes: &[AttributeType],
) -> Result<AdminUpdateUserAttributesResponse, Error> {
    users::admin_update_user_attributes(
        cx,
        &IAM,
        AdminUpdateUserAttributesRequest {
            user_pool_id: pool_id.to_owned(),
            username: username.to_owned(),
            user_attributes: attributes.to_vec(),
            ..Default::default()
        },
    )
    .await
}

fn assert_error<T: std::fmt::Debug>(result: Result<T, Error>, kind: ErrorKind, message: &str) {
    let err = result.unwrap_err();
    assert_eq!(err.kind, kind, "{err:?}");
    assert_eq!(err.message, message, "{err:?}");
}

#[tokio::test]
async fn a_user_is_created_read_listed_and_deleted() {
    let Harness { cx, mail, _dir } = harness().await;
    let pool_id = plain_pool(&cx).await;
    let created = create(&cx, &pool_id, "alice", &[attr("email", "a@example.com")])
        .await
        .unwrap();
    assert_eq!(created.username.as_deref(), Some("alice"));
    assert_eq!(
        created.user_status,
        Some(UserStatusType::ForceChangePassword)
    );
    assert_eq!(created.enabled, Some(true));
    assert!(mail.take().is_empty(), "SUPPRESS sends nothing");

    let user = get(&cx, &pool_id, "alice").await.unwrap();
    assert_eq!(user.username, "alice");
    let attributes = user.user_attributes.as_ref().unwrap();
    assert_eq!(attributes[0].name, "sub");
    assert_eq!(
        value(&user.user_attributes, "sub"),
        value(&created.attributes, "sub")
    );
    assert_eq!(
        value(&user.user_attributes, "email").as_deref(),
        Some("a@example.com")
    );
    assert_eq!(user.user_create_date, created.user_create_date);

    // The admin APIs also accept the sub.
    let sub = value(&user.user_attributes, "sub").unwrap();
    assert_eq!(get(&cx, &pool_id, &sub).await.unwrap().username, "alice");

    let listed = users::list_users(
        &cx,
        &IAM,
        ListUsersRequest {
            user_pool_id: pool_id.clone(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(listed.users.unwrap().len(), 1);
    assert_eq!(listed.pagination_token, None);

    users::admin_delete_user(
        &cx,
        &IAM,
        AdminDeleteUserRequest {
            user_pool_id: pool_id.clone(),
            username: "alice".to_owned(),
        },
    )
    .await
    .unwrap();
    assert_error(
        get(&cx, &pool_id, "alice").await,
        ErrorKind::UserNotFoundException,
        "User does not exist.",
    );
    // The name is free again.
    create(&cx, &pool_id, "alice", &[]).await.unwrap();
    assert_error(
        get(&cx, "us-east-1_nope", "alice").await,
        ErrorKind::ResourceNotFoundException,
        "User pool us-east-1_nope does not exist.",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_creates_of_one_name_give_one_user() {
    let Harness { cx, _dir, .. } = harness().await;
    let pool_id = plain_pool(&cx).await;
    let attempts = (0..50).map(|_| {
        let cx = cx.clone();
        let pool_id = pool_id.clone();
        tokio::spawn(async move { create(&cx, &pool_id, "same", &[]).await })
    });
    let mut ok = 0;
    let mut exists = 0;
    for attempt in attempts {
        match attempt.await.unwrap() {
            Ok(_) => ok += 1,
            Err(e) if e.kind == ErrorKind::UsernameExistsException => {
                assert_eq!(e.message, "User account already exists");
                exists += 1;
            }
            Err(e) => panic!("unexpected {e:?}"),
        }
    }
    assert_eq!((ok, exists), (1, 49));
}

#[tokio::test]
async fn the_invitation_follows_the_pool_template_and_sender() {
    let Harness { cx, mail, _dir } = harness().await;
    let pool_id = plain_pool(&cx).await;
    let created = users::admin_create_user(
        &cx,
        &IAM,
        AdminCreateUserRequest {
            user_pool_id: pool_id.clone(),
            username: "bob".to_owned(),
            temporary_password: Some("Temp0rary!".to_owned()),
            user_attributes: Some(vec![attr("email", "bob@example.com")]),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(
        created.user.unwrap().user_status,
        Some(UserStatusType::ForceChangePassword)
    );
    let sent = mail.take();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].to, "bob@example.com");
    assert_eq!(sent[0].from, cx.settings.default_from);
    assert_eq!(sent[0].subject, "Your temporary password");
    assert_eq!(
        sent[0].body,
        "Your username is bob and temporary password is Temp0rary!. "
    );
    assert_eq!(sent[0].pool_id.as_deref(), Some(pool_id.as_str()));

    // A pool with its own template and sender.
    let custom = pool(
        &cx,
        CreateUserPoolRequest {
            admin_create_user_config: Some(AdminCreateUserConfigType {
                invite_message_template: Some(MessageTemplateType {
                    email_subject: Some("Welcome {username}".to_owned()),
                    email_message: Some("Hi {username}, use {####}".to_owned()),
                    sms_message: None,
                }),
                ..Default::default()
            }),
            email_configuration: Some(EmailConfigurationType {
                email_sending_account: Some(EmailSendingAccountType::Developer),
                from: Some("Team <team@example.org>".to_owned()),
                reply_to_email_address: Some("help@example.org".to_owned()),
                source_arn: Some(
                    "arn:aws:ses:us-east-1:000000000000:identity/example.org".to_owned(),
                ),
                ..Default::default()
            }),
            ..Default::default()
        },
    )
    .await;
    users::admin_create_user(
        &cx,
        &IAM,
        AdminCreateUserRequest {
            user_pool_id: custom.clone(),
            username: "carol".to_owned(),
            user_attributes: Some(vec![attr("email", "carol@example.com")]),
            desired_delivery_mediums: Some(vec![DeliveryMediumType::Email]),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let sent = mail.take();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].from, "Team <team@example.org>");
    assert_eq!(sent[0].reply_to.as_deref(), Some("help@example.org"));
    assert_eq!(sent[0].subject, "Welcome carol");
    let password = sent[0].body.strip_prefix("Hi carol, use ").unwrap();
    // The generated password satisfies the pool's (default) policy.
    monban_core::password::check_policy(None, password).unwrap();

    // EMAIL asked for a user without an email: refused, and no user is left behind.
    let refused = users::admin_create_user(
        &cx,
        &IAM,
        AdminCreateUserRequest {
            user_pool_id: pool_id.clone(),
            username: "dave".to_owned(),
            desired_delivery_mediums: Some(vec![DeliveryMediumType::Email]),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(
        refused.unwrap_err().kind,
        ErrorKind::InvalidParameterException
    );
    assert_eq!(
        get(&cx, &pool_id, "dave").await.unwrap_err().kind,
        ErrorKind::UserNotFoundException
    );

    // A user with a phone number would be texted (Cognito's default medium): monban
    // sends no SMS, and sends no email in its place.
    users::admin_create_user(
        &cx,
        &IAM,
        AdminCreateUserRequest {
            user_pool_id: pool_id.clone(),
            username: "erin".to_owned(),
            user_attributes: Some(vec![
                attr("email", "erin@example.com"),
                attr("phone_number", "+15555550100"),
            ]),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert!(mail.take().is_empty());
}

#[tokio::test]
async fn resend_gives_a_new_temporary_password() {
    let Harness { cx, mail, _dir } = harness().await;
    let pool_id = plain_pool(&cx).await;
    let resend = |username: &str| {
        users::admin_create_user(
            &cx,
            &IAM,
            AdminCreateUserRequest {
                user_pool_id: pool_id.clone(),
                username: username.to_owned(),
                message_action: Some(MessageActionType::Resend),
                desired_delivery_mediums: Some(vec![DeliveryMediumType::Email]),
                ..Default::default()
            },
        )
    };
    assert_error(
        resend("nobody").await,
        ErrorKind::UserNotFoundException,
        "User does not exist.",
    );
    create(
        &cx,
        &pool_id,
        "frank",
        &[attr("email", "frank@example.com")],
    )
    .await
    .unwrap();
    let before = get(&cx, &pool_id, "frank").await.unwrap();
    resend("frank").await.unwrap();
    resend("frank").await.unwrap();
    let sent = mail.take();
    assert_eq!(sent.len(), 2);
    assert_ne!(sent[0].body, sent[1].body, "each resend has a new password");
    let after = get(&cx, &pool_id, "frank").await.unwrap();
    assert_eq!(after.user_status, Some(UserStatusType::ForceChangePassword));
    assert!(after.user_last_modified_date >= before.user_last_modified_date);

    set_password(&cx, &pool_id, "frank", "Permanent1!", true)
        .await
        .unwrap();
    assert_eq!(
        resend("frank").await.unwrap_err().kind,
        ErrorKind::UnsupportedUserStateException
    );
}

#[tokio::test]
async fn temporary_passwords_follow_the_policy() {
    let Harness { cx, _dir, .. } = harness().await;
    let pool_id = plain_pool(&cx).await;
    let result = users::admin_create_user(
        &cx,
        &IAM,
        AdminCreateUserRequest {
            user_pool_id: pool_id.clone(),
            username: "gina".to_owned(),
            temporary_password: Some("short".to_owned()),
            message_action: Some(MessageActionType::Suppress),
            ..Default::default()
        },
    )
    .await;
    assert_error(
        result,
        ErrorKind::InvalidPasswordException,
        "Password did not conform with policy: Password not long enough",
    );
}

#[tokio::test]
async fn email_as_username() {
    let Harness { cx, _dir, .. } = harness().await;
    let pool_id = pool(
        &cx,
        CreateUserPoolRequest {
            username_attributes: Some(vec![UsernameAttributeType::Email]),
            username_configuration: Some(UsernameConfigurationType {
                case_sensitive: false,
            }),
            ..Default::default()
        },
    )
    .await;
    let created = create(&cx, &pool_id, "Hana@Example.com", &[])
        .await
        .unwrap();
    let sub = value(&created.attributes, "sub").unwrap();
    assert_eq!(created.username.as_deref(), Some(sub.as_str()));
    assert_eq!(
        value(&created.attributes, "email").as_deref(),
        Some("Hana@Example.com")
    );
    // Found by email (in any case, the pool being case-insensitive) and by the sub.
    assert_eq!(
        get(&cx, &pool_id, "hana@example.com")
            .await
            .unwrap()
            .username,
        sub
    );
    assert_eq!(get(&cx, &pool_id, &sub).await.unwrap().username, sub);
    assert_error(
        create(&cx, &pool_id, "HANA@example.com", &[]).await,
        ErrorKind::UsernameExistsException,
        "An account with the given email already exists.",
    );
    assert_error(
        create(&cx, &pool_id, "hana", &[]).await,
        ErrorKind::InvalidParameterException,
        "Username should be an email.",
    );
}

#[tokio::test]
async fn aliases_and_case() {
    let Harness { cx, _dir, .. } = harness().await;
    let pool_id = pool(
        &cx,
        CreateUserPoolRequest {
            alias_attributes: Some(vec![
                AliasAttributeType::Email,
                AliasAttributeType::PreferredUsername,
            ]),
            username_configuration: Some(UsernameConfigurationType {
                case_sensitive: false,
            }),
            ..Default::default()
        },
    )
    .await;
    assert_error(
        create(&cx, &pool_id, "ivy@example.com", &[]).await,
        ErrorKind::InvalidParameterException,
        "Username cannot be of email format, since user pool is configured for email alias.",
    );
    create(
        &cx,
        &pool_id,
        "Ivy",
        &[
            attr("email", "ivy@example.com"),
            attr("email_verified", "true"),
            attr("preferred_username", "ivy-the-great"),
        ],
    )
    .await
    .unwrap();
    assert_eq!(get(&cx, &pool_id, "IVY").await.unwrap().username, "Ivy");
    assert_eq!(
        get(&cx, &pool_id, "Ivy@Example.com")
            .await
            .unwrap()
            .username,
        "Ivy"
    );
    assert_eq!(
        get(&cx, &pool_id, "IVY-the-great").await.unwrap().username,
        "Ivy"
    );
    assert_error(
        create(&cx, &pool_id, "ivy", &[]).await,
        ErrorKind::UsernameExistsException,
        "User account already exists",
    );

    // An unverified copy of the email is fine; a verified one is an alias clash...
    create(&cx, &pool_id, "jack", &[attr("email", "ivy@example.com")])
        .await
        .unwrap();
    let verified = [
        attr("email", "ivy@example.com"),
        attr("email_verified", "true"),
    ];
    assert_error(
        create(&cx, &pool_id, "kate", &verified).await,
        ErrorKind::AliasExistsException,
        "An account with the email already exists.",
    );
    assert_error(
        update(&cx, &pool_id, "jack", &[attr("email_verified", "true")]).await,
        ErrorKind::AliasExistsException,
        "An account with the email already exists.",
    );
    // ...unless ForceAliasCreation moves the alias to the new user.
    users::admin_create_user(
        &cx,
        &IAM,
        AdminCreateUserRequest {
            user_pool_id: pool_id.clone(),
            username: "kate".to_owned(),
            user_attributes: Some(verified.to_vec()),
            force_alias_creation: Some(true),
            message_action: Some(MessageActionType::Suppress),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(
        get(&cx, &pool_id, "ivy@example.com")
            .await
            .unwrap()
            .username,
        "kate"
    );
    let ivy = get(&cx, &pool_id, "ivy").await.unwrap();
    assert_eq!(
        value(&ivy.user_attributes, "email_verified").as_deref(),
        Some("false")
    );
    assert_eq!(
        value(&ivy.user_attributes, "email").as_deref(),
        Some("ivy@example.com")
    );
}

#[tokio::test]
async fn list_users_filters_and_pages_by_username() {
    let Harness { cx, _dir, .. } = harness().await;
    let pool_id = plain_pool(&cx).await;
    for (name, given) in [
        ("u1", "Ann"),
        ("u3", "Anna"),
        ("u5", "Bert"),
        ("u7", "Bo"),
        ("u9", "Cy"),
    ] {
        create(
            &cx,
            &pool_id,
            name,
            &[
                attr("given_name", given),
                attr("email", &format!("{name}@example.com")),
            ],
        )
        .await
        .unwrap();
    }
    let list = |filter: Option<&str>, limit: Option<i32>, token: Option<String>| {
        users::list_users(
            &cx,
            &IAM,
            ListUsersRequest {
                user_pool_id: pool_id.clone(),
                filter: filter.map(str::to_owned),
                limit,
                pagination_token: token,
                ..Default::default()
            },
        )
    };
    let names = |r: &ListUsersResponse| -> Vec<String> {
        r.users
            .as_ref()
            .unwrap()
            .iter()
            .map(|u| u.username.clone().unwrap())
            .collect()
    };

    let first = list(None, Some(2), None).await.unwrap();
    assert_eq!(names(&first), ["u1", "u3"]);
    // Users added before and after the resume point do not disturb the pages.
    create(&cx, &pool_id, "u0", &[]).await.unwrap();
    create(&cx, &pool_id, "u4", &[]).await.unwrap();
    let second = list(None, Some(2), first.pagination_token.clone())
        .await
        .unwrap();
    assert_eq!(names(&second), ["u4", "u5"]);
    let third = list(None, Some(2), second.pagination_token.clone())
        .await
        .unwrap();
    assert_eq!(names(&third), ["u7", "u9"]);
    assert_eq!(third.pagination_token, None);

    let prefix = list(Some("given_name ^= \"An\""), None, None)
        .await
        .unwrap();
    assert_eq!(names(&prefix), ["u1", "u3"]);
    let exact = list(Some("email = \"u5@example.com\""), None, None)
        .await
        .unwrap();
    assert_eq!(names(&exact), ["u5"]);
    let status = list(
        Some("cognito:user_status = \"force_change_password\""),
        None,
        None,
    )
    .await
    .unwrap();
    assert_eq!(names(&status).len(), 7);
    let enabled = list(Some("status = \"Disabled\""), None, None)
        .await
        .unwrap();
    assert!(names(&enabled).is_empty());

    let bad = list(Some("custom:team = \"x\""), None, None).await;
    assert_eq!(bad.unwrap_err().kind, ErrorKind::InvalidParameterException);
    let bad = list(Some("email = unquoted"), None, None).await;
    assert_eq!(bad.unwrap_err().kind, ErrorKind::InvalidParameterException);

    let selected = users::list_users(
        &cx,
        &IAM,
        ListUsersRequest {
            user_pool_id: pool_id.clone(),
            filter: Some("username = \"u1\"".to_owned()),
            attributes_to_get: Some(vec!["email".to_owned()]),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let user = &selected.users.unwrap()[0];
    assert_eq!(
        user.attributes.as_ref().unwrap(),
        &vec![attr("email", "u1@example.com")]
    );
}

#[tokio::test]
async fn attributes_are_updated_and_deleted_by_the_schema() {
    let Harness { cx, _dir, .. } = harness().await;
    let pool_id = pool(
        &cx,
        CreateUserPoolRequest {
            auto_verified_attributes: Some(vec![VerifiedAttributeType::Email]),
            schema: Some(vec![
                SchemaAttributeType {
                    name: Some("email".to_owned()),
                    attribute_data_type: Some(AttributeDataType::String),
                    required: Some(true),
                    mutable: Some(true),
                    ..Default::default()
                },
                SchemaAttributeType {
                    name: Some("badge".to_owned()),
                    attribute_data_type: Some(AttributeDataType::String),
                    mutable: Some(false),
                    ..Default::default()
                },
            ]),
            ..Default::default()
        },
    )
    .await;
    create(
        &cx,
        &pool_id,
        "lee",
        &[
            attr("email", "lee@example.com"),
            attr("email_verified", "true"),
            attr("custom:badge", "gold"),
            attr("given_name", "Lee"),
        ],
    )
    .await
    .unwrap();

    assert_error(
        update(&cx, &pool_id, "lee", &[attr("custom:nope", "x")]).await,
        ErrorKind::InvalidParameterException,
        "Attributes did not conform to the schema: custom:nope: Attribute does not exist in \
         the schema.\n",
    );
    assert_error(
        update(&cx, &pool_id, "lee", &[attr("custom:badge", "silver")]).await,
        ErrorKind::InvalidParameterException,
        "user.custom:badge: Attribute cannot be updated.",
    );
    assert_error(
        update(&cx, &pool_id, "lee", &[attr("phone_number", "555")]).await,
        ErrorKind::InvalidParameterException,
        "Invalid phone number format.",
    );
    assert_error(
        update(&cx, &pool_id, "nobody", &[attr("given_name", "x")]).await,
        ErrorKind::UserNotFoundException,
        "User does not exist.",
    );

    // A new email in a pool that auto-verifies email is unverified...
    update(&cx, &pool_id, "lee", &[attr("email", "lee2@example.com")])
        .await
        .unwrap();
    let lee = get(&cx, &pool_id, "lee").await.unwrap();
    assert_eq!(
        value(&lee.user_attributes, "email").as_deref(),
        Some("lee2@example.com")
    );
    assert_eq!(
        value(&lee.user_attributes, "email_verified").as_deref(),
        Some("false")
    );
    // ...unless the admin verifies it in the same request.
    update(
        &cx,
        &pool_id,
        "lee",
        &[
            attr("email", "lee3@example.com"),
            attr("email_verified", "true"),
        ],
    )
    .await
    .unwrap();
    let lee = get(&cx, &pool_id, "lee").await.unwrap();
    assert_eq!(
        value(&lee.user_attributes, "email_verified").as_deref(),
        Some("true")
    );

    let delete = |names: &[&str]| {
        users::admin_delete_user_attributes(
            &cx,
            &IAM,
            AdminDeleteUserAttributesRequest {
                user_pool_id: pool_id.clone(),
                username: "lee".to_owned(),
                user_attribute_names: names.iter().map(|n| (*n).to_owned()).collect(),
            },
        )
    };
    assert_error(
        delete(&["email"]).await,
        ErrorKind::InvalidParameterException,
        "user.email: Required attribute cannot be deleted.",
    );
    delete(&["given_name"]).await.unwrap();
    let lee = get(&cx, &pool_id, "lee").await.unwrap();
    assert_eq!(value(&lee.user_attributes, "given_name"), None);
    // A blank value deletes too.
    update(&cx, &pool_id, "lee", &[attr("nickname", "L")])
        .await
        .unwrap();
    update(&cx, &pool_id, "lee", &[attr("nickname", "")])
        .await
        .unwrap();
    let lee = get(&cx, &pool_id, "lee").await.unwrap();
    assert_eq!(value(&lee.user_attributes, "nickname"), None);
}

async fn set_password(
    cx: &Cx,
    pool_id: &str,
    username: &str,
    password: &str,
    permanent: bool,
) -> Result<AdminSetUserPasswordResponse, Error> {
    users::admin_set_user_password(
        cx,
        &IAM,
        AdminSetUserPasswordRequest {
            user_pool_id: pool_id.to_owned(),
            username: username.to_owned(),
            password: password.to_owned(),
            permanent: Some(permanent),
        },
    )
    .await
}

#[tokio::test]
async fn status_changes() {
    let Harness { cx, _dir, .. } = harness().await;
    let pool_id = plain_pool(&cx).await;
    create(&cx, &pool_id, "max", &[attr("email", "max@example.com")])
        .await
        .unwrap();
    let status = |name: &'static str| {
        let cx = cx.clone();
        let pool_id = pool_id.clone();
        async move { get(&cx, &pool_id, name).await.unwrap().user_status.unwrap() }
    };

    set_password(&cx, &pool_id, "max", "Permanent1!", true)
        .await
        .unwrap();
    assert_eq!(status("max").await, UserStatusType::Confirmed);
    set_password(&cx, &pool_id, "max", "Temporary1!", false)
        .await
        .unwrap();
    assert_eq!(status("max").await, UserStatusType::ForceChangePassword);
    assert_eq!(
        set_password(&cx, &pool_id, "max", "weakpassword", true)
            .await
            .unwrap_err()
            .kind,
        ErrorKind::InvalidPasswordException
    );

    let confirm = |name: &str| {
        users::admin_confirm_sign_up(
            &cx,
            &IAM,
            AdminConfirmSignUpRequest {
                user_pool_id: pool_id.clone(),
                username: name.to_owned(),
                ..Default::default()
            },
        )
    };
    assert_error(
        confirm("max").await,
        ErrorKind::NotAuthorizedException,
        "User cannot be confirmed. Current status is FORCE_CHANGE_PASSWORD",
    );
    // An UNCONFIRMED user, as SignUp will make them.
    let pool = monban_core::pool_config::load_pool(&cx, &pool_id)
        .await
        .unwrap();
    let new = monban_core::users::new_user(
        &cx,
        &pool,
        "nia",
        &Default::default(),
        UserStatusType::Unconfirmed,
    )
    .unwrap();
    assert_eq!(new.user.data, UserData::default());
    monban_core::users::insert_new_user(
        &cx,
        &pool,
        &new.user,
        monban_core::users::KeyWrite::SignUp,
        false,
    )
    .await
    .unwrap();
    confirm("nia").await.unwrap();
    assert_eq!(status("nia").await, UserStatusType::Confirmed);

    let disable = users::admin_disable_user(
        &cx,
        &IAM,
        AdminDisableUserRequest {
            user_pool_id: pool_id.clone(),
            username: "max".to_owned(),
        },
    );
    disable.await.unwrap();
    assert_eq!(
        get(&cx, &pool_id, "max").await.unwrap().enabled,
        Some(false)
    );

    let reset = |name: &str| {
        users::admin_reset_user_password(
            &cx,
            &IAM,
            AdminResetUserPasswordRequest {
                user_pool_id: pool_id.clone(),
                username: name.to_owned(),
                ..Default::default()
            },
        )
    };
    assert_error(
        reset("max").await,
        ErrorKind::NotAuthorizedException,
        "User is disabled.",
    );
    users::admin_enable_user(
        &cx,
        &IAM,
        AdminEnableUserRequest {
            user_pool_id: pool_id.clone(),
            username: "max".to_owned(),
        },
    )
    .await
    .unwrap();
    assert_eq!(get(&cx, &pool_id, "max").await.unwrap().enabled, Some(true));
    assert_error(
        reset("max").await,
        ErrorKind::InvalidParameterException,
        "Cannot reset password for the user as there is no registered/verified email or \
         phone_number",
    );
    update(&cx, &pool_id, "max", &[attr("email_verified", "true")])
        .await
        .unwrap();
    reset("max").await.unwrap();
    assert_eq!(status("max").await, UserStatusType::ResetRequired);
}

#[tokio::test]
async fn groups_and_memberships() {
    let Harness { cx, _dir, .. } = harness().await;
    let pool_id = pool(
        &cx,
        CreateUserPoolRequest {
            alias_attributes: Some(vec![AliasAttributeType::Email]),
            ..Default::default()
        },
    )
    .await;
    let create_group = |name: &str, precedence: Option<i32>| {
        groups::create_group(
            &cx,
            &IAM,
            CreateGroupRequest {
                user_pool_id: pool_id.clone(),
                group_name: name.to_owned(),
                description: Some(format!("the {name} group")),
                precedence,
                role_arn: None,
            },
        )
    };
    let admins = create_group("admins", Some(1))
        .await
        .unwrap()
        .group
        .unwrap();
    assert_eq!(admins.group_name.as_deref(), Some("admins"));
    assert_eq!(admins.user_pool_id.as_deref(), Some(pool_id.as_str()));
    assert_eq!(admins.precedence, Some(1));
    assert!(admins.creation_date.is_some());
    assert_error(
        create_group("admins", None).await,
        ErrorKind::GroupExistsException,
        "A group with the name admins already exists.",
    );
    // Names are case-sensitive.
    create_group("Admins", None).await.unwrap();
    for name in ["b", "c", "d"] {
        create_group(name, None).await.unwrap();
    }

    let updated = groups::update_group(
        &cx,
        &IAM,
        UpdateGroupRequest {
            user_pool_id: pool_id.clone(),
            group_name: "admins".to_owned(),
            role_arn: Some("arn:aws:iam::000000000000:role/admin".to_owned()),
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .group
    .unwrap();
    assert_eq!(updated.precedence, Some(1), "omitted members are kept");
    assert_eq!(updated.description.as_deref(), Some("the admins group"));
    assert_eq!(
        updated.role_arn.as_deref(),
        Some("arn:aws:iam::000000000000:role/admin")
    );
    let got = groups::get_group(
        &cx,
        &IAM,
        GetGroupRequest {
            user_pool_id: pool_id.clone(),
            group_name: "admins".to_owned(),
        },
    )
    .await
    .unwrap()
    .group
    .unwrap();
    assert_eq!(got, updated);

    let mut seen = Vec::new();
    let mut token = None;
    loop {
        let page = groups::list_groups(
            &cx,
            &IAM,
            ListGroupsRequest {
                user_pool_id: pool_id.clone(),
                limit: Some(2),
                next_token: token,
            },
        )
        .await
        .unwrap();
        let groups = page.groups.unwrap();
        assert!(groups.len() <= 2);
        seen.extend(groups.into_iter().map(|g| g.group_name.unwrap()));
        token = page.next_token;
        if token.is_none() {
            break;
        }
    }
    assert_eq!(seen, ["Admins", "admins", "b", "c", "d"]);

    create(
        &cx,
        &pool_id,
        "olga",
        &[
            attr("email", "olga@example.com"),
            attr("email_verified", "true"),
        ],
    )
    .await
    .unwrap();
    create(&cx, &pool_id, "pete", &[]).await.unwrap();
    let add = |username: &str, group: &str| {
        groups::admin_add_user_to_group(
            &cx,
            &IAM,
            AdminAddUserToGroupRequest {
                user_pool_id: pool_id.clone(),
                username: username.to_owned(),
                group_name: group.to_owned(),
            },
        )
    };
    // By alias, and twice without error.
    add("olga@example.com", "admins").await.unwrap();
    add("olga", "admins").await.unwrap();
    add("olga", "b").await.unwrap();
    add("pete", "admins").await.unwrap();
    assert_error(
        add("olga", "nope").await,
        ErrorKind::ResourceNotFoundException,
        "Group not found.",
    );
    assert_error(
        add("nobody", "admins").await,
        ErrorKind::UserNotFoundException,
        "User does not exist.",
    );

    let groups_of = |username: &str| {
        groups::admin_list_groups_for_user(
            &cx,
            &IAM,
            AdminListGroupsForUserRequest {
                user_pool_id: pool_id.clone(),
                username: username.to_owned(),
                ..Default::default()
            },
        )
    };
    let olga = groups_of("olga").await.unwrap();
    let names: Vec<_> = olga
        .groups
        .unwrap()
        .into_iter()
        .map(|g| g.group_name.unwrap())
        .collect();
    assert_eq!(names, ["admins", "b"]);

    let members = |group: &str, limit: Option<i32>, next_token: Option<String>| {
        groups::list_users_in_group(
            &cx,
            &IAM,
            ListUsersInGroupRequest {
                user_pool_id: pool_id.clone(),
                group_name: group.to_owned(),
                limit,
                next_token,
            },
        )
    };
    let first = members("admins", Some(1), None).await.unwrap();
    assert_eq!(first.users.unwrap()[0].username.as_deref(), Some("olga"));
    let second = members("admins", Some(1), first.next_token).await.unwrap();
    assert_eq!(second.users.unwrap()[0].username.as_deref(), Some("pete"));
    assert_eq!(second.next_token, None);
    assert_error(
        members("nope", None, None).await,
        ErrorKind::ResourceNotFoundException,
        "Group not found.",
    );

    groups::admin_remove_user_from_group(
        &cx,
        &IAM,
        AdminRemoveUserFromGroupRequest {
            user_pool_id: pool_id.clone(),
            username: "olga".to_owned(),
            group_name: "admins".to_owned(),
        },
    )
    .await
    .unwrap();
    // Deleting a user ends its memberships.
    users::admin_delete_user(
        &cx,
        &IAM,
        AdminDeleteUserRequest {
            user_pool_id: pool_id.clone(),
            username: "pete".to_owned(),
        },
    )
    .await
    .unwrap();
    assert!(members("admins", None, None)
        .await
        .unwrap()
        .users
        .unwrap()
        .is_empty());

    let delete = |name: &str| {
        groups::delete_group(
            &cx,
            &IAM,
            DeleteGroupRequest {
                user_pool_id: pool_id.clone(),
                group_name: name.to_owned(),
            },
        )
    };
    delete("b").await.unwrap();
    assert!(groups_of("olga").await.unwrap().groups.unwrap().is_empty());
    assert_error(
        delete("b").await,
        ErrorKind::ResourceNotFoundException,
        "Group not found.",
    );
    assert_error(
        groups::get_group(
            &cx,
            &IAM,
            GetGroupRequest {
                user_pool_id: "us-east-1_nope".to_owned(),
                group_name: "admins".to_owned(),
            },
        )
        .await,
        ErrorKind::ResourceNotFoundException,
        "User pool us-east-1_nope does not exist.",
    );
}
