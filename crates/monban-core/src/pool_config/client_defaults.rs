//! An app client's stored configuration from CreateUserPoolClient or UpdateUserPoolClient,
//! with Cognito's defaults for what the request omits (UpdateUserPoolClient is documented
//! to reset omitted settings to their defaults too).

use monban_wire::idp::{
    CreateUserPoolClientRequest, ExplicitAuthFlowsType, PreventUserExistenceErrorTypes,
    TimeUnitsType, TokenValidityUnitsType, UpdateUserPoolClientRequest, UserPoolClientType,
};

/// Token lifetimes as Cognito shows them for a client created without any: access and ID
/// tokens 60 minutes, refresh tokens 30 days.
const ACCESS_DEFAULT_SECONDS: i64 = 3600;
const REFRESH_DEFAULT_SECONDS: i64 = 30 * 86_400;
const AUTH_SESSION_DEFAULT_MINUTES: i32 = 3;

/// Seconds in one `unit`.
pub(crate) fn unit_seconds(unit: TimeUnitsType) -> i64 {
    match unit {
        TimeUnitsType::Seconds => 1,
        TimeUnitsType::Minutes => 60,
        TimeUnitsType::Hours => 3600,
        TimeUnitsType::Days => 86_400,
    }
}

/// The flows a client has when the request names none.
pub fn default_explicit_auth_flows() -> Vec<ExplicitAuthFlowsType> {
    vec![
        ExplicitAuthFlowsType::AllowRefreshTokenAuth,
        ExplicitAuthFlowsType::AllowUserSrpAuth,
        ExplicitAuthFlowsType::AllowCustomAuth,
    ]
}

/// The stored configuration of a new client (everything but id, name, secret and dates).
pub fn client_config_from_create(r: &CreateUserPoolClientRequest) -> UserPoolClientType {
    let mut config = UserPoolClientType {
        access_token_validity: r.access_token_validity,
        allowed_o_auth_flows: r.allowed_o_auth_flows.clone(),
        allowed_o_auth_flows_user_pool_client: r.allowed_o_auth_flows_user_pool_client,
        allowed_o_auth_scopes: r.allowed_o_auth_scopes.clone(),
        analytics_configuration: r.analytics_configuration.clone(),
        auth_session_validity: r.auth_session_validity,
        callback_ur_ls: r.callback_ur_ls.clone(),
        default_redirect_uri: r.default_redirect_uri.clone(),
        enable_propagate_additional_user_context_data: r
            .enable_propagate_additional_user_context_data,
        enable_token_revocation: r.enable_token_revocation,
        explicit_auth_flows: r.explicit_auth_flows.clone(),
        id_token_validity: r.id_token_validity,
        logout_ur_ls: r.logout_ur_ls.clone(),
        prevent_user_existence_errors: r.prevent_user_existence_errors,
        read_attributes: r.read_attributes.clone(),
        refresh_token_rotation: r.refresh_token_rotation.clone(),
        refresh_token_validity: r.refresh_token_validity,
        supported_identity_providers: r.supported_identity_providers.clone(),
        token_validity_units: r.token_validity_units.clone(),
        write_attributes: r.write_attributes.clone(),
        ..UserPoolClientType::default()
    };
    fill_defaults(&mut config);
    config
}

