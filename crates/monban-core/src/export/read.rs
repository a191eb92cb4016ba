//! Import: reads an export line by line and writes each record as it comes, so memory
//! stays flat. The pool must not exist; if anything fails once writing has begun, what was
//! written is deleted again, so a failed import leaves nothing behind.

use std::io::BufRead;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

use super::format::{
    Counts, Header, IdentityPoolRecord, Record, RefreshTokenRecord, UserRecord, FORMAT, VERSION,
};
use super::ExportError;
use crate::entities::{
    AppClient, Device, Group, Identity, IdentityLogin, IdentityPool, RefreshToken, SealedSecret,
    SigningKey, SoftwareToken, User, UserData, UserPool,
};
use crate::mfa::seal;
use crate::oauth::{ResourceServer, UserPoolDomain};
use crate::store::StoreError;
use crate::Cx;

/// Unconfirmed devices kept per user when a device is inserted: exports hold confirmed
/// devices only, so this only has to be larger than nothing.
const KEEP_UNCONFIRMED: usize = 1000;

/// Users and identities imported between two progress reports.
const PROGRESS_EVERY: u64 = 1000;

/// Reads an export from `input` into the store. `progress` is called with the counts so
/// far every thousand users and identities. Returns the final counts.
pub async fn import_pool<R: BufRead>(
    cx: &Cx,
    input: R,
    progress: &mut dyn FnMut(&Counts),
) -> Result<Counts, ExportError> {
    let mut lines = input.lines();
    let first = lines
        .next()
        .ok_or_else(|| ExportError::new("the file is empty"))??;
    let header: Header = serde_json::from_str(&first)
        .map_err(|e| ExportError::new(format!("line 1 is not a monban export header: {e}")))?;
    if header.format != FORMAT {
        return Err(ExportError::new(format!(
            "not a monban export (format {:?})",
            header.format
        )));
    }
    if header.version != VERSION {
        return Err(ExportError::new(format!(
            "export format version {} is not supported (this monban reads version {VERSION})",
            header.version
        )));
    }
    if cx.store.get_user_pool(&header.pool_id).await?.is_some() {
        return Err(ExportError::new(format!(
            "user pool {} already exists here; import only creates new pools",
            header.pool_id
        )));
    }
    let mut import = Import {
        cx,
        pool_id: header.pool_id.clone(),
        pool_written: false,
        identity_pools: Vec::new(),
        counts: Counts::default(),
    };
    match import.run(&mut lines, progress).await {
        Ok(()) => Ok(import.counts),
        Err(e) => {
            import.undo().await;
            Err(e)
        }
    }
}

struct Import<'a> {
    cx: &'a Cx,
    pool_id: String,
    pool_written: bool,
    /// Identity pools written so far, deleted again if the import fails.
    identity_pools: Vec<String>,
    counts: Counts,
}

