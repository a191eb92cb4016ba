//! Remembered devices in a sign-in (srp.md §5, flows.md §3): once the password (and MFA,
//! unless the device is remembered) is done, a device the client names with `DEVICE_KEY`
//! proves it holds its secret with a second SRP exchange; a sign-in without one gets a
//! new device in `NewDeviceMetadata` when the pool tracks devices.
//!
//! States:
//! 1. After the first factor, before MFA: [`presented`] finds the device `DEVICE_KEY`
//!    names (`ResourceNotFoundException` unless it is a confirmed device of the user),
//!    which may let the sign-in skip MFA ([`skips_mfa`]). Once MFA is passed or skipped,
//!    [`finish`]: the DEVICE_SRP_AUTH challenge (a session row) when a device was named,
//!    else tokens.
//! 2. DEVICE_SRP_AUTH answered with `USERNAME`, `DEVICE_KEY`, `SRP_A`: session taken →
//!    same user and device → B from the device's verifier → the server's half sealed into
//!    a SECRET_BLOCK of kind `Device` (its context carries the session state) →
//!    DEVICE_PASSWORD_VERIFIER with `SALT`, `SRP_B`, `SECRET_BLOCK`, `USERNAME`, and a
//!    Session bound to the block (optional in the answer, as for PASSWORD_VERIFIER).
//! 3. DEVICE_PASSWORD_VERIFIER answered: block opened (this client's, unexpired, a device
//!    exchange for this `DEVICE_KEY`) → Session, when sent, checked → same user → block
//!    consumed → the device's proof checked (as srp.md §3 with the device group key and
//!    the device key in place of pool name and username) → sign-in recorded on the
//!    device → tokens carrying its `device_key`.

use std::collections::BTreeMap;

use monban_wire::idp::ChallengeNameType;

use super::messages::{incorrect_credentials, invalid_session, user_disabled};
use super::outcome::{Challenge, Outcome};
use super::params::Params;
use super::session::{self, validity_ms, SessionState};
use super::srp::{
    block_session, consume_block, open_claim, server_ephemeral, server_key, session_matches,
    AnsweredClaim,
};
use super::{blocking, same_user, Api, SignIn};
use crate::auth::client::check_secret_hash;
use crate::auth::srp::{
    seal_secret_block, verify_password_claim, PasswordClaim, PublicA, SrpError, SrpIdentity,
    SrpKind, SrpState, Verifier,
};
use crate::devices::{confirmed_device, new_device, new_device_metadata, tracking};
use crate::entities::{Device, User};
use crate::error::Error;
use crate::store::StoreError;
use crate::tokens::{issue_for, IssueParams};
use crate::triggers::{TokenSource, TokenTrigger};

/// The device the client named with `DEVICE_KEY`, when the pool tracks devices (otherwise
/// the key is ignored). Only a confirmed device of this user counts; any other key is
/// `ResourceNotFoundException`, on which amazon-cognito-identity-js forgets its key and
/// signs in again without it.
pub async fn presented(
    s: &SignIn<'_>,
    user: &User,
    device_key: Option<&str>,
) -> Result<Option<Device>, Error> {
    let Some(device_key) = device_key.filter(|_| tracking(s.pool).is_some()) else {
        return Ok(None);
    };
    confirmed_device(s.cx, &s.pool.id, &user.sub, device_key)
        .await
        .map(Some)
}

/// Whether the sign-in skips MFA because it names a remembered device (and the pool lets
/// remembered devices stand in for MFA). The device still proves itself before tokens.
pub fn skips_mfa(s: &SignIn<'_>, device: Option<&Device>) -> bool {
    match (tracking(s.pool), device) {
        (Some(tracking), Some(device)) => tracking.skips_mfa(device),
        _ => false,
    }
}

