//! Identities: guests, identities of user-pool logins (GetId, GetOpenIdToken), linking and
//! merging, what makes a login token invalid, unlinking and deleting identities, and the
//! basic (classic) flow switches.

use std::time::Duration;

use aws_sdk_cognitoidentity::types::{AmbiguousRoleResolutionType, RoleMapping, RoleMappingType};
use monban_core::identity_pools::COGNITO_IDENTITY_PROVIDER;
use monban_testkit::{each_backend, expect_code, TestApp};

use super::{
    get_id, identity, identity_pool, is_identity_id, provider, public_identity, resolve, sign_in,
    user, user_pool, verify_open_id_token, AUTH_ROLE, UNAUTH_ROLE,
};

#[tokio::test]
async fn guests_get_identities_and_openid_tokens_when_the_pool_allows_them() {
    each_backend(|app| async move {
        let up = user_pool(&app).await;
        let pool = identity_pool(&app, &up, true).await;
        let public = public_identity(&app);
        let first = public
            .get_id()
            .identity_pool_id(&pool)
            .send()
            .await
            .expect("GetId")
            .identity_id
            .expect("id");
        let second = public
            .get_id()
            .identity_pool_id(&pool)
            .account_id("123456789012")
            .send()
            .await
            .expect("GetId")
            .identity_id
            .expect("id");
        assert!(is_identity_id(&first), "{first}");
        assert_ne!(first, second, "every guest GetId makes an identity");

        let out = public
            .get_open_id_token()
            .identity_id(&first)
            .send()
            .await
            .expect("GetOpenIdToken");
        assert_eq!(out.identity_id(), Some(first.as_str()));
        let claims = verify_open_id_token(&app, out.token().expect("token"), &pool).await;
        assert_eq!(claims["sub"], first.as_str());
        assert_eq!(claims["amr"], serde_json::json!(["unauthenticated"]));
        assert_eq!(
            claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
            600
        );
        let resolved = resolve(&app, &first, &[], None).await.expect("resolve");
        assert_eq!(resolved.role_arn, UNAUTH_ROLE);
        assert!(!resolved.authenticated);
        assert_eq!(resolved.identity_id, first);
        assert_eq!(resolved.identity_pool_id, pool);

        let described = identity(&app)
            .describe_identity()
            .identity_id(&first)
            .send()
            .await
            .expect("DescribeIdentity");
        assert!(described.logins().is_empty());
        assert!(described.creation_date().is_some());

        // Without guests, neither GetId nor the guest's tokens.
        identity(&app)
            .update_identity_pool()
            .identity_pool_id(&pool)
            .identity_pool_name("no guests")
            .allow_unauthenticated_identities(false)
            .cognito_identity_providers(provider(&up, &up.client))
            .send()
            .await
            .expect("UpdateIdentityPool");
        for e in [
            expect_code(
                public.get_id().identity_pool_id(&pool).send().await,
                "NotAuthorizedException",
            ),
            expect_code(
                public.get_open_id_token().identity_id(&first).send().await,
                "NotAuthorizedException",
            ),
        ] {
            assert_eq!(
                e.message,
                "Unauthenticated access is not supported for this identity pool."
            );
        }
        expect_code(
            public
                .get_id()
                .identity_pool_id("us-east-1:00000000-0000-4000-8000-000000000000")
                .send()
                .await,
            "ResourceNotFoundException",
        );
        let e = expect_code(
            public
                .get_open_id_token()
                .identity_id("us-east-1:00000000-0000-4000-8000-000000000000")
                .send()
                .await,
            "ResourceNotFoundException",
        );
        assert_eq!(
            e.message,
            "Identity 'us-east-1:00000000-0000-4000-8000-000000000000' not found."
        );
    })
    .await;
}

