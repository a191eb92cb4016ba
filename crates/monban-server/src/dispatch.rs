//! The one place that maps an operation name to its core function: one line per
//! implemented operation. A known operation without a line answers
//! `OperationNotEnabledException`, never a fake success.

use axum::response::Response;
use monban_core::ops::{
    app_clients, auth, auth_events, devices, domains, groups, identity_pools, mfa,
    resource_servers, self_service, sign_up, tokens, ui_customization, user_import, user_pools,
    users,
};
use monban_core::{Caller, Cx, Error, Iam};
use monban_wire::schema::Operation;
use monban_wire::ErrorKind;
use monban_wire::Service;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::api::Api;
use crate::app::App;
use crate::response;
use crate::sigv4::missing_token;

pub async fn dispatch(
    app: &App,
    api: Api,
    op: &'static Operation,
    caller: Caller,
    body: &[u8],
) -> Result<Response, Error> {
    let c = Call {
        app,
        service: api.service(),
        op,
        caller,
        body,
    };
    match api {
        Api::UserPools => user_pool_api(c).await,
        Api::IdentityPools => identity_pool_api(c).await,
    }
}

async fn identity_pool_api(c: Call<'_>) -> Result<Response, Error> {
    match c.op.name {
        // Identity pools
        "CreateIdentityPool" => c.iam(identity_pools::create_identity_pool).await,
        "DeleteIdentityPool" => c.iam(identity_pools::delete_identity_pool).await,
        "DescribeIdentityPool" => c.iam(identity_pools::describe_identity_pool).await,
        "GetIdentityPoolRoles" => c.iam(identity_pools::get_identity_pool_roles).await,
        "GetPrincipalTagAttributeMap" => {
            c.iam(identity_pools::get_principal_tag_attribute_map).await
        }
        "ListIdentityPools" => c.iam(identity_pools::list_identity_pools).await,
        "SetIdentityPoolRoles" => c.iam(identity_pools::set_identity_pool_roles).await,
        "SetPrincipalTagAttributeMap" => {
            c.iam(identity_pools::set_principal_tag_attribute_map).await
        }
        "UpdateIdentityPool" => c.iam(identity_pools::update_identity_pool).await,
        // Identities and developer-authenticated identities
        "DeleteIdentities" => c.iam(identity_pools::delete_identities).await,
        "DescribeIdentity" => c.iam(identity_pools::describe_identity).await,
        "GetOpenIdTokenForDeveloperIdentity" => {
            c.iam(identity_pools::get_open_id_token_for_developer_identity)
                .await
        }
        "ListIdentities" => c.iam(identity_pools::list_identities).await,
        "LookupDeveloperIdentity" => c.iam(identity_pools::lookup_developer_identity).await,
        "MergeDeveloperIdentities" => c.iam(identity_pools::merge_developer_identities).await,
        "UnlinkDeveloperIdentity" => c.iam(identity_pools::unlink_developer_identity).await,
        // Tags
        "ListTagsForResource" => c.iam(identity_pools::list_tags_for_resource).await,
        "TagResource" => c.iam(identity_pools::tag_resource).await,
        "UntagResource" => c.iam(identity_pools::untag_resource).await,
        // Credential vending (public)
        "GetId" => c.public(identity_pools::get_id).await,
        "GetOpenIdToken" => c.public(identity_pools::get_open_id_token).await,
        "UnlinkIdentity" => c.public(identity_pools::unlink_identity).await,
        "GetCredentialsForIdentity" => c.public(identity_pools::get_credentials_for_identity).await,
        _ => Err(not_implemented(c.op)),
    }
}