/// The end of a sign-in whose password (and MFA, if any) is done: DEVICE_SRP_AUTH when the
/// client named a confirmed device (looked up again: a step after the first request may
/// come after the device was forgotten), otherwise tokens — with a new device in
/// `NewDeviceMetadata` when the pool tracks devices. `answered` is the Session value of
/// the challenge just answered, if any: DEVICE_SRP_AUTH continues under it.
pub async fn finish(
    s: &SignIn<'_>,
    user: &User,
    auth_time_ms: i64,
    device_key: Option<&str>,
    answered: Option<&str>,
) -> Result<Outcome, Error> {
    if let Some(device) = presented(s, user, device_key).await? {
        let state = SessionState {
            sub: user.sub.clone(),
            auth_time_ms,
            device_key: Some(device.device_key),
        };
        let challenge = ChallengeNameType::DeviceSrpAuth;
        let session = match answered {
            // The Session just answered with (its row taken) continues: some clients send
            // it again with DEVICE_SRP_AUTH instead of the one returned here.
            Some(value) => {
                session::open_as(s, value.to_owned(), challenge, &user.username, &state).await?
            }
            None => session::open(s, challenge, user, &state).await?,
        };
        return Ok(Outcome::Challenge(Challenge {
            name: challenge,
            parameters: BTreeMap::from([("USERNAME".to_owned(), user.username.clone())]),
            session: Some(session),
        }));
    }
    if s.api == Api::HostedUi {
        // The browser gets a code, not tokens: they are issued when it is redeemed.
        return Ok(Outcome::SignedIn {
            user: Box::new(user.clone()),
            auth_time_ms,
        });
    }
    let device = match tracking(s.pool) {
        Some(_) => Some(new_device(s.cx, s.pool, user).await?),
        None => None,
    };
    let mut result = issue_for(
        s.cx,
        s.pool,
        s.client,
        user,
        IssueParams {
            auth_time_ms,
            family: None,
            device_key: device.as_ref().map(|d| d.device_key.clone()),
        },
        token_trigger(s, s.token_source),
    )
    .await?;
    result.new_device_metadata = device.as_ref().map(new_device_metadata);
    Ok(Outcome::Authenticated(result))
}

/// Answers DEVICE_SRP_AUTH: the device's `SRP_A` in, the DEVICE_PASSWORD_VERIFIER challenge
/// out.
pub async fn respond_srp_auth(
    s: &SignIn<'_>,
    responses: Params<'_>,
    session_value: Option<&str>,
) -> Result<Outcome, Error> {
    let username = responses.required("USERNAME")?;
    let device_key = responses.required("DEVICE_KEY")?;
    let srp_a = responses.required("SRP_A")?;
    check_secret_hash(s.client, username, responses.raw("SECRET_HASH"))?;
    let a = PublicA::parse(srp_a).map_err(|e| Error::invalid_parameter(e.to_string()))?;
    let (_, state) = session::take(s, session_value, ChallengeNameType::DeviceSrpAuth).await?;
    let user =
        s.cx.store
            .get_user_by_sub(&s.pool.id, &state.sub)
            .await?
            .ok_or_else(invalid_session)?;
    if state.device_key.as_deref() != Some(device_key) || !same_user(s, &user, username).await? {
        return Err(invalid_session());
    }
    let device = confirmed_device(s.cx, &s.pool.id, &user.sub, device_key).await?;
    let verifier = device_verifier(&device)?;

    let ephemeral = server_ephemeral(s, &verifier).await?;
    let srp_state = SrpState {
        kind: SrpKind::Device,
        pool_id: s.pool.id.clone(),
        client_id: s.client.client_id.clone(),
        username: user.username.clone(),
        device_key: Some(device.device_key.clone()),
        context: serde_json::to_string(&state).map_err(Error::internal)?,
        a,
        ephemeral: ephemeral.clone(),
        expires_at_ms: s.cx.now_ms().saturating_add(validity_ms(s.client)),
    };
    let key = server_key(s).await?;
    let secret_block =
        seal_secret_block(&key, s.cx.rng.as_ref(), &srp_state).map_err(Error::internal)?;
    let session = block_session(&key, &secret_block);
    Ok(Outcome::Challenge(Challenge {
        name: ChallengeNameType::DevicePasswordVerifier,
        parameters: BTreeMap::from([
            ("SALT".to_owned(), verifier.salt_hex().to_owned()),
            ("SRP_B".to_owned(), ephemeral.srp_b()),
            ("SECRET_BLOCK".to_owned(), secret_block),
            ("USERNAME".to_owned(), user.username.clone()),
        ]),
        session: Some(session),
    }))
}

