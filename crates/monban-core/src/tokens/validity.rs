//! Token lifetimes from the app client, in seconds.

use monban_wire::idp::{TimeUnitsType, UserPoolClientType};

use crate::pool_config::unit_seconds;

/// Lifetimes of the tokens a client gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenValidity {
    pub id_seconds: i64,
    pub access_seconds: i64,
    pub refresh_seconds: i64,
}

/// What Cognito uses when a client has no setting (clients store theirs on creation;
/// this is for rows written without).
const ID_ACCESS_DEFAULT_SECONDS: i64 = 3600;
const REFRESH_DEFAULT_SECONDS: i64 = 30 * 86_400;

/// The client's lifetimes: each value in its unit from `TokenValidityUnits`, else in the
/// API's default unit (hours for ID and access tokens, days for refresh tokens).
pub fn token_validity(client: &UserPoolClientType) -> TokenValidity {
    let units = client.token_validity_units.clone().unwrap_or_default();
    let seconds = |value: Option<i32>, unit: Option<TimeUnitsType>, api_unit, default| match value
        .filter(|v| *v > 0)
    {
        Some(v) => i64::from(v) * unit_seconds(unit.unwrap_or(api_unit)),
        None => default,
    };
    TokenValidity {
        id_seconds: seconds(
            client.id_token_validity,
            units.id_token,
            TimeUnitsType::Hours,
            ID_ACCESS_DEFAULT_SECONDS,
        ),
        access_seconds: seconds(
            client.access_token_validity,
            units.access_token,
            TimeUnitsType::Hours,
            ID_ACCESS_DEFAULT_SECONDS,
        ),
        // 0 means the default, as documented for RefreshTokenValidity.
        refresh_seconds: seconds(
            client.refresh_token_validity,
            units.refresh_token,
            TimeUnitsType::Days,
            REFRESH_DEFAULT_SECONDS,
        ),
    }
}

#[cfg(test)]
mod tests {
    use monban_wire::idp::TokenValidityUnitsType;

    use super::*;

    #[test]
    fn values_are_read_in_their_units() {
        let c = UserPoolClientType {
            id_token_validity: Some(5),
            access_token_validity: Some(90),
            refresh_token_validity: Some(120),
            token_validity_units: Some(TokenValidityUnitsType {
                id_token: Some(TimeUnitsType::Hours),
                access_token: Some(TimeUnitsType::Minutes),
                refresh_token: Some(TimeUnitsType::Minutes),
            }),
            ..UserPoolClientType::default()
        };
        assert_eq!(
            token_validity(&c),
            TokenValidity {
                id_seconds: 5 * 3600,
                access_seconds: 90 * 60,
                refresh_seconds: 120 * 60
            }
        );
    }

    #[test]
    fn missing_units_are_the_api_defaults_and_missing_values_cognitos() {
        let c = UserPoolClientType {
            id_token_validity: Some(2),
            refresh_token_validity: Some(0),
            ..UserPoolClientType::default()
        };
        assert_eq!(
            token_validity(&c),
            TokenValidity {
                id_seconds: 2 * 3600,
                access_seconds: 3600,
                refresh_seconds: 30 * 86_400
            }
        );
    }
}
