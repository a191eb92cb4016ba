//! The rules Cognito applies to an app client's settings on create and update.

use monban_wire::idp::{ExplicitAuthFlowsType, OAuthFlowType, TimeUnitsType, UserPoolClientType};

use super::client_defaults::unit_seconds;
use super::schema::schema;
use crate::entities::UserPool;
use crate::error::{Error, ErrorKind};

/// The scopes every pool has. Resource-server scopes (`<identifier>/<name>`) exist when a
/// resource server of the pool defines them.
pub const STANDARD_SCOPES: &[&str] = &[
    "phone",
    "email",
    "openid",
    "profile",
    "aws.cognito.signin.user.admin",
];

/// Identity providers every pool has.
const BUILT_IN_PROVIDERS: &[&str] = &["COGNITO"];

/// Checks `config` (defaults already filled) for a client of `pool`. `has_secret` says
/// whether the client has a secret; `action` is `creating` or `updating`, as Cognito's
/// messages say.
pub fn validate_client(
    pool: &UserPool,
    config: &UserPoolClientType,
    has_secret: bool,
    action: &str,
) -> Result<(), Error> {
    validate_client_with_scopes(pool, config, has_secret, action, &[])
}

/// [`validate_client`] for a pool whose resource servers define `custom_scopes`
/// (`{identifier}/{scope}`, as `oauth::custom_scopes_of_pool` lists them): those are
/// valid in `AllowedOAuthScopes` besides the standard ones.
pub fn validate_client_with_scopes(
    pool: &UserPool,
    config: &UserPoolClientType,
    has_secret: bool,
    action: &str,
    custom_scopes: &[String],
) -> Result<(), Error> {
    check_auth_flows(config.explicit_auth_flows.as_deref().unwrap_or_default())?;
    check_validities(config)?;
    check_attributes(pool, config.read_attributes.as_deref(), "read", action)?;
    check_attributes(pool, config.write_attributes.as_deref(), "write", action)?;
    for url in config.callback_ur_ls.iter().flatten() {
        check_redirect_url(url, "CallbackURLs")?;
    }
    for url in config.logout_ur_ls.iter().flatten() {
        check_redirect_url(url, "LogoutURLs")?;
    }
    if let Some(default) = &config.default_redirect_uri {
        check_redirect_url(default, "DefaultRedirectURI")?;
        if !config.callback_ur_ls.iter().flatten().any(|u| u == default) {
            return Err(Error::invalid_parameter(
                "DefaultRedirectURI must be one of the CallbackURLs.",
            ));
        }
    }
    check_oauth(config, has_secret, custom_scopes)?;
    for provider in config.supported_identity_providers.iter().flatten() {
        if !BUILT_IN_PROVIDERS.contains(&provider.as_str()) {
            return Err(Error::invalid_parameter(format!(
                "The provider {provider} does not exist for User Pool {}",
                pool.id
            )));
        }
    }
    if config.enable_propagate_additional_user_context_data == Some(true) && !has_secret {
        return Err(Error::invalid_parameter(
            "EnablePropagateAdditionalUserContextData can only be activated for an app client with a client secret.",
        ));
    }
    Ok(())
}

fn is_legacy_flow(flow: ExplicitAuthFlowsType) -> bool {
    matches!(
        flow,
        ExplicitAuthFlowsType::AdminNoSrpAuth
            | ExplicitAuthFlowsType::CustomAuthFlowOnly
            | ExplicitAuthFlowsType::UserPasswordAuth
    )
}

/// The legacy values (`ADMIN_NO_SRP_AUTH`, `CUSTOM_AUTH_FLOW_ONLY`, `USER_PASSWORD_AUTH`)
/// and the `ALLOW_*` values are two vocabularies; a client uses one.
fn check_auth_flows(flows: &[ExplicitAuthFlowsType]) -> Result<(), Error> {
    let legacy = flows.iter().any(|f| is_legacy_flow(*f));
    let new = flows.iter().any(|f| !is_legacy_flow(*f));
    if legacy && new {
        return Err(Error::invalid_parameter(
            "ExplicitAuthFlows cannot mix the legacy values (ADMIN_NO_SRP_AUTH, CUSTOM_AUTH_FLOW_ONLY, USER_PASSWORD_AUTH) with ALLOW_* values.",
        ));
    }
    Ok(())
}