#[tokio::test]
async fn a_user_pool_id_token_gets_an_authenticated_identity() {
    each_backend(|app| async move {
        let up = user_pool(&app).await;
        user(&app, &up, "alice", &[("custom:department", "sales")], &[]).await;
        let pool = identity_pool(&app, &up, true).await;
        let (id_token, _) = sign_in(&app, &up.client, "alice").await;
        let alice = get_id(&app, &pool, &up.provider, &id_token).await;
        assert!(is_identity_id(&alice));
        // The same login, the same identity.
        assert_eq!(get_id(&app, &pool, &up.provider, &id_token).await, alice);
        let (again, _) = sign_in(&app, &up.client, "alice").await;
        assert_eq!(get_id(&app, &pool, &up.provider, &again).await, alice);

        let sub = app
            .idp()
            .admin_get_user()
            .user_pool_id(&up.id)
            .username("alice")
            .send()
            .await
            .expect("AdminGetUser")
            .user_attributes()
            .iter()
            .find(|a| a.name() == "sub")
            .and_then(|a| a.value().map(str::to_owned))
            .expect("sub");
        let public = public_identity(&app);
        let out = public
            .get_open_id_token()
            .identity_id(&alice)
            .logins(&up.provider, &id_token)
            .send()
            .await
            .expect("GetOpenIdToken");
        let claims = verify_open_id_token(&app, out.token().expect("token"), &pool).await;
        assert_eq!(claims["sub"], alice.as_str());
        assert_eq!(
            claims["amr"],
            serde_json::json!([
                "authenticated",
                up.provider,
                format!("{}:CognitoSignIn:{sub}", up.provider)
            ])
        );
        // An authenticated identity without its login is refused.
        let e = expect_code(
            public.get_open_id_token().identity_id(&alice).send().await,
            "NotAuthorizedException",
        );
        assert_eq!(
            e.message,
            "Logins don't match. Please include at least one valid login for this identity or identity pool."
        );
        let resolved = resolve(&app, &alice, &[(&up.provider, &id_token)], None)
            .await
            .expect("resolve");
        assert_eq!(resolved.role_arn, AUTH_ROLE);
        assert!(resolved.authenticated);
        let claims = verify_open_id_token(&app, &resolved.open_id_token, &pool).await;
        assert_eq!(claims["amr"][0], "authenticated");

        let described = identity(&app)
            .describe_identity()
            .identity_id(&alice)
            .send()
            .await
            .expect("DescribeIdentity");
        assert_eq!(described.logins(), std::slice::from_ref(&up.provider));
    })
    .await;
}

#[tokio::test]
async fn guests_that_log_in_keep_their_identity_or_join_the_login_s() {
    each_backend(|app| async move {
        let up = user_pool(&app).await;
        user(&app, &up, "alice", &[], &[]).await;
        user(&app, &up, "bob", &[], &[]).await;
        let pool = identity_pool(&app, &up, true).await;
        let public = public_identity(&app);
        let guest = || async {
            public
                .get_id()
                .identity_pool_id(&pool)
                .send()
                .await
                .expect("GetId")
                .identity_id
                .expect("id")
        };
        // A new user: the guest identity becomes theirs.
        let bob_guest = guest().await;
        let (bob_token, _) = sign_in(&app, &up.client, "bob").await;
        let out = public
            .get_open_id_token()
            .identity_id(&bob_guest)
            .logins(&up.provider, &bob_token)
            .send()
            .await
            .expect("GetOpenIdToken");
        assert_eq!(out.identity_id(), Some(bob_guest.as_str()));
        assert_eq!(
            get_id(&app, &pool, &up.provider, &bob_token).await,
            bob_guest
        );

        // A user who has an identity already: the guest is merged into it.
        let (alice_token, _) = sign_in(&app, &up.client, "alice").await;
        let alice = get_id(&app, &pool, &up.provider, &alice_token).await;
        let alice_guest = guest().await;
        let resolved = resolve(&app, &alice_guest, &[(&up.provider, &alice_token)], None)
            .await
            .expect("resolve");
        assert_eq!(
            resolved.identity_id, alice,
            "the answer names the surviving identity"
        );
        assert_eq!(resolved.role_arn, AUTH_ROLE);
        expect_code(
            identity(&app)
                .describe_identity()
                .identity_id(&alice_guest)
                .send()
                .await,
            "ResourceNotFoundException",
        );

        // bob's identity cannot take alice's login: one user per provider and identity.
        let e = expect_code(
            public
                .get_open_id_token()
                .identity_id(&bob_guest)
                .logins(&up.provider, &alice_token)
                .send()
                .await,
            "NotAuthorizedException",
        );
        assert!(e.message.starts_with("Logins don't match"), "{}", e.message);
    })
    .await;
}

