//! Which flows a request may use: the API (some flows belong to the admin API only) and the
//! client's `ExplicitAuthFlows` (flows.md §1).

use monban_wire::idp::{AuthFlowType, ExplicitAuthFlowsType as F};

use super::messages::not_supported;
use super::Api;
use crate::entities::AppClient;
use crate::error::Error;
use crate::pool_config::default_explicit_auth_flows;

/// The flows monban runs, after the checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, ADMIN_NO_SRP_AUTH.
    Password,
    /// USER_SRP_AUTH.
    Srp,
    /// CUSTOM_AUTH.
    Custom,
    /// REFRESH_TOKEN_AUTH, REFRESH_TOKEN.
    Refresh,
}

/// The flow to run for `requested` through `api`, or Cognito's refusal:
/// `InvalidParameterException: Initiate Auth method not supported.` for a flow of the other
/// API, `<FLOW> flow not enabled for this client` when the client does not allow it.
pub fn check_flow(client: &AppClient, api: Api, requested: AuthFlowType) -> Result<Flow, Error> {
    use AuthFlowType as A;
    if api == Api::HostedUi && requested == A::UserPasswordAuth {
        return Ok(Flow::Password);
    }
    let wrong_api = match requested {
        A::UserPasswordAuth => api == Api::Admin,
        A::AdminUserPasswordAuth | A::AdminNoSrpAuth => api != Api::Admin,
        _ => false,
    };
    if wrong_api {
        return Err(Error::invalid_parameter(
            "Initiate Auth method not supported.",
        ));
    }
    if !enabled(client, requested) {
        return Err(Error::invalid_parameter(format!(
            "{} flow not enabled for this client",
            requested.as_str()
        )));
    }
    match requested {
        A::UserPasswordAuth | A::AdminUserPasswordAuth | A::AdminNoSrpAuth => Ok(Flow::Password),
        A::UserSrpAuth => Ok(Flow::Srp),
        A::RefreshTokenAuth | A::RefreshToken => Ok(Flow::Refresh),
        A::CustomAuth => Ok(Flow::Custom),
        A::UserAuth => Err(not_supported("The USER_AUTH flow")),
    }
}