async fn user_pool_api(c: Call<'_>) -> Result<Response, Error> {
    match c.op.name {
        // User pools
        "AddCustomAttributes" => c.iam(user_pools::add_custom_attributes).await,
        "CreateUserPool" => c.iam(user_pools::create_user_pool).await,
        "DeleteUserPool" => c.iam(user_pools::delete_user_pool).await,
        "DescribeUserPool" => c.iam(user_pools::describe_user_pool).await,
        "GetUserPoolMfaConfig" => c.iam(user_pools::get_user_pool_mfa_config).await,
        "ListUserPools" => c.iam(user_pools::list_user_pools).await,
        "SetUserPoolMfaConfig" => c.iam(user_pools::set_user_pool_mfa_config).await,
        "UpdateUserPool" => c.iam(user_pools::update_user_pool).await,
        // App clients
        "CreateUserPoolClient" => c.iam(app_clients::create_user_pool_client).await,
        "DeleteUserPoolClient" => c.iam(app_clients::delete_user_pool_client).await,
        "DescribeUserPoolClient" => c.iam(app_clients::describe_user_pool_client).await,
        "ListUserPoolClients" => c.iam(app_clients::list_user_pool_clients).await,
        "UpdateUserPoolClient" => c.iam(app_clients::update_user_pool_client).await,
        // Users (admin)
        "AdminConfirmSignUp" => c.iam(users::admin_confirm_sign_up).await,
        "AdminCreateUser" => c.iam(users::admin_create_user).await,
        "AdminDeleteUser" => c.iam(users::admin_delete_user).await,
        "AdminDeleteUserAttributes" => c.iam(users::admin_delete_user_attributes).await,
        "AdminDisableUser" => c.iam(users::admin_disable_user).await,
        "AdminEnableUser" => c.iam(users::admin_enable_user).await,
        "AdminGetUser" => c.iam(users::admin_get_user).await,
        "AdminResetUserPassword" => c.iam(users::admin_reset_user_password).await,
        "AdminSetUserPassword" => c.iam(users::admin_set_user_password).await,
        "AdminUpdateUserAttributes" => c.iam(users::admin_update_user_attributes).await,
        // Auth events (from the audit trail)
        "AdminListUserAuthEvents" => c.iam(auth_events::admin_list_user_auth_events).await,
        "AdminUpdateAuthEventFeedback" => {
            c.iam(auth_events::admin_update_auth_event_feedback).await
        }
        "ListUsers" => c.iam(users::list_users).await,
        // CSV user import jobs
        "CreateUserImportJob" => c.iam(user_import::create_user_import_job).await,
        "DescribeUserImportJob" => c.iam(user_import::describe_user_import_job).await,
        "GetCSVHeader" => c.iam(user_import::get_csv_header).await,
        "ListUserImportJobs" => c.iam(user_import::list_user_import_jobs).await,
        "StartUserImportJob" => c.iam(user_import::start_user_import_job).await,
        "StopUserImportJob" => c.iam(user_import::stop_user_import_job).await,
        // Groups
        "AdminAddUserToGroup" => c.iam(groups::admin_add_user_to_group).await,
        "AdminListGroupsForUser" => c.iam(groups::admin_list_groups_for_user).await,
        "AdminRemoveUserFromGroup" => c.iam(groups::admin_remove_user_from_group).await,
        "CreateGroup" => c.iam(groups::create_group).await,
        "DeleteGroup" => c.iam(groups::delete_group).await,
        "GetGroup" => c.iam(groups::get_group).await,
        "ListGroups" => c.iam(groups::list_groups).await,
        "ListUsersInGroup" => c.iam(groups::list_users_in_group).await,
        "UpdateGroup" => c.iam(groups::update_group).await,
        // Self-service (access token)
        "ChangePassword" => c.public(self_service::change_password).await,
        "DeleteUser" => c.public(self_service::delete_user).await,
        "DeleteUserAttributes" => c.public(self_service::delete_user_attributes).await,
        "GetUser" => c.public(self_service::get_user).await,
        "GetUserAttributeVerificationCode" => {
            c.public(self_service::get_user_attribute_verification_code)
                .await
        }
        "UpdateUserAttributes" => c.public(self_service::update_user_attributes).await,
        "VerifyUserAttribute" => c.public(self_service::verify_user_attribute).await,
        // Tokens
        "AdminUserGlobalSignOut" => c.iam(tokens::admin_user_global_sign_out).await,
        "GetTokensFromRefreshToken" => c.public(tokens::get_tokens_from_refresh_token).await,
        "GlobalSignOut" => c.public(tokens::global_sign_out).await,
        "RevokeToken" => c.public(tokens::revoke_token).await,
        // Sign-up and account recovery
        "ConfirmForgotPassword" => c.public(sign_up::confirm_forgot_password).await,
        "ConfirmSignUp" => c.public(sign_up::confirm_sign_up).await,
        "ForgotPassword" => c.public(sign_up::forgot_password).await,
        "ResendConfirmationCode" => c.public(sign_up::resend_confirmation_code).await,
        "SignUp" => c.public(sign_up::sign_up).await,
        // Sign-in
        "AdminInitiateAuth" => c.iam(auth::admin_initiate_auth).await,
        "AdminRespondToAuthChallenge" => c.iam(auth::admin_respond_to_auth_challenge).await,
        "InitiateAuth" => c.public(auth::initiate_auth).await,
        "RespondToAuthChallenge" => c.public(auth::respond_to_auth_challenge).await,
        // Devices
        "AdminForgetDevice" => c.iam(devices::admin_forget_device).await,
        "AdminGetDevice" => c.iam(devices::admin_get_device).await,
        "AdminListDevices" => c.iam(devices::admin_list_devices).await,
        "AdminUpdateDeviceStatus" => c.iam(devices::admin_update_device_status).await,
        "ConfirmDevice" => c.public(devices::confirm_device).await,
        "ForgetDevice" => c.public(devices::forget_device).await,
        "GetDevice" => c.public(devices::get_device).await,
        "ListDevices" => c.public(devices::list_devices).await,
        "UpdateDeviceStatus" => c.public(devices::update_device_status).await,
        // MFA
        "AdminDeleteSoftwareToken" => c.iam(mfa::admin_delete_software_token).await,
        "AdminSetUserMFAPreference" => c.iam(mfa::admin_set_user_mfa_preference).await,
        "AdminSetUserSettings" => c.iam(mfa::admin_set_user_settings).await,
        "AssociateSoftwareToken" => c.public(mfa::associate_software_token).await,
        "SetUserMFAPreference" => c.public(mfa::set_user_mfa_preference).await,
        "SetUserSettings" => c.public(mfa::set_user_settings).await,
        "VerifySoftwareToken" => c.public(mfa::verify_software_token).await,
        "CreateUserPoolDomain" => c.iam(domains::create_user_pool_domain).await,
        "DescribeUserPoolDomain" => c.iam(domains::describe_user_pool_domain).await,
        "UpdateUserPoolDomain" => c.iam(domains::update_user_pool_domain).await,
        "DeleteUserPoolDomain" => c.iam(domains::delete_user_pool_domain).await,
        "CreateResourceServer" => c.iam(resource_servers::create_resource_server).await,
        "DescribeResourceServer" => c.iam(resource_servers::describe_resource_server).await,
        "UpdateResourceServer" => c.iam(resource_servers::update_resource_server).await,
        "DeleteResourceServer" => c.iam(resource_servers::delete_resource_server).await,
        "ListResourceServers" => c.iam(resource_servers::list_resource_servers).await,
        "SetUICustomization" => c.iam(ui_customization::set_ui_customization).await,
        "GetUICustomization" => c.iam(ui_customization::get_ui_customization).await,
        _ => Err(not_implemented(c.op)),
    }
}