#[tokio::test]
async fn concurrent_first_logins_make_one_identity() {
    each_backend(|app| async move {
        let up = user_pool(&app).await;
        user(&app, &up, "carol", &[], &[]).await;
        let pool = identity_pool(&app, &up, false).await;
        let (token, _) = sign_in(&app, &up.client, "carol").await;
        let mut calls = tokio::task::JoinSet::new();
        for _ in 0..8 {
            let client = public_identity(&app);
            let (pool, key, token) = (pool.clone(), up.provider.clone(), token.clone());
            calls.spawn(async move {
                client
                    .get_id()
                    .identity_pool_id(pool)
                    .logins(key, token)
                    .send()
                    .await
                    .expect("GetId")
                    .identity_id
                    .expect("id")
            });
        }
        let ids: Vec<String> = calls.join_all().await;
        assert!(ids.windows(2).all(|w| w[0] == w[1]), "{ids:?}");
        let listed = identity(&app)
            .list_identities()
            .identity_pool_id(&pool)
            .max_results(10)
            .send()
            .await
            .expect("ListIdentities");
        assert_eq!(listed.identities().len(), 1);
    })
    .await;
}

#[tokio::test]
async fn bad_foreign_and_expired_login_tokens_are_refused() {
    each_backend(|app| async move {
        let up = user_pool(&app).await;
        let other = user_pool(&app).await;
        user(&app, &up, "alice", &[], &[]).await;
        user(&app, &other, "olga", &[], &[]).await;
        let pool = identity_pool(&app, &up, true).await;
        // Both user pools are providers; only the first client of each is.
        identity(&app)
            .update_identity_pool()
            .identity_pool_id(&pool)
            .identity_pool_name("two pools")
            .allow_unauthenticated_identities(true)
            .cognito_identity_providers(provider(&up, &up.client))
            .cognito_identity_providers(provider(&other, &other.client))
            .send()
            .await
            .expect("UpdateIdentityPool");
        let (id_token, access_token) = sign_in(&app, &up.client, "alice").await;
        let (wrong_client_token, _) = sign_in(&app, &up.other_client, "alice").await;
        let (olga_token, _) = sign_in(&app, &other.client, "olga").await;
        let (head, rest) = id_token.split_once('.').unwrap();
        let (payload, _) = rest.split_once('.').unwrap();
        let forged = format!("{head}.{payload}.{}", "A".repeat(342));
        let unregistered = format!(
            "{}/us-east-1_Unknown1",
            app.endpoint().trim_start_matches("http://")
        );

        let cases: Vec<(&str, String, &str)> = vec![
            (
                &up.provider,
                "not-a-jwt".into(),
                "Invalid login token. Not a valid OpenId Connect identity token.",
            ),
            (
                &up.provider,
                access_token.clone(),
                "Invalid login token. Missing a required claim: aud",
            ),
            (
                &up.provider,
                wrong_client_token.clone(),
                "Token is not from a supported provider of this identity pool.",
            ),
            (
                &up.provider,
                olga_token.clone(),
                "Invalid login token. Issuer doesn't match providerName",
            ),
            (
                &up.provider,
                forged,
                "Invalid login token. Couldn't verify signed token.",
            ),
            (
                &unregistered,
                id_token.clone(),
                "Token is not from a supported provider of this identity pool.",
            ),
            (
                "graph.facebook.com",
                "EAAB".into(),
                "Token is not from a supported provider of this identity pool.",
            ),
            (
                COGNITO_IDENTITY_PROVIDER,
                id_token.clone(),
                "Invalid login token. Can't pass in a Cognito token.",
            ),
        ];
        let public = public_identity(&app);
        for (key, token, message) in cases {
            let e = expect_code(
                public
                    .get_id()
                    .identity_pool_id(&pool)
                    .logins(key, &token)
                    .send()
                    .await,
                "NotAuthorizedException",
            );
            assert_eq!(e.message, message, "{key}");
        }
        // Tokens expire (one hour, the client's default).
        let alice = get_id(&app, &pool, &up.provider, &id_token).await;
        app.clock().advance(Duration::from_secs(3601));
        let now = app.cx().now_ms() / 1000;
        let e = expect_code(
            public
                .get_open_id_token()
                .identity_id(&alice)
                .logins(&up.provider, &id_token)
                .send()
                .await,
            "NotAuthorizedException",
        );
        let exp: i64 = e
            .message
            .strip_prefix("Invalid login token. Token expired: ")
            .and_then(|rest| rest.split_once(" >= "))
            .map(|(exp, at)| {
                assert_eq!(at.parse::<i64>().unwrap(), now);
                exp.parse().unwrap()
            })
            .unwrap_or_else(|| panic!("{}", e.message));
        assert!(exp < now && exp > now - 10, "{exp} vs {now}");
    })
    .await;
}

