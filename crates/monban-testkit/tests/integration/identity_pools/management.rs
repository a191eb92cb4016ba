//! Identity pool management: create, describe, update, list, delete, roles, principal tag
//! maps, tags, and their errors.

use aws_sdk_cognitoidentity::types::{
    AmbiguousRoleResolutionType, MappingRule, MappingRuleMatchType, RoleMapping, RoleMappingType,
    RulesConfigurationType,
};
use monban_core::identity_pools::identity_pool_arn;
use monban_testkit::{each_backend, expect_code, unique_name};

use super::{identity, provider, public_identity, user_pool, AUTH_ROLE, UNAUTH_ROLE};

#[tokio::test]
async fn identity_pools_are_created_described_updated_and_deleted() {
    each_backend(|app| async move {
        let up = user_pool(&app).await;
        let client = identity(&app);
        let name = unique_name("Photos app ");
        let created = client
            .create_identity_pool()
            .identity_pool_name(&name)
            .allow_unauthenticated_identities(true)
            .allow_classic_flow(true)
            .cognito_identity_providers(provider(&up, &up.client))
            .developer_provider_name("login.example.app")
            .supported_login_providers("graph.facebook.com", "1234567890")
            .identity_pool_tags("team", "photos")
            .send()
            .await
            .expect("CreateIdentityPool");
        let id = created.identity_pool_id().to_owned();
        assert!(super::is_identity_id(&id), "{id}");
        assert_eq!(created.identity_pool_name(), name);
        assert!(created.allow_unauthenticated_identities());
        assert_eq!(created.allow_classic_flow(), Some(true));
        assert_eq!(created.developer_provider_name(), Some("login.example.app"));
        let providers = created.cognito_identity_providers();
        assert_eq!(providers.len(), 1);
        assert_eq!(providers[0].provider_name(), Some(up.provider.as_str()));
        assert_eq!(providers[0].client_id(), Some(up.client.as_str()));
        assert_eq!(
            created
                .identity_pool_tags()
                .and_then(|t| t.get("team"))
                .map(String::as_str),
            Some("photos")
        );

        let described = client
            .describe_identity_pool()
            .identity_pool_id(&id)
            .send()
            .await
            .expect("DescribeIdentityPool");
        assert_eq!(described.identity_pool_name(), name);
        assert_eq!(
            described
                .supported_login_providers()
                .and_then(|m| m.get("graph.facebook.com"))
                .map(String::as_str),
            Some("1234567890")
        );

        // Update replaces the settings; the developer provider name and tags stay.
        let updated = client
            .update_identity_pool()
            .identity_pool_id(&id)
            .identity_pool_name("Renamed")
            .allow_unauthenticated_identities(false)
            .send()
            .await
            .expect("UpdateIdentityPool");
        assert_eq!(updated.identity_pool_name(), "Renamed");
        assert!(!updated.allow_unauthenticated_identities());
        assert!(updated.cognito_identity_providers().is_empty());
        assert_eq!(updated.developer_provider_name(), Some("login.example.app"));
        assert!(updated
            .identity_pool_tags()
            .is_some_and(|t| t.contains_key("team")));
        let e = expect_code(
            client
                .update_identity_pool()
                .identity_pool_id(&id)
                .identity_pool_name("Renamed")
                .allow_unauthenticated_identities(false)
                .developer_provider_name("login.other")
                .send()
                .await,
            "InvalidParameterException",
        );
        assert!(e.message.contains("DeveloperProviderName"), "{}", e.message);

        client
            .delete_identity_pool()
            .identity_pool_id(&id)
            .send()
            .await
            .expect("DeleteIdentityPool");
        let e = expect_code(
            client
                .describe_identity_pool()
                .identity_pool_id(&id)
                .send()
                .await,
            "ResourceNotFoundException",
        );
        assert_eq!(e.message, format!("IdentityPool '{id}' not found."));
        expect_code(
            client
                .delete_identity_pool()
                .identity_pool_id(&id)
                .send()
                .await,
            "ResourceNotFoundException",
        );
        expect_code(
            client
                .update_identity_pool()
                .identity_pool_id(&id)
                .identity_pool_name("x")
                .allow_unauthenticated_identities(false)
                .send()
                .await,
            "ResourceNotFoundException",
        );
    })
    .await;
}

