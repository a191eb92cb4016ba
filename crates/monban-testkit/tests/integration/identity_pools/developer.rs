//! Developer-authenticated identities: GetOpenIdTokenForDeveloperIdentity, the token as the
//! `cognito-identity.amazonaws.com` login, LookupDeveloperIdentity,
//! MergeDeveloperIdentities and UnlinkDeveloperIdentity.

use monban_core::error::ErrorKind;
use monban_core::identity_pools::COGNITO_IDENTITY_PROVIDER;
use monban_testkit::{each_backend, expect_code, TestApp};

use super::{
    get_id, identity, identity_pool, public_identity, resolve, sign_in, user, user_pool,
    verify_open_id_token, AUTH_ROLE,
};

const DEV: &str = "login.example.app";

/// The identity and OpenID token of developer user `user`.
async fn developer_token(app: &TestApp, pool: &str, user: &str) -> (String, String) {
    let out = identity(app)
        .get_open_id_token_for_developer_identity()
        .identity_pool_id(pool)
        .logins(DEV, user)
        .send()
        .await
        .expect("GetOpenIdTokenForDeveloperIdentity");
    (
        out.identity_id().expect("identity id").to_owned(),
        out.token().expect("token").to_owned(),
    )
}

#[tokio::test]
async fn developer_users_get_identities_and_tokens_that_work_as_logins() {
    each_backend(|app| async move {
        let up = user_pool(&app).await;
        let pool = identity_pool(&app, &up, false).await;
        let admin = identity(&app);
        let (user1, token) = developer_token(&app, &pool, "user-1").await;
        assert!(super::is_identity_id(&user1));
        let claims = verify_open_id_token(&app, &token, &pool).await;
        assert_eq!(claims["sub"], user1.as_str());
        assert_eq!(
            claims["amr"],
            serde_json::json!(["authenticated", DEV, format!("{DEV}:{pool}:user-1")])
        );
        assert_eq!(
            claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
            900,
            "15 minutes by default"
        );
        // The same user, the same identity; TokenDuration sets the lifetime.
        let again = admin
            .get_open_id_token_for_developer_identity()
            .identity_pool_id(&pool)
            .logins(DEV, "user-1")
            .token_duration(3600)
            .send()
            .await
            .expect("GetOpenIdTokenForDeveloperIdentity");
        assert_eq!(again.identity_id(), Some(user1.as_str()));
        let claims = verify_open_id_token(&app, again.token().unwrap(), &pool).await;
        assert_eq!(
            claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
            3600
        );

        // The token is the login of the enhanced flow (and of GetOpenIdToken).
        let resolved = resolve(&app, &user1, &[(COGNITO_IDENTITY_PROVIDER, &token)], None)
            .await
            .expect("resolve");
        assert_eq!(resolved.role_arn, AUTH_ROLE);
        assert!(resolved.authenticated);
        let out = public_identity(&app)
            .get_open_id_token()
            .identity_id(&user1)
            .logins(COGNITO_IDENTITY_PROVIDER, &token)
            .send()
            .await
            .expect("GetOpenIdToken");
        assert_eq!(out.identity_id(), Some(user1.as_str()));
        // ... for its own identity only.
        let (user2, token2) = developer_token(&app, &pool, "user-2").await;
        assert_ne!(user1, user2);
        let e = resolve(&app, &user1, &[(COGNITO_IDENTITY_PROVIDER, &token2)], None)
            .await
            .unwrap_err();
        assert_eq!(e.kind, ErrorKind::NotAuthorizedException);
        let e = resolve(&app, &user1, &[(COGNITO_IDENTITY_PROVIDER, "junk")], None)
            .await
            .unwrap_err();
        assert_eq!(e.kind, ErrorKind::NotAuthorizedException);
        // The developer provider is not a public login.
        expect_code(
            public_identity(&app)
                .get_id()
                .identity_pool_id(&pool)
                .logins(DEV, "user-1")
                .send()
                .await,
            "NotAuthorizedException",
        );

        let described = admin
            .describe_identity()
            .identity_id(&user1)
            .send()
            .await
            .expect("DescribeIdentity");
        assert_eq!(described.logins(), [DEV.to_owned()]);

        let e = expect_code(
            admin
                .get_open_id_token_for_developer_identity()
                .identity_pool_id(&pool)
                .logins("login.other.app", "user-1")
                .send()
                .await,
            "NotAuthorizedException",
        );
        assert_eq!(
            e.message,
            "This identity pool does not support the specified developer provider."
        );
        expect_code(
            admin
                .get_open_id_token_for_developer_identity()
                .identity_pool_id(&pool)
                .logins(DEV, "user-1")
                .token_duration(86401)
                .send()
                .await,
            "InvalidParameterException",
        );
    })
    .await;
}

