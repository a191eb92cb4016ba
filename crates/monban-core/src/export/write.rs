//! Export: reads a pool page by page and writes it as JSON lines, one user at a time, so
//! memory stays flat however many users the pool has.

use std::io::Write;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde::Serialize;

use super::format::{
    ClientRecord, Counts, DeviceRecord, DomainRecord, GroupRecord, Header, IdentityPoolRecord,
    IdentityRecord, LoginRecord, PoolRecord, Record, RefreshTokenRecord, ResourceServerRecord,
    SigningKeyRecord, UserRecord, FORMAT, VERSION,
};
use super::ExportError;
use crate::entities::{IdentityPool, SealedSecret, SoftwareToken, User, UserData};
use crate::mfa::seal;
use crate::Cx;

/// Rows read per store query.
const PAGE: usize = 200;

#[derive(Debug, Clone, Copy, Default)]
pub struct ExportOptions {
    /// Write the pool's token signing keys, so tokens issued before a move verify after it.
    pub include_signing_keys: bool,
}

/// Writes pool `pool_id` to `out`; `progress` is called with the counts so far after each
/// page of users and identities. Returns the final counts.
pub async fn export_pool<W: Write>(
    cx: &Cx,
    pool_id: &str,
    options: ExportOptions,
    out: &mut W,
    progress: &mut dyn FnMut(&Counts),
) -> Result<Counts, ExportError> {
    let store = cx.store.as_ref();
    let pool = store
        .get_user_pool(pool_id)
        .await?
        .ok_or_else(|| ExportError::new(format!("user pool {pool_id} does not exist")))?;
    let mut counts = Counts::default();
    line(
        out,
        &Header {
            format: FORMAT.to_owned(),
            version: VERSION,
            pool_id: pool.id.clone(),
            exported_ms: cx.now_ms(),
            signing_keys: options.include_signing_keys,
        },
    )?;
    record(
        out,
        Record::Pool(Box::new(PoolRecord {
            id: pool.id.clone(),
            name: pool.name.clone(),
            created_ms: pool.created_ms,
            modified_ms: pool.modified_ms,
            version: pool.version,
            config: pool.config.clone(),
            data: pool.data.clone(),
        })),
    )?;
    for domain in store.list_pool_domains(pool_id).await? {
        record(
            out,
            Record::Domain(DomainRecord {
                domain: domain.domain,
                custom_domain_config: domain.custom_domain_config,
                managed_login_version: domain.managed_login_version,
                created_ms: domain.created_ms,
                modified_ms: domain.modified_ms,
            }),
        )?;
    }
    let mut after: Option<String> = None;
    loop {
        let page = store
            .list_resource_servers(pool_id, after.as_deref(), PAGE)
            .await?;
        after = page.last().map(|s| s.identifier.clone());
        for server in &page {
            record(
                out,
                Record::ResourceServer(ResourceServerRecord {
                    identifier: server.identifier.clone(),
                    name: server.name.clone(),
                    scopes: server.scopes.clone(),
                }),
            )?;
        }
        if page.len() < PAGE {
            break;
        }
    }
    let mut after: Option<String> = None;
    loop {
        let page = store
            .list_app_clients(pool_id, after.as_deref(), PAGE)
            .await?;
        after = page.last().map(|c| c.client_id.clone());
        for client in page.iter().cloned() {
            counts.clients += 1;
            record(
                out,
                Record::Client(Box::new(ClientRecord {
                    client_id: client.client_id,
                    name: client.name,
                    secret: client.secret,
                    created_ms: client.created_ms,
                    modified_ms: client.modified_ms,
                    version: client.version,
                    config: client.config,
                })),
            )?;
        }
        if page.len() < PAGE {
            break;
        }
    }
    let mut after: Option<String> = None;
    loop {
        let page = store.list_groups(pool_id, after.as_deref(), PAGE).await?;
        after = page.last().map(|g| g.name.clone());
        for group in page.iter().cloned() {
            counts.groups += 1;
            record(
                out,
                Record::Group(GroupRecord {
                    name: group.name,
                    description: group.description,
                    precedence: group.precedence,
                    role_arn: group.role_arn,
                    created_ms: group.created_ms,
                    modified_ms: group.modified_ms,
                }),
            )?;
        }
        if page.len() < PAGE {
            break;
        }
    }
    if options.include_signing_keys {
        let mut keys = store.list_signing_keys(pool_id).await?;
        // Oldest first, so that an import inserts them in the order they were made.
        keys.reverse();
        for key in keys {
            counts.signing_keys += 1;
            record(
                out,
                Record::SigningKey(SigningKeyRecord {
                    kid: key.kid,
                    token_use: key.token_use,
                    private_key_der: STANDARD.encode(&key.private_key_der),
                    created_ms: key.created_ms,
                }),
            )?;
        }
    }
    let mut after: Option<String> = None;
    loop {
        let page = store
            .list_users(pool_id, None, after.as_deref(), PAGE)
            .await?;
        after = page.last().map(|u| u.username.clone());
        for user in &page {
            counts.users += 1;
            let user = user_record(cx, user).await?;
            record(out, Record::User(Box::new(user)))?;
        }
        progress(&counts);
        if page.len() < PAGE {
            break;
        }
    }
    export_identity_pools(cx, pool_id, out, &mut counts, progress).await?;
    record(out, Record::End(counts.clone()))?;
    out.flush()?;
    Ok(counts)
}