#[tokio::test]
async fn bad_settings_and_unsigned_calls_are_refused() {
    each_backend(|app| async move {
        let up = user_pool(&app).await;
        let client = identity(&app);
        for (bad, what) in [
            (
                aws_sdk_cognitoidentity::types::CognitoIdentityProvider::builder()
                    .provider_name("evil.example.com/us-east-1_X")
                    .client_id("c")
                    .build(),
                "ProviderName",
            ),
            (
                aws_sdk_cognitoidentity::types::CognitoIdentityProvider::builder()
                    .provider_name(&up.provider)
                    .build(),
                "ClientId",
            ),
        ] {
            let e = expect_code(
                client
                    .create_identity_pool()
                    .identity_pool_name("bad")
                    .allow_unauthenticated_identities(false)
                    .cognito_identity_providers(bad)
                    .send()
                    .await,
                "InvalidParameterException",
            );
            assert!(e.message.contains(what), "{}", e.message);
        }
        expect_code(
            client
                .create_identity_pool()
                .identity_pool_name("bad")
                .allow_unauthenticated_identities(false)
                .open_id_connect_provider_arns("https://not-an-arn.example.com")
                .send()
                .await,
            "InvalidParameterException",
        );
        // The model's own checks: the name pattern.
        expect_code(
            client
                .create_identity_pool()
                .identity_pool_name("no/slashes")
                .allow_unauthenticated_identities(false)
                .send()
                .await,
            "InvalidParameterException",
        );
        // Management is IAM only.
        let e = public_identity(&app)
            .create_identity_pool()
            .identity_pool_name("x")
            .allow_unauthenticated_identities(true)
            .send()
            .await;
        assert!(e.is_err(), "an unsigned CreateIdentityPool must fail");
    })
    .await;
}

#[tokio::test]
async fn identity_pools_list_by_page() {
    each_backend(|app| async move {
        let client = identity(&app);
        let mut mine = Vec::new();
        for _ in 0..3 {
            mine.push(
                client
                    .create_identity_pool()
                    .identity_pool_name(unique_name("listed "))
                    .allow_unauthenticated_identities(false)
                    .send()
                    .await
                    .expect("CreateIdentityPool")
                    .identity_pool_id
                    .clone(),
            );
        }
        // Other tests' pools may share a PostgreSQL database: walk every page.
        let mut seen = Vec::new();
        let mut next: Option<String> = None;
        let mut pages = 0;
        loop {
            let page = client
                .list_identity_pools()
                .max_results(2)
                .set_next_token(next.clone())
                .send()
                .await
                .expect("ListIdentityPools");
            assert!(page.identity_pools().len() <= 2);
            for p in page.identity_pools() {
                seen.push(p.identity_pool_id().expect("id").to_owned());
                assert!(p.identity_pool_name().is_some());
            }
            pages += 1;
            next = page.next_token().map(str::to_owned);
            if next.is_none() {
                break;
            }
        }
        assert!(pages >= 2);
        let mut sorted = seen.clone();
        sorted.sort();
        assert_eq!(seen, sorted, "ordered by id");
        for id in &mine {
            assert_eq!(seen.iter().filter(|s| *s == id).count(), 1, "{id} once");
        }
        expect_code(
            client.list_identity_pools().max_results(61).send().await,
            "InvalidParameterException",
        );
        expect_code(
            client
                .list_identity_pools()
                .max_results(5)
                .next_token("%%%")
                .send()
                .await,
            "InvalidParameterException",
        );
    })
    .await;
}

fn rules_mapping(rules: Vec<MappingRule>) -> RoleMapping {
    RoleMapping::builder()
        .r#type(RoleMappingType::Rules)
        .ambiguous_role_resolution(AmbiguousRoleResolutionType::Deny)
        .rules_configuration(
            RulesConfigurationType::builder()
                .set_rules(Some(rules))
                .build()
                .expect("rules"),
        )
        .build()
        .expect("mapping")
}