fn not_implemented(op: &Operation) -> Error {
    Error::new(
        ErrorKind::OperationNotEnabledException,
        format!("monban does not implement {} yet.", op.name),
    )
}

/// One authenticated request on its way to a core operation.
struct Call<'a> {
    app: &'a App,
    service: &'static Service,
    op: &'static Operation,
    caller: Caller,
    body: &'a [u8],
}

impl Call<'_> {
    fn decode<Req: DeserializeOwned>(&self) -> Result<Req, Error> {
        monban_wire::decode(self.service, self.op, self.body)
            .map_err(|e| Error::new(e.kind, e.message))
    }

    /// An IAM-only operation: unreachable without a verified SigV4 signature.
    async fn iam<Req, Resp>(
        &self,
        op: impl AsyncFn(&Cx, &Iam, Req) -> Result<Resp, Error>,
    ) -> Result<Response, Error>
    where
        Req: DeserializeOwned,
        Resp: Serialize,
    {
        let Caller::Iam(iam) = &self.caller else {
            return Err(missing_token());
        };
        let req = self.decode::<Req>()?;
        let output = op(&self.app.cx, iam, req).await?;
        Ok(response::ok(&output))
    }

    /// An operation any client may call (authorised by client id, secret hash or access
    /// token inside core); it also learns whether a signature was verified.
    #[allow(dead_code)] // the public operations (SignUp, InitiateAuth...) are not written yet
    async fn public<Req, Resp>(
        &self,
        op: impl AsyncFn(&Cx, Caller, Req) -> Result<Resp, Error>,
    ) -> Result<Response, Error>
    where
        Req: DeserializeOwned,
        Resp: Serialize,
    {
        let req = self.decode::<Req>()?;
        let output = op(&self.app.cx, self.caller.clone(), req).await?;
        Ok(response::ok(&output))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use axum::body::to_bytes;
    use axum::http::StatusCode;
    use monban_wire::idp::{DescribeUserPoolRequest, DescribeUserPoolResponse};
    use monban_wire::schema::AuthKind;

    use super::*;

    /// Shaped like a core operation: borrows `cx` and `iam` across an await.
    async fn probe(
        cx: &Cx,
        iam: &Iam,
        req: DescribeUserPoolRequest,
    ) -> Result<DescribeUserPoolResponse, Error> {
        let pool = cx.store.get_user_pool(&req.user_pool_id).await;
        Err(Error::resource_not_found(format!(
            "{} asked for {} ({})",
            iam.access_key_id,
            req.user_pool_id,
            if pool.is_ok() { "found" } else { "store down" }
        )))
    }

    fn assert_send<T: Send>(_: &T) {}

    /// A misspelt arm would never match; an IAM helper on an unsigned operation would never
    /// be reachable. Read the table itself to rule both out.
    #[test]
    fn every_dispatch_line_names_a_model_operation_of_its_auth_class() {
        let source = include_str!("dispatch.rs");
        let mut lines = 0;
        for line in source.lines().map(str::trim) {
            let Some((name, arm)) = line
                .strip_prefix('"')
                .and_then(|rest| rest.split_once("\" => "))
            else {
                continue;
            };
            let op = monban_wire::IDP
                .operation(name)
                .or_else(|| monban_wire::IDENTITY.operation(name))
                .unwrap_or_else(|| panic!("{name} is not a Cognito operation"));
            if arm.starts_with("c.iam(") {
                assert_eq!(op.auth, AuthKind::SigV4, "{name}");
            }
            lines += 1;
        }
        assert!(lines >= 20, "only {lines} dispatch lines found");
    }

    fn call<'a>(app: &'a App, caller: Caller, body: &'a [u8]) -> Call<'a> {
        Call {
            app,
            service: &monban_wire::IDP,
            op: monban_wire::IDP.operation("DescribeUserPool").unwrap(),
            caller,
            body,
        }
    }

    #[tokio::test]
    async fn iam_operations_need_an_iam_caller_and_a_valid_body() {
        let app = crate::router_tests::harness().app;
        let iam = Caller::Iam(Iam {
            access_key_id: "AKIDMONBAN".to_owned(),
        });
        let body = br#"{"UserPoolId":"us-east-1_AbC123xyZ"}"#;

        let c = call(&app, iam.clone(), body);
        let future = c.iam(probe);
        assert_send(&future);
        let e = future.await.unwrap_err();
        assert_eq!(e.kind, ErrorKind::ResourceNotFoundException);
        assert_eq!(
            e.message,
            "AKIDMONBAN asked for us-east-1_AbC123xyZ (store down)"
        );

        let e = call(&app, Caller::Public, body)
            .iam(probe)
            .await
            .unwrap_err();
        assert_eq!(e.kind, ErrorKind::MissingAuthenticationTokenException);

        let e = call(&app, iam.clone(), b"{}").iam(probe).await.unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidParameterException);
        assert!(e.message.contains("userPoolId"), "{}", e.message);

        let e = call(&app, iam, b"{").iam(probe).await.unwrap_err();
        assert_eq!(e.kind, ErrorKind::SerializationException);
    }

    #[tokio::test]
    async fn outputs_are_encoded_as_json() {
        async fn echo(
            _: &Cx,
            _: Caller,
            req: DescribeUserPoolRequest,
        ) -> Result<monban_wire::Empty, Error> {
            assert_eq!(req.user_pool_id, "us-east-1_AbC123xyZ");
            Ok(monban_wire::Empty {})
        }
        let app = crate::router_tests::harness().app;
        let body = br#"{"UserPoolId":"us-east-1_AbC123xyZ"}"#;
        let response = call(&app, Caller::Public, body).public(echo).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let bytes = to_bytes(response.into_body(), usize::MAX).await.unwrap();
        assert_eq!(&bytes[..], b"{}");
    }
}