async fn user_record(cx: &Cx, user: &User) -> Result<UserRecord, ExportError> {
    let store = cx.store.as_ref();
    let pool_id = &user.pool_id;
    let mut groups = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = store
            .list_groups_for_user(pool_id, &user.sub, after.as_deref(), PAGE)
            .await?;
        after = page.last().map(|g| g.name.clone());
        groups.extend(page.iter().map(|g| g.name.clone()));
        if page.len() < PAGE {
            break;
        }
    }
    let mut devices = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = store
            .list_devices(pool_id, &user.sub, after.as_deref(), PAGE)
            .await?;
        after = page.last().map(|d| d.device_key.clone());
        devices.extend(page.iter().cloned().map(|d| DeviceRecord {
            device_key: d.device_key,
            device_group_key: d.device_group_key,
            verifier: d.verifier,
            name: d.name,
            attributes: d.attributes,
            status: d.status,
            created_ms: d.created_ms,
            modified_ms: d.modified_ms,
            last_authenticated_ms: d.last_authenticated_ms,
        }));
        if page.len() < PAGE {
            break;
        }
    }
    let mut refresh_tokens = Vec::new();
    for token in store.list_user_refresh_tokens(pool_id, &user.sub).await? {
        let scopes = store.get_family_scopes(pool_id, &token.family_id).await?;
        refresh_tokens.push(RefreshTokenRecord {
            token_hash: token.token_hash,
            client_id: token.client_id,
            family_id: token.family_id,
            auth_time_ms: token.auth_time_ms,
            device_key: token.device_key,
            created_ms: token.created_ms,
            expires_ms: token.expires_ms,
            replaced_ms: token.replaced_ms,
            revoked_ms: token.revoked_ms,
            scopes,
        });
    }
    Ok(UserRecord {
        username: user.username.clone(),
        sub: user.sub.clone(),
        status: user.status,
        enabled: user.enabled,
        attributes: user.attributes.clone(),
        password_hash: user.password_hash.clone(),
        created_ms: user.created_ms,
        modified_ms: user.modified_ms,
        version: user.version,
        keys: user.keys.clone(),
        data: unsealed_data(cx, user).await?,
        groups,
        devices,
        refresh_tokens,
    })
}

/// The user's data with its TOTP secrets opened (the target server seals them under its
/// own key on import).
async fn unsealed_data(cx: &Cx, user: &User) -> Result<UserData, ExportError> {
    let mut data = user.data.clone();
    let open = |sealed: SealedSecret| async move {
        let secret = seal::open(cx, &user.pool_id, &user.sub, &sealed)
            .await
            .map_err(|e| {
                ExportError::new(format!(
                    "the TOTP secret of user {} does not open: {}",
                    user.username, e.message
                ))
            })?;
        Ok::<_, ExportError>(SealedSecret(STANDARD.encode(secret)))
    };
    if let Some(token) = data.software_token.take() {
        data.software_token = Some(SoftwareToken {
            secret: open(token.secret.clone()).await?,
            ..token
        });
    }
    if let Some(pending) = data.software_token_pending.take() {
        data.software_token_pending = Some(open(pending).await?);
    }
    Ok(data)
}

/// The identity pools that list the user pool among their providers, each with its
/// identities.
async fn export_identity_pools<W: Write>(
    cx: &Cx,
    pool_id: &str,
    out: &mut W,
    counts: &mut Counts,
    progress: &mut dyn FnMut(&Counts),
) -> Result<(), ExportError> {
    let store = cx.store.as_ref();
    let mut after: Option<String> = None;
    loop {
        let page = store.list_identity_pools(after.as_deref(), PAGE).await?;
        after = page.last().map(|p| p.id.clone());
        for identity_pool in page.iter().filter(|p| uses_user_pool(p, pool_id)) {
            counts.identity_pools += 1;
            record(
                out,
                Record::IdentityPool(Box::new(IdentityPoolRecord {
                    id: identity_pool.id.clone(),
                    name: identity_pool.name.clone(),
                    created_ms: identity_pool.created_ms,
                    modified_ms: identity_pool.modified_ms,
                    version: identity_pool.version,
                    config: identity_pool.config.clone(),
                    data: identity_pool.data.clone(),
                })),
            )?;
            let mut after_identity: Option<String> = None;
            loop {
                let identities = store
                    .list_identities(&identity_pool.id, false, after_identity.as_deref(), PAGE)
                    .await?;
                after_identity = identities.last().map(|i| i.identity_id.clone());
                for identity in &identities {
                    counts.identities += 1;
                    record(
                        out,
                        Record::Identity(IdentityRecord {
                            identity_id: identity.identity_id.clone(),
                            pool_id: identity.pool_id.clone(),
                            created_ms: identity.created_ms,
                            modified_ms: identity.modified_ms,
                            disabled: identity.disabled,
                            logins: identity.logins.iter().map(LoginRecord::from).collect(),
                        }),
                    )?;
                }
                progress(counts);
                if identities.len() < PAGE {
                    break;
                }
            }
        }
        if page.len() < PAGE {
            break;
        }
    }
    Ok(())
}

/// A user pool's provider name is its issuer without the scheme, so it ends in `/{id}`.
fn uses_user_pool(identity_pool: &IdentityPool, pool_id: &str) -> bool {
    let suffix = format!("/{pool_id}");
    identity_pool
        .config
        .cognito_identity_providers
        .iter()
        .flatten()
        .filter_map(|p| p.provider_name.as_deref())
        .any(|name| name.ends_with(&suffix))
}

fn record<W: Write>(out: &mut W, record: Record) -> Result<(), ExportError> {
    line(out, &record)
}

fn line<W: Write, T: Serialize>(out: &mut W, value: &T) -> Result<(), ExportError> {
    serde_json::to_writer(&mut *out, value)?;
    out.write_all(b"\n")?;
    Ok(())
}