/// Whether the client's `ExplicitAuthFlows` allow `flow`. A list of only legacy values (no
/// `ALLOW_` one) keeps the legacy meaning: SRP and refresh always allowed, unless
/// `CUSTOM_AUTH_FLOW_ONLY`.
pub fn enabled(client: &AppClient, flow: AuthFlowType) -> bool {
    let flows = client
        .config
        .explicit_auth_flows
        .clone()
        .unwrap_or_else(default_explicit_auth_flows);
    let has = |f: F| flows.contains(&f);
    let legacy = !flows.is_empty() && !flows.iter().any(|f| f.as_str().starts_with("ALLOW_"));
    let legacy_default = legacy && !has(F::CustomAuthFlowOnly);
    match flow {
        AuthFlowType::UserSrpAuth => has(F::AllowUserSrpAuth) || legacy_default,
        AuthFlowType::RefreshTokenAuth | AuthFlowType::RefreshToken => {
            has(F::AllowRefreshTokenAuth) || legacy_default
        }
        AuthFlowType::UserPasswordAuth => has(F::AllowUserPasswordAuth) || has(F::UserPasswordAuth),
        AuthFlowType::AdminUserPasswordAuth | AuthFlowType::AdminNoSrpAuth => {
            has(F::AllowAdminUserPasswordAuth) || has(F::AdminNoSrpAuth)
        }
        AuthFlowType::CustomAuth => has(F::AllowCustomAuth) || has(F::CustomAuthFlowOnly),
        AuthFlowType::UserAuth => has(F::AllowUserAuth),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use monban_wire::idp::UserPoolClientType;
    use monban_wire::ErrorKind;

    use super::*;

    fn client(flows: Option<Vec<F>>) -> AppClient {
        AppClient {
            pool_id: "us-east-1_AbCdEf123".to_owned(),
            client_id: "client".to_owned(),
            name: "app".to_owned(),
            secret: None,
            created_ms: 0,
            modified_ms: 0,
            version: 1,
            config: UserPoolClientType {
                explicit_auth_flows: flows,
                ..UserPoolClientType::default()
            },
        }
    }

    #[test]
    fn default_flows_are_srp_refresh_and_custom() {
        let c = client(None);
        assert_eq!(
            check_flow(&c, Api::Public, AuthFlowType::UserSrpAuth).unwrap(),
            Flow::Srp
        );
        assert_eq!(
            check_flow(&c, Api::Admin, AuthFlowType::RefreshTokenAuth).unwrap(),
            Flow::Refresh
        );
        let e = check_flow(&c, Api::Public, AuthFlowType::UserPasswordAuth).unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidParameterException);
        assert_eq!(
            e.message,
            "USER_PASSWORD_AUTH flow not enabled for this client"
        );
        assert_eq!(
            check_flow(&c, Api::Admin, AuthFlowType::CustomAuth).unwrap(),
            Flow::Custom
        );
        // Enabled, but not implemented: refused, never faked.
        let c = client(Some(vec![F::AllowUserAuth]));
        let e = check_flow(&c, Api::Public, AuthFlowType::UserAuth).unwrap_err();
        assert!(e.message.contains("not supported"), "{e:?}");
    }

    #[test]
    fn admin_flows_belong_to_the_admin_api() {
        let c = client(Some(vec![
            F::AllowAdminUserPasswordAuth,
            F::AllowUserPasswordAuth,
        ]));
        for flow in [
            AuthFlowType::AdminUserPasswordAuth,
            AuthFlowType::AdminNoSrpAuth,
        ] {
            assert_eq!(check_flow(&c, Api::Admin, flow).unwrap(), Flow::Password);
            let e = check_flow(&c, Api::Public, flow).unwrap_err();
            assert_eq!(e.message, "Initiate Auth method not supported.");
        }
        let e = check_flow(&c, Api::Admin, AuthFlowType::UserPasswordAuth).unwrap_err();
        assert_eq!(e.message, "Initiate Auth method not supported.");
        let e = check_flow(&c, Api::Admin, AuthFlowType::UserSrpAuth).unwrap_err();
        assert_eq!(e.message, "USER_SRP_AUTH flow not enabled for this client");
    }

    #[test]
    fn the_hosted_ui_signs_in_with_the_password_whatever_the_client_allows() {
        let c = client(Some(vec![F::AllowUserSrpAuth]));
        assert_eq!(
            check_flow(&c, Api::HostedUi, AuthFlowType::UserPasswordAuth).unwrap(),
            Flow::Password
        );
        // Never the admin flows.
        let e = check_flow(&c, Api::HostedUi, AuthFlowType::AdminNoSrpAuth).unwrap_err();
        assert_eq!(e.message, "Initiate Auth method not supported.");
    }

    #[test]
    fn legacy_lists_keep_their_meaning() {
        let c = client(Some(vec![F::AdminNoSrpAuth]));
        assert!(enabled(&c, AuthFlowType::AdminUserPasswordAuth));
        assert!(enabled(&c, AuthFlowType::UserSrpAuth));
        assert!(enabled(&c, AuthFlowType::RefreshToken));
        assert!(!enabled(&c, AuthFlowType::UserPasswordAuth));
        let c = client(Some(vec![F::UserPasswordAuth]));
        assert!(enabled(&c, AuthFlowType::UserPasswordAuth));
        let c = client(Some(vec![F::CustomAuthFlowOnly]));
        assert!(!enabled(&c, AuthFlowType::UserSrpAuth));
        assert!(enabled(&c, AuthFlowType::CustomAuth));
        let c = client(Some(vec![]));
        assert!(!enabled(&c, AuthFlowType::UserSrpAuth));
    }
}