impl Import<'_> {
    async fn run<L>(
        &mut self,
        lines: &mut L,
        progress: &mut dyn FnMut(&Counts),
    ) -> Result<(), ExportError>
    where
        L: Iterator<Item = std::io::Result<String>>,
    {
        let mut number = 1u64;
        let mut ended = false;
        let mut next_progress = PROGRESS_EVERY;
        for line in lines {
            let line = line?;
            number += 1;
            if line.trim().is_empty() {
                continue;
            }
            if ended {
                return Err(ExportError::new(format!(
                    "line {number}: records after the end record"
                )));
            }
            let record: Record = serde_json::from_str(&line)
                .map_err(|e| ExportError::new(format!("line {number}: {e}")))?;
            if !self.pool_written && !matches!(record, Record::Pool(_)) {
                return Err(ExportError::new(format!(
                    "line {number}: the pool record must come first"
                )));
            }
            ended = matches!(record, Record::End(_));
            self.apply(record)
                .await
                .map_err(|e| ExportError::new(format!("line {number}: {}", e.message)))?;
            let done = self.counts.users + self.counts.identities;
            if done >= next_progress {
                progress(&self.counts);
                next_progress = done + PROGRESS_EVERY;
            }
        }
        if !ended {
            return Err(ExportError::new(
                "the file ends before its end record (it was cut off)",
            ));
        }
        progress(&self.counts);
        Ok(())
    }

    async fn apply(&mut self, record: Record) -> Result<(), ExportError> {
        let store = self.cx.store.as_ref();
        let pool_id = self.pool_id.clone();
        match record {
            Record::Pool(pool) => {
                if self.pool_written {
                    return Err(ExportError::new("a second pool record"));
                }
                let pool = *pool;
                if pool.id != pool_id {
                    return Err(ExportError::new(format!(
                        "the pool record is {}, the header says {pool_id}",
                        pool.id
                    )));
                }
                store
                    .insert_user_pool(&UserPool {
                        id: pool.id,
                        name: pool.name,
                        created_ms: pool.created_ms,
                        modified_ms: pool.modified_ms,
                        version: pool.version,
                        config: pool.config,
                        data: pool.data,
                    })
                    .await
                    .map_err(|e| conflict(e, format!("user pool {pool_id} already exists")))?;
                self.pool_written = true;
            }
            Record::Domain(domain) => {
                let name = domain.domain.clone();
                store
                    .insert_domain(&UserPoolDomain {
                        domain: domain.domain,
                        pool_id,
                        custom_domain_config: domain.custom_domain_config,
                        managed_login_version: domain.managed_login_version,
                        created_ms: domain.created_ms,
                        modified_ms: domain.modified_ms,
                    })
                    .await
                    .map_err(|e| conflict(e, format!("domain {name} is taken on this server")))?;
            }
            Record::ResourceServer(server) => {
                store
                    .insert_resource_server(&ResourceServer {
                        pool_id,
                        identifier: server.identifier,
                        name: server.name,
                        scopes: server.scopes,
                    })
                    .await?;
            }
            Record::Client(client) => {
                let client = *client;
                let id = client.client_id.clone();
                store
                    .insert_app_client(&AppClient {
                        pool_id,
                        client_id: client.client_id,
                        name: client.name,
                        secret: client.secret,
                        created_ms: client.created_ms,
                        modified_ms: client.modified_ms,
                        version: client.version,
                        config: client.config,
                    })
                    .await
                    .map_err(|e| {
                        conflict(e, format!("app client {id} already exists on this server"))
                    })?;
                self.counts.clients += 1;
            }
            Record::Group(group) => {
                store
                    .insert_group(&Group {
                        pool_id,
                        name: group.name,
                        description: group.description,
                        precedence: group.precedence,
                        role_arn: group.role_arn,
                        created_ms: group.created_ms,
                        modified_ms: group.modified_ms,
                    })
                    .await?;
                self.counts.groups += 1;
            }
            Record::SigningKey(key) => {
                let der = STANDARD.decode(&key.private_key_der).map_err(|_| {
                    ExportError::new(format!("signing key {} is not base64", key.kid))
                })?;
                let kid = key.kid.clone();
                store
                    .insert_signing_key(&SigningKey {
                        pool_id,
                        kid: key.kid,
                        token_use: key.token_use,
                        private_key_der: der,
                        created_ms: key.created_ms,
                    })
                    .await
                    .map_err(|e| {
                        conflict(
                            e,
                            format!("signing key {kid} already exists on this server"),
                        )
                    })?;
                self.counts.signing_keys += 1;
            }
            Record::User(user) => {
                self.user(*user).await?;
                self.counts.users += 1;
            }
            Record::IdentityPool(identity_pool) => {
                self.identity_pool(*identity_pool).await?;
                self.counts.identity_pools += 1;
            }
            Record::Identity(identity) => {
                if !self.identity_pools.contains(&identity.pool_id) {
                    return Err(ExportError::new(format!(
                        "identity {} comes before its identity pool {}",
                        identity.identity_id, identity.pool_id
                    )));
                }
                let id = identity.identity_id.clone();
                store
                    .insert_identity(&Identity {
                        identity_id: identity.identity_id,
                        pool_id: identity.pool_id,
                        created_ms: identity.created_ms,
                        modified_ms: identity.modified_ms,
                        disabled: identity.disabled,
                        logins: identity
                            .logins
                            .into_iter()
                            .map(|l| IdentityLogin::new(l.provider, l.subject))
                            .collect(),
                    })
                    .await
                    .map_err(|e| {
                        conflict(e, format!("identity {id} or one of its logins exists here"))
                    })?;
                self.counts.identities += 1;
            }
            Record::End(expected) => {
                if expected != self.counts {
                    return Err(ExportError::new(format!(
                        "the end record counts {expected:?} but the file holds {:?}",
                        self.counts
                    )));
                }
            }
        }
        Ok(())
    }

    async fn user(&mut self, record: UserRecord) -> Result<(), ExportError> {
        let store = self.cx.store.as_ref();
        let pool_id = self.pool_id.clone();
        let data = self.sealed_data(&record.sub, record.data).await?;
        let username = record.username.clone();
        store
            .insert_user(&User {
                pool_id: pool_id.clone(),
                username: record.username,
                sub: record.sub.clone(),
                status: record.status,
                enabled: record.enabled,
                attributes: record.attributes,
                password_hash: record.password_hash,
                created_ms: record.created_ms,
                modified_ms: record.modified_ms,
                version: record.version,
                keys: record.keys,
                data,
            })
            .await
            .map_err(|e| match e {
                StoreError::Conflict { key } => ExportError::new(format!(
                    "user {username}: {key} belongs to another user in the file"
                )),
                e => e.into(),
            })?;
        for group in &record.groups {
            store
                .add_user_to_group(&pool_id, group, &record.sub)
                .await
                .map_err(|e| match e {
                    StoreError::NotFound => ExportError::new(format!(
                        "user {username} is in group {group}, which the file does not define"
                    )),
                    e => e.into(),
                })?;
        }
        for device in record.devices {
            store
                .insert_device(
                    &Device {
                        pool_id: pool_id.clone(),
                        sub: record.sub.clone(),
                        device_key: device.device_key,
                        device_group_key: device.device_group_key,
                        verifier: device.verifier,
                        name: device.name,
                        attributes: device.attributes,
                        status: device.status,
                        created_ms: device.created_ms,
                        modified_ms: device.modified_ms,
                        last_authenticated_ms: device.last_authenticated_ms,
                    },
                    KEEP_UNCONFIRMED,
                )
                .await?;
        }
        let mut tokens = record.refresh_tokens;
        // Oldest first, so that each family is opened by its first token.
        tokens.sort_by(|a, b| (a.created_ms, &a.token_hash).cmp(&(b.created_ms, &b.token_hash)));
        for token in &tokens {
            self.refresh_token(&record.sub, token).await?;
        }
        Ok(())
    }

    async fn refresh_token(
        &self,
        sub: &str,
        token: &RefreshTokenRecord,
    ) -> Result<(), ExportError> {
        let store = self.cx.store.as_ref();
        store
            .insert_refresh_token(&RefreshToken {
                token_hash: token.token_hash.clone(),
                pool_id: self.pool_id.clone(),
                client_id: token.client_id.clone(),
                sub: sub.to_owned(),
                family_id: token.family_id.clone(),
                auth_time_ms: token.auth_time_ms,
                device_key: token.device_key.clone(),
                created_ms: token.created_ms,
                expires_ms: token.expires_ms,
                replaced_ms: token.replaced_ms,
                revoked_ms: None,
                family_scopes: None,
            })
            .await?;
        if let Some(at) = token.revoked_ms {
            store
                .revoke_token_family(&self.pool_id, &token.family_id, at)
                .await?;
        }
        if let Some(scopes) = &token.scopes {
            store
                .put_family_scopes(&self.pool_id, &token.family_id, scopes)
                .await?;
        }
        Ok(())
    }

    /// The user's data with its TOTP secrets sealed under this server's key.
    async fn sealed_data(&self, sub: &str, mut data: UserData) -> Result<UserData, ExportError> {
        if let Some(token) = data.software_token.take() {
            data.software_token = Some(SoftwareToken {
                secret: self.seal(sub, &token.secret).await?,
                ..token
            });
        }
        if let Some(pending) = data.software_token_pending.take() {
            data.software_token_pending = Some(self.seal(sub, &pending).await?);
        }
        Ok(data)
    }

    async fn seal(&self, sub: &str, plain: &SealedSecret) -> Result<SealedSecret, ExportError> {
        let secret = STANDARD.decode(&plain.0).map_err(|_| {
            ExportError::new(format!("the TOTP secret of user {sub} is not base64"))
        })?;
        Ok(seal::seal(self.cx, &self.pool_id, sub, &secret).await?)
    }

    async fn identity_pool(&mut self, record: IdentityPoolRecord) -> Result<(), ExportError> {
        let id = record.id.clone();
        self.cx
            .store
            .insert_identity_pool(&IdentityPool {
                id: record.id,
                name: record.name,
                created_ms: record.created_ms,
                modified_ms: record.modified_ms,
                version: record.version,
                config: record.config,
                data: record.data,
            })
            .await
            .map_err(|e| conflict(e, format!("identity pool {id} already exists here")))?;
        self.identity_pools.push(id);
        Ok(())
    }

    /// Deletes what the failed import wrote (the pool takes its clients, users, groups and
    /// tokens with it).
    async fn undo(&self) {
        let store = self.cx.store.as_ref();
        for id in &self.identity_pools {
            if let Err(e) = store.delete_identity_pool(id).await {
                tracing::error!(identity_pool = %id, error = %e, "cannot undo a failed import");
            }
        }
        if self.pool_written {
            if let Err(e) = store.delete_user_pool(&self.pool_id).await {
                tracing::error!(pool_id = %self.pool_id, error = %e, "cannot undo a failed import");
            }
        }
    }
}

/// A conflict as `message`; other store errors as they are.
fn conflict(e: StoreError, message: String) -> ExportError {
    match e {
        StoreError::Conflict { .. } => ExportError::new(message),
        e => e.into(),
    }
}
