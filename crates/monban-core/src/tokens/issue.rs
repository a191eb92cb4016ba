//! Issuing an ID token, an access token and (for a new sign-in) a refresh token.

use monban_wire::idp::AuthenticationResultType;
use serde_json::Value;

use super::claims::{sort_groups, ClaimSet};
use super::issuer::issuer;
use super::jwt;
use super::keys::{signing_key, TokenUse};
use super::refresh::store_new_refresh_token;
use super::validity::token_validity;
use crate::entities::{AppClient, Group, User, UserPool};
use crate::error::Error;
use crate::ids::new_uuid;
use crate::oauth::scopes_select_attribute;
use crate::triggers::{pre_token_generation, TokenTrigger};
use crate::Cx;

/// What distinguishes one issue from another besides pool, client and user.
#[derive(Debug, Clone, Default)]
pub struct IssueParams {
    /// When the user authenticated (epoch ms): the `auth_time` claim, kept by refreshes.
    pub auth_time_ms: i64,
    /// The token family (`origin_jti`). `None` for a new sign-in: a new family and a new
    /// refresh token. `Some` to issue more tokens of an existing family, without a
    /// refresh token.
    pub family: Option<String>,
    /// The remembered device the sign-in used or created (`device_key` claim); a new
    /// refresh token is bound to it.
    pub device_key: Option<String>,
}

/// Signs the ID and access tokens of `user` for `client` and, for a new sign-in, creates
/// the refresh token: the `AuthenticationResult` of a successful authentication
/// (`NewDeviceMetadata` is the caller's to fill in).
pub async fn issue(
    cx: &Cx,
    pool: &UserPool,
    client: &AppClient,
    user: &User,
    params: IssueParams,
) -> Result<AuthenticationResultType, Error> {
    issue_for(cx, pool, client, user, params, TokenTrigger::default()).await
}

/// [`issue`] with what the pre token generation trigger is told (its `triggerSource`:
/// `TokenGeneration_Authentication` for plain [`issue`], and the call's `ClientMetadata`).
pub async fn issue_for(
    cx: &Cx,
    pool: &UserPool,
    client: &AppClient,
    user: &User,
    params: IssueParams,
    trigger: TokenTrigger<'_>,
) -> Result<AuthenticationResultType, Error> {
    let new_refresh_token = params.family.is_none();
    let family = params.family.unwrap_or_else(|| new_uuid(cx.rng.as_ref()));
    issue_tokens(
        cx,
        pool,
        client,
        user,
        &Family {
            id: &family,
            auth_time_ms: params.auth_time_ms,
            device_key: params.device_key.as_deref(),
            scopes: None,
            nonce: None,
        },
        new_refresh_token,
        trigger,
    )
    .await
}

/// Tokens of a new family opened by the OAuth endpoints (`/oauth2/token` with
/// `grant_type=authorization_code`): the access token carries the granted `scopes`
/// (space-separated) and `version: 2`, the ID token (only with `openid`) the `nonce`; the
/// family remembers its scopes so that refreshes keep them.
pub async fn issue_oauth(
    cx: &Cx,
    pool: &UserPool,
    client: &AppClient,
    user: &User,
    auth_time_ms: i64,
    scopes: &str,
    nonce: Option<&str>,
) -> Result<AuthenticationResultType, Error> {
    let family = new_uuid(cx.rng.as_ref());
    issue_tokens(
        cx,
        pool,
        client,
        user,
        &Family {
            id: &family,
            auth_time_ms,
            device_key: None,
            scopes: Some(scopes),
            nonce,
        },
        true,
        TokenTrigger::default(),
    )
    .await
}

/// The family the tokens belong to.
pub(crate) struct Family<'a> {
    pub id: &'a str,
    pub auth_time_ms: i64,
    pub device_key: Option<&'a str>,
    /// The scopes granted by the OAuth endpoints (space-separated); `None` for tokens of
    /// the API, whose access tokens carry only `aws.cognito.signin.user.admin`.
    pub scopes: Option<&'a str>,
    /// The `nonce` of `/oauth2/authorize`, for the ID token of the first issue.
    pub nonce: Option<&'a str>,
}