#[tokio::test]
async fn tokens_of_signed_out_disabled_or_deleted_users_are_refused() {
    each_backend(|app| async move {
        let up = user_pool(&app).await;
        for name in ["dave", "erin", "fred"] {
            user(&app, &up, name, &[], &[]).await;
        }
        let pool = identity_pool(&app, &up, false).await;
        let idp = app.idp();

        let (dave_token, dave_access) = sign_in(&app, &up.client, "dave").await;
        let dave = get_id(&app, &pool, &up.provider, &dave_token).await;
        app.unsigned_idp()
            .global_sign_out()
            .access_token(&dave_access)
            .send()
            .await
            .expect("GlobalSignOut");
        let (erin_token, _) = sign_in(&app, &up.client, "erin").await;
        idp.admin_disable_user()
            .user_pool_id(&up.id)
            .username("erin")
            .send()
            .await
            .expect("AdminDisableUser");
        let (fred_token, _) = sign_in(&app, &up.client, "fred").await;
        idp.admin_delete_user()
            .user_pool_id(&up.id)
            .username("fred")
            .send()
            .await
            .expect("AdminDeleteUser");
        for token in [&dave_token, &erin_token, &fred_token] {
            let e = expect_code(
                public_identity(&app)
                    .get_id()
                    .identity_pool_id(&pool)
                    .logins(&up.provider, token)
                    .send()
                    .await,
                "NotAuthorizedException",
            );
            assert!(e.message.contains("revoked"), "{}", e.message);
        }
        let e = resolve(&app, &dave, &[(&up.provider, &dave_token)], None)
            .await
            .expect_err("revoked");
        assert!(e.message.contains("revoked"), "{}", e.message);
        // A new sign-in works again.
        let (fresh, _) = sign_in(&app, &up.client, "dave").await;
        assert_eq!(get_id(&app, &pool, &up.provider, &fresh).await, dave);
    })
    .await;
}