/// Answers DEVICE_PASSWORD_VERIFIER: the device's proof in, tokens out.
pub async fn respond_password_verifier(
    s: &SignIn<'_>,
    responses: Params<'_>,
    session_value: Option<&str>,
) -> Result<Outcome, Error> {
    let username = responses.required("USERNAME")?;
    let device_key = responses.required("DEVICE_KEY")?;
    let AnsweredClaim {
        secret_block,
        signature,
        timestamp,
        key,
        now,
        opened,
    } = open_claim(s, responses, username).await?;
    if session_value.is_some_and(|value| !session_matches(&key, secret_block, value)) {
        return Err(invalid_session());
    }
    let srp_state = &opened.state;
    if srp_state.kind != SrpKind::Device || srp_state.device_key.as_deref() != Some(device_key) {
        return Err(invalid_session());
    }
    let state: SessionState =
        serde_json::from_str(&srp_state.context).map_err(|_| invalid_session())?;
    let user =
        s.cx.store
            .get_user_by_sub(&s.pool.id, &state.sub)
            .await?
            .ok_or_else(invalid_session)?;
    if !same_user(s, &user, username).await? {
        return Err(invalid_session());
    }
    consume_block(s, &opened).await?;
    // Forgotten since the challenge: the same answer as for an unknown key.
    let device = confirmed_device(s.cx, &s.pool.id, &user.sub, device_key).await?;
    let verifier = device_verifier(&device)?;
    let (group_key, key) = (device.device_group_key.clone(), device.device_key.clone());
    let (a, server) = (opened.state.a, opened.state.ephemeral);
    let (block, timestamp, signature) = (
        secret_block.to_owned(),
        timestamp.to_owned(),
        signature.to_owned(),
    );
    // Two 3072-bit exponentiations: off the async workers.
    let checked = blocking(move || {
        verify_password_claim(
            &SrpIdentity::device(&group_key, &key),
            &verifier,
            &a,
            &server,
            &PasswordClaim {
                secret_block: &block,
                timestamp: &timestamp,
                signature: &signature,
            },
            now,
        )
    })
    .await?;
    match checked {
        Ok(()) => {}
        Err(SrpError::MalformedSignature) => {
            return Err(Error::invalid_parameter(
                SrpError::MalformedSignature.to_string(),
            ))
        }
        // A wrong device secret is not a password guess: it does not count towards the
        // user's lockout.
        Err(_) => return Err(incorrect_credentials()),
    }
    // Disabled while the device was proving itself.
    if !user.enabled {
        return Err(user_disabled());
    }
    match s
        .cx
        .store
        .record_device_authentication(&s.pool.id, &user.sub, &device.device_key, now)
        .await
    {
        Ok(()) | Err(StoreError::NotFound) => {}
        Err(e) => return Err(e.into()),
    }
    let result = issue_for(
        s.cx,
        s.pool,
        s.client,
        &user,
        IssueParams {
            auth_time_ms: state.auth_time_ms,
            family: None,
            device_key: Some(device.device_key),
        },
        token_trigger(s, TokenSource::AuthenticateDevice),
    )
    .await?;
    Ok(Outcome::Authenticated(result))
}

/// What the pre token generation trigger is told: the source, and the `ClientMetadata` of
/// the request that finished the sign-in (none when InitiateAuth did).
fn token_trigger<'a>(s: &SignIn<'a>, source: TokenSource) -> TokenTrigger<'a> {
    TokenTrigger {
        source,
        client_metadata: s.client_metadata,
    }
}

/// The verifier ConfirmDevice stored for `device`.
fn device_verifier(device: &Device) -> Result<Verifier, Error> {
    let stored = device
        .verifier
        .as_ref()
        .ok_or_else(crate::devices::device_not_found)?;
    Verifier::from_stored(&stored.salt, &stored.verifier).map_err(Error::internal)
}