pub(crate) async fn issue_tokens(
    cx: &Cx,
    pool: &UserPool,
    client: &AppClient,
    user: &User,
    family: &Family<'_>,
    new_refresh_token: bool,
    trigger: TokenTrigger<'_>,
) -> Result<AuthenticationResultType, Error> {
    let validity = token_validity(&client.config);
    let groups = user_groups(cx, pool, user).await?;
    let (id_key, access_key) = (
        signing_key(cx, &pool.id, TokenUse::Id).await?,
        signing_key(cx, &pool.id, TokenUse::Access).await?,
    );
    let now_ms = cx.now_ms();
    let iat_s = now_ms.div_euclid(1000);
    let issuer = issuer(&cx.settings, &pool.id);
    let event_id = new_uuid(cx.rng.as_ref());
    let claims = ClaimSet {
        issuer: &issuer,
        client_id: &client.client_id,
        user,
        groups: &groups,
        read_attributes: client.config.read_attributes.as_deref(),
        auth_time_s: family.auth_time_ms.div_euclid(1000),
        iat_s,
        origin_jti: family.id,
        event_id: &event_id,
        device_key: family.device_key,
    };
    let mut id = claims.id_claims(&new_uuid(cx.rng.as_ref()), iat_s + validity.id_seconds);
    let mut access =
        claims.access_claims(&new_uuid(cx.rng.as_ref()), iat_s + validity.access_seconds);
    if let (Value::Object(id), Value::Object(access)) = (&mut id, &mut access) {
        if let Some(scopes) = family.scopes {
            access.insert("scope".into(), scopes.into());
            access.insert("version".into(), 2.into());
        }
        if let Some(nonce) = family.nonce {
            id.insert("nonce".into(), nonce.into());
        }
        if let Some(scopes) = family.scopes {
            // OAuth ID tokens carry the attributes the email/phone/profile scopes select.
            for name in user.attributes.keys().filter(|n| *n != "sub") {
                if !scopes_select_attribute(scopes.split(' '), name) {
                    id.remove(name);
                }
            }
        }
        pre_token_generation(cx, pool, &client.client_id, user, trigger, id, access).await?;
    }
    // OAuth tokens include an ID token only when `openid` was granted.
    let with_id_token = family
        .scopes
        .is_none_or(|scopes| scopes.split(' ').any(|s| s == "openid"));
    let id_token = if with_id_token {
        Some(jwt::sign(&id_key, &id)?)
    } else {
        None
    };
    let access_token = jwt::sign(&access_key, &access)?;
    let refresh_token = if new_refresh_token {
        let token =
            store_new_refresh_token(cx, client, user, family, validity.refresh_seconds).await?;
        if let Some(scopes) = family.scopes {
            cx.store
                .put_family_scopes(&pool.id, family.id, scopes)
                .await?;
        }
        Some(token)
    } else {
        None
    };
    Ok(AuthenticationResultType {
        access_token: Some(access_token),
        expires_in: Some(i32::try_from(validity.access_seconds).unwrap_or(i32::MAX)),
        id_token,
        new_device_metadata: None,
        refresh_token,
        token_type: Some("Bearer".to_owned()),
    })
}

/// Every group of the user, in token order.
pub(crate) async fn user_groups(
    cx: &Cx,
    pool: &UserPool,
    user: &User,
) -> Result<Vec<Group>, Error> {
    const PAGE: usize = 100;
    let mut groups: Vec<Group> = Vec::new();
    loop {
        let after = groups.last().map(|g| g.name.clone());
        let page = cx
            .store
            .list_groups_for_user(&pool.id, &user.sub, after.as_deref(), PAGE)
            .await?;
        let full = page.len() == PAGE;
        groups.extend(page);
        if !full {
            break;
        }
    }
    sort_groups(&mut groups);
    Ok(groups)
}