/// The stored configuration after UpdateUserPoolClient: only what the request says, with
/// defaults for the rest. The client's id, name (when omitted) and secret are kept by the
/// caller.
pub fn client_config_from_update(r: &UpdateUserPoolClientRequest) -> UserPoolClientType {
    let mut config = UserPoolClientType {
        access_token_validity: r.access_token_validity,
        allowed_o_auth_flows: r.allowed_o_auth_flows.clone(),
        allowed_o_auth_flows_user_pool_client: r.allowed_o_auth_flows_user_pool_client,
        allowed_o_auth_scopes: r.allowed_o_auth_scopes.clone(),
        analytics_configuration: r.analytics_configuration.clone(),
        auth_session_validity: r.auth_session_validity,
        callback_ur_ls: r.callback_ur_ls.clone(),
        default_redirect_uri: r.default_redirect_uri.clone(),
        enable_propagate_additional_user_context_data: r
            .enable_propagate_additional_user_context_data,
        enable_token_revocation: r.enable_token_revocation,
        explicit_auth_flows: r.explicit_auth_flows.clone(),
        id_token_validity: r.id_token_validity,
        logout_ur_ls: r.logout_ur_ls.clone(),
        prevent_user_existence_errors: r.prevent_user_existence_errors,
        read_attributes: r.read_attributes.clone(),
        refresh_token_rotation: r.refresh_token_rotation.clone(),
        refresh_token_validity: r.refresh_token_validity,
        supported_identity_providers: r.supported_identity_providers.clone(),
        token_validity_units: r.token_validity_units.clone(),
        write_attributes: r.write_attributes.clone(),
        ..UserPoolClientType::default()
    };
    fill_defaults(&mut config);
    config
}

fn fill_defaults(c: &mut UserPoolClientType) {
    let units = c.token_validity_units.take().unwrap_or_default();
    let (access, access_unit) = validity(
        c.access_token_validity,
        units.access_token,
        ACCESS_DEFAULT_SECONDS,
        TimeUnitsType::Minutes,
        TimeUnitsType::Hours,
    );
    let (id, id_unit) = validity(
        c.id_token_validity,
        units.id_token,
        ACCESS_DEFAULT_SECONDS,
        TimeUnitsType::Minutes,
        TimeUnitsType::Hours,
    );
    // A refresh validity of 0 means the default (documented).
    let (refresh, refresh_unit) = validity(
        c.refresh_token_validity.filter(|v| *v != 0),
        units.refresh_token,
        REFRESH_DEFAULT_SECONDS,
        TimeUnitsType::Days,
        TimeUnitsType::Days,
    );
    c.access_token_validity = Some(access);
    c.id_token_validity = Some(id);
    c.refresh_token_validity = Some(refresh);
    c.token_validity_units = Some(TokenValidityUnitsType {
        access_token: Some(access_unit),
        id_token: Some(id_unit),
        refresh_token: Some(refresh_unit),
    });
    if c.explicit_auth_flows.is_none() {
        c.explicit_auth_flows = Some(default_explicit_auth_flows());
    }
    c.auth_session_validity = Some(
        c.auth_session_validity
            .unwrap_or(AUTH_SESSION_DEFAULT_MINUTES),
    );
    c.enable_token_revocation = Some(c.enable_token_revocation.unwrap_or(true));
    c.prevent_user_existence_errors = Some(
        c.prevent_user_existence_errors
            .unwrap_or(PreventUserExistenceErrorTypes::Legacy),
    );
    c.allowed_o_auth_flows_user_pool_client =
        Some(c.allowed_o_auth_flows_user_pool_client.unwrap_or(false));
    c.enable_propagate_additional_user_context_data = Some(
        c.enable_propagate_additional_user_context_data
            .unwrap_or(false),
    );
}

/// One token lifetime and its unit. A value without a unit is in the API's default unit
/// (`api_unit`); no value means the default lifetime, in the given unit when it expresses
/// it exactly, else in `shown_unit` (the unit Cognito shows defaults in).
fn validity(
    value: Option<i32>,
    unit: Option<TimeUnitsType>,
    default_seconds: i64,
    shown_unit: TimeUnitsType,
    api_unit: TimeUnitsType,
) -> (i32, TimeUnitsType) {
    if let Some(value) = value {
        return (value, unit.unwrap_or(api_unit));
    }
    let in_unit = |u: TimeUnitsType| {
        let per = unit_seconds(u);
        (default_seconds % per == 0)
            .then(|| i32::try_from(default_seconds / per).ok())
            .flatten()
    };
    if let Some(u) = unit {
        if let Some(v) = in_unit(u) {
            return (v, u);
        }
    }
    (in_unit(shown_unit).unwrap_or(1), shown_unit)
}
