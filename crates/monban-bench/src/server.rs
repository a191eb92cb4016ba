//! The server half, run as a child process of the benchmark (`monban-bench serve-child`)
//! so that its CPU time and memory are its own in /proc: monban's production wiring
//! (SqlStore, system clock, Argon2id with the production parameters, outbox mailer,
//! webhook triggers), one pool and app client made through core's operations, and N users
//! seeded through the store directly.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

use monban_core::auth::server_secrets::ServerSecrets;
use monban_core::auth::srp::{SrpIdentity, Verifier};
use monban_core::entities::{SrpCredential, UserPool};
use monban_core::mail::OutboxMailer;
use monban_core::ops::app_clients::create_user_pool_client;
use monban_core::ops::resource_servers::create_resource_server;
use monban_core::ops::user_pools::create_user_pool;
use monban_core::password::hash_password;
use monban_core::users::new_user;
use monban_core::wire::idp::{
    CreateResourceServerRequest, CreateUserPoolClientRequest, CreateUserPoolRequest,
    ExplicitAuthFlowsType, OAuthFlowType, ResourceServerScopeType, UserStatusType,
};
use monban_core::{Cx, Iam, Settings, SystemClock, SystemRng};
use monban_server::{AdminKey, App, WebhookSettings, WebhookTriggers};
use monban_store::SqlStore;

use crate::workloads::{username, PASSWORD};

/// Users inserted in one transaction while seeding.
const SEED_BATCH: usize = 4000;

pub struct ChildArgs {
    pub db: String,
    pub users: usize,
    pub admin: AdminKey,
}

/// Sets up, prints `READY <addr> <pool id> <client id> <seconds seeding>` on stdout and
/// serves until killed.
pub async fn serve_child(args: ChildArgs) -> Result<(), String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| format!("bind: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let store = Arc::new(
        SqlStore::connect(&args.db)
            .await
            .map_err(|e| format!("connect {}: {e}", redact(&args.db)))?,
    );
    let clock = Arc::new(SystemClock);
    let secrets: Arc<ServerSecrets> = Default::default();
    let settings = Settings {
        public_url: format!("http://{addr}"),
        // Production hashing: HashParams::default() (m = 19 MiB, t = 2, p = 1).
        // No per-source throttling: every simulated client comes from 127.0.0.1, and the
        // figures are the server's capacity, not the throttle's.
        throttling: monban_core::throttling::ThrottleSettings {
            rate_per_sec: 0,
            ..Default::default()
        },
        ..Settings::default()
    };
    let cx = Cx {
        store: store.clone(),
        clock: clock.clone(),
        rng: Arc::new(SystemRng),
        mailer: Arc::new(OutboxMailer {
            store: store.clone(),
            clock: clock.clone(),
        }),
        settings: Arc::new(settings),
        keys: Default::default(),
        secrets: secrets.clone(),
        triggers: Arc::new(WebhookTriggers::new(
            WebhookSettings::default(),
            store.clone(),
            clock.clone(),
            Arc::new(SystemRng),
            secrets,
        )),
        sms: Arc::new(monban_core::sms::OutboxSms {
            store,
            clock: clock.clone(),
        }),
    };
    let iam = Iam {
        access_key_id: args.admin.access_key_id.clone(),
    };
    let pool = create_user_pool(
        &cx,
        &iam,
        CreateUserPoolRequest {
            pool_name: "bench".to_owned(),
            ..Default::default()
        },
    )
    .await
    .map_err(|e| format!("CreateUserPool: {e:?}"))?;
    let pool_id = pool
        .user_pool
        .and_then(|p| p.id)
        .ok_or("CreateUserPool returned no id")?;
    let client = create_user_pool_client(
        &cx,
        &iam,
        CreateUserPoolClientRequest {
            user_pool_id: pool_id.clone(),
            client_name: "bench".to_owned(),
            explicit_auth_flows: Some(vec![
                ExplicitAuthFlowsType::AllowUserPasswordAuth,
                ExplicitAuthFlowsType::AllowUserSrpAuth,
                ExplicitAuthFlowsType::AllowRefreshTokenAuth,
            ]),
            ..Default::default()
        },
    )
    .await
    .map_err(|e| format!("CreateUserPoolClient: {e:?}"))?;
    let client_id = client
        .user_pool_client
        .and_then(|c| c.client_id)
        .ok_or("CreateUserPoolClient returned no id")?;
    let (m2m_id, m2m_secret) = machine_client(&cx, &iam, &pool_id).await?;

    let started = Instant::now();
    let pool = cx
        .store
        .get_user_pool(&pool_id)
        .await
        .map_err(|e| format!("{e:?}"))?
        .ok_or("pool vanished")?;
    seed(&cx, &pool, args.users).await?;
    let seeded = started.elapsed().as_secs_f64();

    let app = App {
        cx,
        admin_keys: vec![args.admin],
        dev: false,
    };
    println!("READY {addr} {pool_id} {client_id} {seeded:.2} {m2m_id} {m2m_secret} {M2M_SCOPE}");
    axum::serve(listener, monban_server::router(app))
        .await
        .map_err(|e| format!("serve: {e}"))
}