#[tokio::test]
async fn roles_and_role_mappings_are_set_and_read_back() {
    each_backend(|app| async move {
        let up = user_pool(&app).await;
        let client = identity(&app);
        let id = super::identity_pool(&app, &up, true).await;
        let key = format!("{}:{}", up.provider, up.client);
        let rule = MappingRule::builder()
            .claim("custom:department")
            .match_type(MappingRuleMatchType::Equals)
            .value("sales")
            .role_arn("arn:aws:iam::123456789012:role/sales")
            .build()
            .expect("rule");
        client
            .set_identity_pool_roles()
            .identity_pool_id(&id)
            .roles("authenticated", AUTH_ROLE)
            .roles("unauthenticated", UNAUTH_ROLE)
            .role_mappings(&key, rules_mapping(vec![rule.clone()]))
            .send()
            .await
            .expect("SetIdentityPoolRoles");
        let roles = client
            .get_identity_pool_roles()
            .identity_pool_id(&id)
            .send()
            .await
            .expect("GetIdentityPoolRoles");
        assert_eq!(roles.identity_pool_id(), Some(id.as_str()));
        let map = roles.roles().expect("roles");
        assert_eq!(
            map.get("authenticated").map(String::as_str),
            Some(AUTH_ROLE)
        );
        assert_eq!(
            map.get("unauthenticated").map(String::as_str),
            Some(UNAUTH_ROLE)
        );
        let mapping = roles
            .role_mappings()
            .and_then(|m| m.get(&key))
            .expect("mapping");
        assert_eq!(mapping.r#type(), &RoleMappingType::Rules);
        assert_eq!(
            mapping.ambiguous_role_resolution(),
            Some(&AmbiguousRoleResolutionType::Deny)
        );
        assert_eq!(
            mapping.rules_configuration().map(|c| c.rules().to_vec()),
            Some(vec![rule])
        );

        // A Rules mapping needs rules; every mapping needs an ambiguous-role resolution.
        let no_rules = RoleMapping::builder()
            .r#type(RoleMappingType::Rules)
            .ambiguous_role_resolution(AmbiguousRoleResolutionType::Deny)
            .build()
            .expect("mapping");
        let no_resolution = RoleMapping::builder()
            .r#type(RoleMappingType::Token)
            .build()
            .expect("mapping");
        for bad in [no_rules, no_resolution] {
            expect_code(
                client
                    .set_identity_pool_roles()
                    .identity_pool_id(&id)
                    .roles("authenticated", AUTH_ROLE)
                    .role_mappings(&key, bad)
                    .send()
                    .await,
                "InvalidParameterException",
            );
        }
        expect_code(
            client
                .set_identity_pool_roles()
                .identity_pool_id(&id)
                .roles("authenticated", "not-a-role-arn-at-all")
                .send()
                .await,
            "InvalidParameterException",
        );
        expect_code(
            client
                .get_identity_pool_roles()
                .identity_pool_id("us-east-1:00000000-0000-4000-8000-000000000000")
                .send()
                .await,
            "ResourceNotFoundException",
        );

        // Principal tag maps are stored and echoed.
        let set = client
            .set_principal_tag_attribute_map()
            .identity_pool_id(&id)
            .identity_provider_name(&up.provider)
            .principal_tags("dept", "custom:department")
            .use_defaults(false)
            .send()
            .await
            .expect("SetPrincipalTagAttributeMap");
        assert_eq!(set.identity_provider_name(), Some(up.provider.as_str()));
        let got = client
            .get_principal_tag_attribute_map()
            .identity_pool_id(&id)
            .identity_provider_name(&up.provider)
            .send()
            .await
            .expect("GetPrincipalTagAttributeMap");
        assert_eq!(
            got.principal_tags()
                .and_then(|t| t.get("dept"))
                .map(String::as_str),
            Some("custom:department")
        );
        assert_eq!(got.use_defaults(), Some(false));
    })
    .await;
}

#[tokio::test]
async fn tags_are_added_removed_and_listed_by_arn() {
    each_backend(|app| async move {
        let client = identity(&app);
        let id = client
            .create_identity_pool()
            .identity_pool_name(unique_name("tagged "))
            .allow_unauthenticated_identities(false)
            .identity_pool_tags("stage", "dev")
            .send()
            .await
            .expect("CreateIdentityPool")
            .identity_pool_id
            .clone();
        let arn = identity_pool_arn(&app.cx().settings, &id);
        client
            .tag_resource()
            .resource_arn(&arn)
            .tags("team", "photos")
            .tags("stage", "prod")
            .send()
            .await
            .expect("TagResource");
        let tags = client
            .list_tags_for_resource()
            .resource_arn(&arn)
            .send()
            .await
            .expect("ListTagsForResource");
        let tags = tags.tags().expect("tags");
        assert_eq!(tags.len(), 2);
        assert_eq!(tags.get("stage").map(String::as_str), Some("prod"));
        client
            .untag_resource()
            .resource_arn(&arn)
            .tag_keys("stage")
            .tag_keys("absent")
            .send()
            .await
            .expect("UntagResource");
        let described = client
            .describe_identity_pool()
            .identity_pool_id(&id)
            .send()
            .await
            .expect("DescribeIdentityPool");
        let tags = described.identity_pool_tags().expect("tags");
        assert_eq!(tags.len(), 1);
        assert_eq!(tags.get("team").map(String::as_str), Some("photos"));

        expect_code(
            client
                .list_tags_for_resource()
                .resource_arn("arn:aws:cognito-idp:us-east-1:1:userpool/us-east-1_X")
                .send()
                .await,
            "InvalidParameterException",
        );
        expect_code(
            client
                .tag_resource()
                .resource_arn(identity_pool_arn(
                    &app.cx().settings,
                    "us-east-1:00000000-0000-4000-8000-000000000000",
                ))
                .tags("a", "b")
                .send()
                .await,
            "ResourceNotFoundException",
        );
        let mut too_many = client.tag_resource().resource_arn(&arn);
        for n in 0..50 {
            too_many = too_many.tags(format!("k{n}"), "v");
        }
        expect_code(too_many.send().await, "InvalidParameterException");
    })
    .await;
}