#[tokio::test]
async fn identities_are_unlinked_listed_and_deleted() {
    each_backend(|app| async move {
        let up = user_pool(&app).await;
        user(&app, &up, "gina", &[], &[]).await;
        let pool = identity_pool(&app, &up, true).await;
        let admin = identity(&app);
        let public = public_identity(&app);
        let (token, _) = sign_in(&app, &up.client, "gina").await;
        let gina = get_id(&app, &pool, &up.provider, &token).await;
        let guest = public
            .get_id()
            .identity_pool_id(&pool)
            .send()
            .await
            .expect("GetId")
            .identity_id
            .expect("id");

        public
            .unlink_identity()
            .identity_id(&gina)
            .logins(&up.provider, &token)
            .logins_to_remove(&up.provider)
            .send()
            .await
            .expect("UnlinkIdentity");
        let described = admin
            .describe_identity()
            .identity_id(&gina)
            .send()
            .await
            .expect("DescribeIdentity");
        assert!(described.logins().is_empty());
        // Its last login gone, the identity is disabled; the login makes a new one.
        let e = expect_code(
            public.get_open_id_token().identity_id(&gina).send().await,
            "NotAuthorizedException",
        );
        assert!(e.message.contains("disabled"), "{}", e.message);
        let gina_again = get_id(&app, &pool, &up.provider, &token).await;
        assert_ne!(gina_again, gina);

        let all = admin
            .list_identities()
            .identity_pool_id(&pool)
            .max_results(60)
            .send()
            .await
            .expect("ListIdentities");
        assert_eq!(all.identity_pool_id(), Some(pool.as_str()));
        let mut ids: Vec<&str> = all
            .identities()
            .iter()
            .map(|i| i.identity_id().unwrap())
            .collect();
        let mut expected = vec![gina.as_str(), gina_again.as_str(), guest.as_str()];
        expected.sort();
        ids.sort();
        assert_eq!(ids, expected);
        let shown = admin
            .list_identities()
            .identity_pool_id(&pool)
            .max_results(1)
            .hide_disabled(true)
            .send()
            .await
            .expect("ListIdentities");
        assert_eq!(shown.identities().len(), 1);
        let next = shown.next_token().expect("a second page");
        let rest = admin
            .list_identities()
            .identity_pool_id(&pool)
            .max_results(5)
            .hide_disabled(true)
            .next_token(next)
            .send()
            .await
            .expect("ListIdentities");
        assert_eq!(rest.identities().len(), 1);
        assert!(rest.next_token().is_none());
        let with_logins = shown
            .identities()
            .iter()
            .chain(rest.identities())
            .find(|i| i.identity_id() == Some(gina_again.as_str()))
            .expect("gina's new identity");
        assert_eq!(with_logins.logins(), std::slice::from_ref(&up.provider));

        let deleted = admin
            .delete_identities()
            .identity_ids_to_delete(&gina_again)
            .identity_ids_to_delete("us-east-1:00000000-0000-4000-8000-000000000000")
            .send()
            .await
            .expect("DeleteIdentities");
        assert!(deleted.unprocessed_identity_ids().is_empty());
        expect_code(
            admin
                .describe_identity()
                .identity_id(&gina_again)
                .send()
                .await,
            "ResourceNotFoundException",
        );
        // The login is free: a new identity again.
        let third = get_id(&app, &pool, &up.provider, &token).await;
        assert!(third != gina && third != gina_again);
    })
    .await;
}

async fn set_token_mapping(app: &TestApp, pool: &str, key: &str) {
    identity(app)
        .set_identity_pool_roles()
        .identity_pool_id(pool)
        .roles("authenticated", AUTH_ROLE)
        .role_mappings(
            key,
            RoleMapping::builder()
                .r#type(RoleMappingType::Token)
                .ambiguous_role_resolution(AmbiguousRoleResolutionType::AuthenticatedRole)
                .build()
                .expect("mapping"),
        )
        .send()
        .await
        .expect("SetIdentityPoolRoles");
}

#[tokio::test]
async fn the_basic_flow_can_be_turned_off_and_does_not_mix_with_role_mappings() {
    each_backend(|app| async move {
        let up = user_pool(&app).await;
        user(&app, &up, "hank", &[], &[]).await;
        let pool = identity_pool(&app, &up, true).await;
        let (token, _) = sign_in(&app, &up.client, "hank").await;
        let hank = get_id(&app, &pool, &up.provider, &token).await;
        let public = public_identity(&app);
        let ask = || {
            public
                .get_open_id_token()
                .identity_id(&hank)
                .logins(&up.provider, &token)
                .send()
        };
        ask()
            .await
            .expect("allowed while AllowClassicFlow is not set");

        set_token_mapping(&app, &pool, &format!("{}:{}", up.provider, up.client)).await;
        let e = expect_code(ask().await, "InvalidParameterException");
        assert_eq!(
            e.message,
            "Basic (classic) flow is not supported with RoleMappings, please use enhanced flow."
        );
        // The enhanced flow is fine with it.
        assert_eq!(
            resolve(&app, &hank, &[(&up.provider, &token)], None)
                .await
                .expect("resolve")
                .role_arn,
            AUTH_ROLE
        );

        identity(&app)
            .update_identity_pool()
            .identity_pool_id(&pool)
            .identity_pool_name("enhanced only")
            .allow_unauthenticated_identities(true)
            .allow_classic_flow(false)
            .cognito_identity_providers(provider(&up, &up.client))
            .send()
            .await
            .expect("UpdateIdentityPool");
        let e = expect_code(ask().await, "InvalidParameterException");
        assert_eq!(
            e.message,
            "Basic (classic) flow is not enabled, please use enhanced flow."
        );
    })
    .await;
}