#[tokio::test]
async fn developer_users_are_linked_looked_up_merged_and_unlinked() {
    each_backend(|app| async move {
        let up = user_pool(&app).await;
        user(&app, &up, "ivy", &[], &[]).await;
        let pool = identity_pool(&app, &up, true).await;
        let admin = identity(&app);

        // A user-pool identity gains a developer user through its IdentityId.
        let (ivy_token, _) = sign_in(&app, &up.client, "ivy").await;
        let ivy = get_id(&app, &pool, &up.provider, &ivy_token).await;
        let linked = admin
            .get_open_id_token_for_developer_identity()
            .identity_pool_id(&pool)
            .identity_id(&ivy)
            .logins(DEV, "ivy-dev")
            .send()
            .await
            .expect("GetOpenIdTokenForDeveloperIdentity");
        assert_eq!(linked.identity_id(), Some(ivy.as_str()));
        let mut logins = admin
            .describe_identity()
            .identity_id(&ivy)
            .send()
            .await
            .expect("DescribeIdentity")
            .logins()
            .to_vec();
        logins.sort();
        let mut expected = vec![up.provider.clone(), DEV.to_owned()];
        expected.sort();
        assert_eq!(logins, expected);

        // A developer user of another identity cannot be taken by naming this one.
        let (other, _) = developer_token(&app, &pool, "someone-else").await;
        expect_code(
            admin
                .get_open_id_token_for_developer_identity()
                .identity_pool_id(&pool)
                .identity_id(&ivy)
                .logins(DEV, "someone-else")
                .send()
                .await,
            "DeveloperUserAlreadyRegisteredException",
        );

        // Lookups both ways, and together.
        let by_user = admin
            .lookup_developer_identity()
            .identity_pool_id(&pool)
            .developer_user_identifier("ivy-dev")
            .send()
            .await
            .expect("LookupDeveloperIdentity");
        assert_eq!(by_user.identity_id(), Some(ivy.as_str()));
        assert_eq!(
            by_user.developer_user_identifier_list(),
            ["ivy-dev".to_owned()]
        );
        expect_code(
            admin
                .lookup_developer_identity()
                .identity_pool_id(&pool)
                .identity_id(&other)
                .developer_user_identifier("ivy-dev")
                .send()
                .await,
            "ResourceConflictException",
        );
        expect_code(
            admin
                .lookup_developer_identity()
                .identity_pool_id(&pool)
                .developer_user_identifier("nobody")
                .send()
                .await,
            "ResourceNotFoundException",
        );
        expect_code(
            admin
                .lookup_developer_identity()
                .identity_pool_id(&pool)
                .send()
                .await,
            "InvalidParameterException",
        );

        // Merging: someone-else's identity joins ivy's; the identity gone, its user moved.
        let merged = admin
            .merge_developer_identities()
            .identity_pool_id(&pool)
            .developer_provider_name(DEV)
            .source_user_identifier("someone-else")
            .destination_user_identifier("ivy-dev")
            .send()
            .await
            .expect("MergeDeveloperIdentities");
        assert_eq!(merged.identity_id(), Some(ivy.as_str()));
        expect_code(
            admin.describe_identity().identity_id(&other).send().await,
            "ResourceNotFoundException",
        );
        let first = admin
            .lookup_developer_identity()
            .identity_pool_id(&pool)
            .identity_id(&ivy)
            .max_results(1)
            .send()
            .await
            .expect("LookupDeveloperIdentity");
        assert_eq!(
            first.developer_user_identifier_list(),
            ["ivy-dev".to_owned()]
        );
        let second = admin
            .lookup_developer_identity()
            .identity_pool_id(&pool)
            .identity_id(&ivy)
            .max_results(1)
            .next_token(first.next_token().expect("a second page"))
            .send()
            .await
            .expect("LookupDeveloperIdentity");
        assert_eq!(
            second.developer_user_identifier_list(),
            ["someone-else".to_owned()]
        );
        assert!(second.next_token().is_none());
        expect_code(
            admin
                .merge_developer_identities()
                .identity_pool_id(&pool)
                .developer_provider_name("login.other.app")
                .source_user_identifier("a")
                .destination_user_identifier("ivy-dev")
                .send()
                .await,
            "NotAuthorizedException",
        );

        // Unlinking: the developer users leave; the user-pool login stays.
        for dev_user in ["ivy-dev", "someone-else"] {
            admin
                .unlink_developer_identity()
                .identity_pool_id(&pool)
                .identity_id(&ivy)
                .developer_provider_name(DEV)
                .developer_user_identifier(dev_user)
                .send()
                .await
                .expect("UnlinkDeveloperIdentity");
        }
        let after = admin
            .describe_identity()
            .identity_id(&ivy)
            .send()
            .await
            .expect("DescribeIdentity");
        assert_eq!(after.logins(), std::slice::from_ref(&up.provider));
        expect_code(
            admin
                .unlink_developer_identity()
                .identity_pool_id(&pool)
                .identity_id(&ivy)
                .developer_provider_name(DEV)
                .developer_user_identifier("ivy-dev")
                .send()
                .await,
            "ResourceConflictException",
        );
        // The unlinked user makes a new identity when seen again.
        let (fresh, _) = developer_token(&app, &pool, "ivy-dev").await;
        assert_ne!(fresh, ivy);
    })
    .await;
}
