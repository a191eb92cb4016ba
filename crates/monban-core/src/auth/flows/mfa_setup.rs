//! MFA_SETUP: the pool requires MFA and the user has no factor to use (flows.md §3).
//!
//! States (each step takes the Session and, when it succeeds, answers a new one):
//! 1. MFA_SETUP issued with `MFAS_CAN_SETUP` (a session row holding the user).
//! 2. TOTP: AssociateSoftwareToken with that Session ([`associate_in_session`]) → a secret
//!    for the user, `SecretCode` and a new MFA_SETUP Session; VerifySoftwareToken with it
//!    ([`verify_in_session`]) → the authenticator verified and TOTP MFA turned on for the
//!    user, `Status: SUCCESS` and a new Session marked verified (a wrong code keeps the
//!    Session, so the user can retype it); RespondToAuthChallenge MFA_SETUP with that
//!    Session → the sign-in ends (the verified code was the second factor).
//! 3. Email (as Amplify does it): MFA_SETUP answered with `EMAIL` → the address stored
//!    (unverified) and the EMAIL_OTP challenge sent to it; its right code marks the address
//!    verified and turns email MFA on.
//!
//! SMS has no setup step in the API: the user adds a phone number and signs in again.

use monban_wire::idp::ChallengeNameType;

use super::lockout::clear_failures;
use super::messages::invalid_session;
use super::mfa::{ask, take, MfaState};
use super::outcome::Outcome;
use super::params::Params;
use super::session;
use super::{signed_in, Api, SignIn};
use crate::auth::client::check_secret_hash;
use crate::error::{Error, ErrorKind};
use crate::mfa::{associate, verify, MfaFactor};
use crate::pool_config::{load_client, load_pool};
use crate::users::{is_email, modify_user, KeyWrite, Target};
use crate::Cx;

fn offered(state: &MfaState, factor: MfaFactor) -> bool {
    state.choices.iter().any(|c| c == factor.as_str())
}

/// Answers MFA_SETUP.
pub async fn respond(
    s: &SignIn<'_>,
    responses: Params<'_>,
    session_value: Option<&str>,
) -> Result<Outcome, Error> {
    let username = responses.required("USERNAME")?;
    check_secret_hash(s.client, username, responses.raw("SECRET_HASH"))?;
    let (row, state, user) = take(s, session_value, ChallengeNameType::MfaSetup, username).await?;
    if state.software_token_verified {
        let user = clear_failures(s.cx, s.pool, user).await?;
        return signed_in::complete(s, user, state.base.auth_time_ms, state.base.device_key).await;
    }
    if let Some(email) = responses.optional("EMAIL") {
        if !offered(&state, MfaFactor::Email) {
            session::put_back(s.cx, row, &state).await?;
            return Err(Error::invalid_parameter(
                "Email MFA is not enabled for this user pool.",
            ));
        }
        if !is_email(email) {
            session::put_back(s.cx, row, &state).await?;
            return Err(Error::invalid_parameter("Invalid email address format."));
        }
        let user = modify_user(
            s.cx,
            s.pool,
            Target::Sub(&user.sub),
            KeyWrite::Update,
            |u| {
                u.attributes.insert("email".to_owned(), email.to_owned());
                u.attributes
                    .insert("email_verified".to_owned(), "false".to_owned());
                Ok(())
            },
        )
        .await?;
        let next = MfaState {
            enable_on_success: Some(MfaFactor::Email.as_str().to_owned()),
            ..state.carried()
        };
        return ask(s, &user, MfaFactor::Email, next).await;
    }
    session::put_back(s.cx, row, &state).await?;
    Err(Error::invalid_parameter(
        "Set up MFA first: AssociateSoftwareToken and VerifySoftwareToken with this Session, \
         or answer with EMAIL.",
    ))
}

/// Takes an MFA_SETUP session presented to AssociateSoftwareToken or VerifySoftwareToken
/// and loads its pool, client and user.
async fn take_setup(
    cx: &Cx,
    session_value: &str,
) -> Result<
    (
        crate::entities::AuthSession,
        MfaState,
        crate::entities::UserPool,
        crate::entities::AppClient,
        crate::entities::User,
    ),
    Error,
> {
    let (row, state): (_, MfaState) =
        session::take_unbound(cx, Some(session_value), ChallengeNameType::MfaSetup).await?;
    let pool = load_pool(cx, &row.pool_id)
        .await
        .map_err(|_| invalid_session())?;
    let client = load_client(cx, &row.pool_id, &row.client_id)
        .await
        .map_err(|_| invalid_session())?;
    let user = cx
        .store
        .get_user_by_sub(&pool.id, &state.base.sub)
        .await?
        .ok_or_else(invalid_session)?;
    if !user.enabled {
        return Err(super::messages::user_disabled());
    }
    Ok((row, state, pool, client, user))
}

/// AssociateSoftwareToken with the Session of an MFA_SETUP challenge: the `SecretCode`
/// and the Session that continues the setup.
pub async fn associate_in_session(cx: &Cx, session_value: &str) -> Result<(String, String), Error> {
    let (row, state, pool, client, user) = take_setup(cx, session_value).await?;
    if !offered(&state, MfaFactor::SoftwareToken) {
        session::put_back(cx, row, &state).await?;
        return Err(Error::new(
            ErrorKind::SoftwareTokenMFANotFoundException,
            "Software token MFA is not enabled for this user pool.",
        ));
    }
    let secret_code = associate(cx, &pool, &user).await?;
    let s = SignIn {
        cx,
        pool: &pool,
        client: &client,
        api: Api::Public,
        client_metadata: None,
        token_source: Default::default(),
    };
    let session =
        session::open_with(&s, ChallengeNameType::MfaSetup, &user.username, &state).await?;
    Ok((secret_code, session))
}

/// VerifySoftwareToken with the Session of an MFA_SETUP challenge: the authenticator is
/// verified and TOTP MFA turned on (preferred unless the user prefers another); returns
/// the Session for the MFA_SETUP answer. A wrong code keeps the Session.
pub async fn verify_in_session(
    cx: &Cx,
    session_value: &str,
    code: &str,
    friendly_device_name: Option<&str>,
) -> Result<String, Error> {
    let (row, state, pool, client, user) = take_setup(cx, session_value).await?;
    let user = match verify(cx, &pool, &user, code, friendly_device_name).await {
        Ok(user) => user,
        Err(e) => {
            session::put_back(cx, row, &state).await?;
            return Err(e);
        }
    };
    let totp = MfaFactor::SoftwareToken.as_str();
    modify_user(cx, &pool, Target::Sub(&user.sub), KeyWrite::Update, |u| {
        if !u.data.enabled_mfas.iter().any(|f| f == totp) {
            u.data.enabled_mfas.push(totp.to_owned());
            u.data.enabled_mfas.sort_by_key(|f| MfaFactor::parse(f));
        }
        if u.data.preferred_mfa.is_none() {
            u.data.preferred_mfa = Some(totp.to_owned());
        }
        Ok(())
    })
    .await?;
    let s = SignIn {
        cx,
        pool: &pool,
        client: &client,
        api: Api::Public,
        client_metadata: None,
        token_source: Default::default(),
    };
    let next = MfaState {
        software_token_verified: true,
        ..state
    };
    session::open_with(&s, ChallengeNameType::MfaSetup, &user.username, &next).await
}