/// Access and ID tokens live 5 minutes to 1 day, refresh tokens 60 minutes to 10 years and
/// no shorter than the other two (equal is allowed: the refresh minimum, 60 minutes, is
/// the access and ID default).
fn check_validities(c: &UserPoolClientType) -> Result<(), Error> {
    let units = c.token_validity_units.clone().unwrap_or_default();
    let seconds = |value: Option<i32>, unit: Option<TimeUnitsType>| {
        i64::from(value.unwrap_or(0)) * unit.map_or(1, unit_seconds)
    };
    let access = seconds(c.access_token_validity, units.access_token);
    let id = seconds(c.id_token_validity, units.id_token);
    let refresh = seconds(c.refresh_token_validity, units.refresh_token);
    let range = |name: &str, value: i64, min: i64, max: i64, bounds: &str| {
        if value < min || value > max {
            Err(Error::invalid_parameter(format!(
                "{name} must be between {bounds}."
            )))
        } else {
            Ok(())
        }
    };
    range(
        "AccessTokenValidity",
        access,
        300,
        86_400,
        "5 minutes and 1 day",
    )?;
    range("IdTokenValidity", id, 300, 86_400, "5 minutes and 1 day")?;
    range(
        "RefreshTokenValidity",
        refresh,
        3600,
        3650 * 86_400,
        "60 minutes and 10 years",
    )?;
    if refresh < access || refresh < id {
        return Err(Error::invalid_parameter(
            "RefreshTokenValidity cannot be shorter than AccessTokenValidity or IdTokenValidity.",
        ));
    }
    Ok(())
}

fn check_attributes(
    pool: &UserPool,
    names: Option<&[String]>,
    kind: &str,
    action: &str,
) -> Result<(), Error> {
    let Some(names) = names else { return Ok(()) };
    let schema = schema(pool);
    let known = |name: &str| schema.iter().any(|a| a.name.as_deref() == Some(name));
    if names.iter().all(|n| known(n)) {
        Ok(())
    } else {
        Err(Error::invalid_parameter(format!(
            "Invalid {kind} attributes specified while {action} a client"
        )))
    }
}

/// An absolute URL without a fragment; `http` only for the loopback hosts. Other schemes
/// (`myapp://callback`) are app links, which Cognito allows.
pub fn check_redirect_url(url: &str, member: &str) -> Result<(), Error> {
    let invalid = |why: &str| {
        Err(Error::invalid_parameter(format!(
            "Invalid {member} value {url}: {why}"
        )))
    };
    let Some((scheme, rest)) = url.split_once(':') else {
        return invalid("it must be an absolute URL");
    };
    let scheme_ok = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !scheme_ok || rest.is_empty() {
        return invalid("it must be an absolute URL");
    }
    if url.contains('#') {
        return invalid("it must not contain a fragment");
    }
    let scheme = scheme.to_ascii_lowercase();
    if scheme == "http" || scheme == "https" {
        let Some(authority) = rest.strip_prefix("//") else {
            return invalid("it must be an absolute URL");
        };
        // Where a browser ends the authority: `\` is a `/` in http(s) URLs, so
        // `http://evil.example\@localhost/` goes to evil.example.
        let authority = authority.split(['/', '?', '\\']).next().unwrap_or_default();
        let host_port = authority.rsplit('@').next().unwrap_or_default();
        let host = if let Some(v6) = host_port.strip_prefix('[') {
            v6.split(']')
                .next()
                .map(|h| format!("[{h}]"))
                .unwrap_or_default()
        } else {
            host_port.split(':').next().unwrap_or_default().to_owned()
        };
        if host.is_empty() {
            return invalid("it has no host");
        }
        if scheme == "http"
            && !matches!(
                host.to_ascii_lowercase().as_str(),
                "localhost" | "127.0.0.1" | "[::1]"
            )
        {
            return invalid("http is allowed only for localhost; use https");
        }
    }
    Ok(())
}

fn check_oauth(
    c: &UserPoolClientType,
    has_secret: bool,
    custom_scopes: &[String],
) -> Result<(), Error> {
    let flows = c.allowed_o_auth_flows.as_deref().unwrap_or_default();
    let scopes = c.allowed_o_auth_scopes.as_deref().unwrap_or_default();
    let oauth_flow = |message: &str| Err(Error::new(ErrorKind::InvalidOAuthFlowException, message));
    for scope in scopes {
        if !STANDARD_SCOPES.contains(&scope.as_str()) && !custom_scopes.contains(scope) {
            return Err(Error::new(
                ErrorKind::ScopeDoesNotExistException,
                format!("Invalid scope requested: {scope}"),
            ));
        }
    }
    let client_credentials = flows.contains(&OAuthFlowType::ClientCredentials);
    let browser = flows
        .iter()
        .any(|f| matches!(f, OAuthFlowType::Code | OAuthFlowType::Implicit));
    if client_credentials && browser {
        return oauth_flow(
            "client_credentials flow can not be selected along with code flow or implicit flow.",
        );
    }
    if client_credentials && !has_secret {
        return oauth_flow(
            "client_credentials flow can not be selected if client does not have a client secret.",
        );
    }
    if browser && c.callback_ur_ls.as_deref().unwrap_or_default().is_empty() {
        return oauth_flow(
            "CallbackUrls can not be empty when code flow or implicit flow is selected",
        );
    }
    if c.allowed_o_auth_flows_user_pool_client == Some(true)
        && (flows.is_empty() || scopes.is_empty())
    {
        return oauth_flow(
            "AllowedOAuthFlows and AllowedOAuthScopes are required if user pool client is allowed to use OAuth flows",
        );
    }
    Ok(())
}