/// The scope the client_credentials workload asks for.
const M2M_SCOPE: &str = "bench/read";

/// A resource server `bench` with scope `read`, and a confidential client allowed the
/// client_credentials grant for it: (client id, client secret).
async fn machine_client(cx: &Cx, iam: &Iam, pool_id: &str) -> Result<(String, String), String> {
    create_resource_server(
        cx,
        iam,
        CreateResourceServerRequest {
            user_pool_id: pool_id.to_owned(),
            identifier: "bench".to_owned(),
            name: "bench".to_owned(),
            scopes: Some(vec![ResourceServerScopeType {
                scope_name: "read".to_owned(),
                scope_description: "read".to_owned(),
            }]),
        },
    )
    .await
    .map_err(|e| format!("CreateResourceServer: {e:?}"))?;
    let client = create_user_pool_client(
        cx,
        iam,
        CreateUserPoolClientRequest {
            user_pool_id: pool_id.to_owned(),
            client_name: "bench-m2m".to_owned(),
            generate_secret: Some(true),
            allowed_o_auth_flows: Some(vec![OAuthFlowType::ClientCredentials]),
            allowed_o_auth_flows_user_pool_client: Some(true),
            allowed_o_auth_scopes: Some(vec![M2M_SCOPE.to_owned()]),
            ..Default::default()
        },
    )
    .await
    .map_err(|e| format!("CreateUserPoolClient (m2m): {e:?}"))?
    .user_pool_client
    .ok_or("CreateUserPoolClient returned no client")?;
    match (client.client_id, client.client_secret) {
        (Some(id), Some(secret)) => Ok((id, secret)),
        _ => Err("the m2m client has no id or secret".to_owned()),
    }
}

/// Inserts `count` confirmed users `user0000000`…, all with [`PASSWORD`]: one Argon2id hash
/// shared by all (the salt is in the PHC string, so it verifies for each), and an SRP
/// verifier per user (it depends on the username), computed on every core. Users go in
/// [`SEED_BATCH`] to a transaction; the next batch's verifiers are computed meanwhile.
async fn seed(cx: &Cx, pool: &UserPool, count: usize) -> Result<(), String> {
    let hash = hash_password(cx.settings.password_hashing, cx.rng.as_ref(), PASSWORD)
        .await
        .map_err(|e| format!("{e:?}"))?;
    let batch_at = |start: usize| {
        let pool_id = pool.id.clone();
        let indices: Vec<usize> = (start..count.min(start + SEED_BATCH)).collect();
        tokio::task::spawn_blocking(move || {
            let verifiers = verifiers(&pool_id, &indices);
            (indices, verifiers)
        })
    };
    let mut next = (count > 0).then(|| batch_at(0));
    let mut done = 0;
    while let Some(computing) = next.take() {
        let (indices, verifiers) = computing.await.map_err(|e| format!("verifiers: {e}"))?;
        let end = indices.last().map_or(done, |last| last + 1);
        if end < count {
            next = Some(batch_at(end));
        }
        let mut users = Vec::with_capacity(indices.len());
        for (i, srp) in indices.into_iter().zip(verifiers) {
            let mut user = new_user(
                cx,
                pool,
                &username(i),
                &BTreeMap::new(),
                UserStatusType::Confirmed,
            )
            .map_err(|e| format!("{e:?}"))?
            .user;
            user.password_hash = Some(hash.clone());
            user.data.srp = Some(srp);
            user.data.password_set_ms = Some(cx.now_ms());
            users.push(user);
        }
        cx.store
            .insert_users(&users)
            .await
            .map_err(|e| format!("insert users: {e:?}"))?;
        done = end;
        if done % (SEED_BATCH * 25) == 0 || done == count {
            eprintln!("seeded {done}/{count} users");
        }
    }
    Ok(())
}

/// One SRP verifier per user index, on all cores.
fn verifiers(pool_id: &str, indices: &[usize]) -> Vec<SrpCredential> {
    let threads = std::thread::available_parallelism().map_or(2, usize::from);
    let chunk = indices.len().div_ceil(threads).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = indices
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    part.iter()
                        .map(|&i| {
                            let name = username(i);
                            let salt: [u8; 16] = *uuid::Uuid::new_v4().as_bytes();
                            let v = Verifier::from_salt(
                                &salt,
                                &SrpIdentity::user(pool_id, &name),
                                PASSWORD,
                            );
                            SrpCredential {
                                salt: v.salt_hex().to_owned(),
                                verifier: v.verifier_hex(),
                            }
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

/// A database URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            format!("{}://…{}", &url[..scheme], &url[at..])
        }
        _ => url.to_owned(),
    }
}
