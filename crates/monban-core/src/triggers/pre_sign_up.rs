//! PreSignUp (SignUp, AdminCreateUser): the function may refuse the user (it throws) or,
//! for SignUp only, confirm it and verify its email / phone number at once.

use monban_wire::idp::AttributeType;
use serde_json::Value;

use super::{fire, response, CallContext, Trigger, TriggerEvent};
use crate::entities::{User, UserPool};
use crate::error::Error;
use crate::users::{login_keys, NameRules};
use crate::Cx;

/// Which operation signs the user up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignUpSource {
    SignUp,
    AdminCreateUser,
}

/// What the function decided; all false when the pool has no PreSignUp trigger.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PreSignUpOutcome {
    pub auto_confirm_user: bool,
    pub auto_verify_email: bool,
    pub auto_verify_phone: bool,
}

/// Runs PreSignUp for `user` (built, not stored yet) with the call's `ValidationData`.
/// `autoConfirmUser` / `autoVerify*` are ignored for AdminCreateUser, as Cognito does.
pub async fn pre_sign_up(
    cx: &Cx,
    pool: &UserPool,
    source: SignUpSource,
    user: &User,
    validation_data: Option<&[AttributeType]>,
    call: CallContext<'_>,
) -> Result<PreSignUpOutcome, Error> {
    let trigger_source = match source {
        SignUpSource::SignUp => "PreSignUp_SignUp",
        SignUpSource::AdminCreateUser => "PreSignUp_AdminCreateUser",
    };
    let validation: serde_json::Map<String, Value> = validation_data
        .unwrap_or_default()
        .iter()
        .map(|a| {
            (
                a.name.clone(),
                Value::from(a.value.clone().unwrap_or_default()),
            )
        })
        .collect();
    let event = TriggerEvent::new(pool, trigger_source)
        .user_name(&user.username)
        .attributes_map(&user.attributes)
        .request("validationData", Value::Object(validation))
        .initial_response("autoConfirmUser", Value::Bool(false))
        .initial_response("autoVerifyEmail", Value::Bool(false))
        .initial_response("autoVerifyPhone", Value::Bool(false));
    let Some(answer) = fire(cx, pool, Trigger::PreSignUp, call.apply(event)).await? else {
        return Ok(PreSignUpOutcome::default());
    };
    let outcome = PreSignUpOutcome {
        auto_confirm_user: response::flag(&answer, "autoConfirmUser")?,
        auto_verify_email: response::flag(&answer, "autoVerifyEmail")?,
        auto_verify_phone: response::flag(&answer, "autoVerifyPhone")?,
    };
    Ok(match source {
        SignUpSource::SignUp => outcome,
        SignUpSource::AdminCreateUser => PreSignUpOutcome::default(),
    })
}

impl PreSignUpOutcome {
    /// Marks the verified attributes on `user` (and recomputes its sign-in names, since a
    /// verified alias becomes one). Returns whether an alias was verified, which the
    /// insert must then take from any user holding it. Verifying an attribute the user
    /// does not have is `InvalidParameterException`.
    pub fn apply(&self, pool: &UserPool, user: &mut User) -> Result<bool, Error> {
        let mut verified_alias = false;
        let rules = NameRules::of(pool);
        for (wanted, attribute, alias) in [
            (self.auto_verify_email, "email", rules.alias_email),
            (self.auto_verify_phone, "phone_number", rules.alias_phone),
        ] {
            if !wanted {
                continue;
            }
            if user.attributes.get(attribute).is_none_or(|v| v.is_empty()) {
                return Err(Error::invalid_parameter(format!(
                    "The PreSignUp trigger verified {attribute}, but the user has no {attribute}."
                )));
            }
            user.attributes
                .insert(format!("{attribute}_verified"), "true".to_owned());
            verified_alias |= alias;
        }
        user.keys = login_keys(&rules, &user.username, &user.attributes);
        Ok(verified_alias)
    }
}
