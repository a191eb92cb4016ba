//! `monban serve`: wire the store, clock, randomness and mailer into a `Cx`, and serve the
//! router until SIGINT or SIGTERM.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use monban_core::auth::server_secrets::ServerSecrets;
use monban_core::mail::{Mailer, OutboxMailer};
use monban_core::store::Store;
use monban_core::{Cx, SystemRng};
use monban_server::{AdminKey, App, SmtpMailer, SmtpSecurity, SmtpSettings, WebhookTriggers};

use crate::admin_key::{self, AdminKeys};
use crate::settings::{redact, Settings, Smtp, SmtpSecurityName};

/// How long in-flight requests get to finish after a shutdown signal.
const DRAIN: Duration = Duration::from_secs(10);

pub async fn run(settings: Settings) -> anyhow::Result<()> {
    // An ephemeral server keeps nothing on disk, not even an admin key (--dev takes any).
    if !settings.ephemeral {
        super::create_data_dir(&settings)?;
    }
    if settings.dev {
        warn_dev_mode(&settings);
    }
    // Bound before the database is touched: a busy port fails fast and changes nothing.
    let listener = tokio::net::TcpListener::bind(&settings.listen)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", settings.listen))?;
    let local = listener.local_addr()?;
    let keys = if settings.ephemeral {
        AdminKeys {
            keys: settings.admin_keys.clone(),
            data_dir_key: None,
        }
    } else {
        // Never from a seeded generator: the admin secret must stay secret.
        admin_key::resolve(&settings.data_dir, &settings.admin_keys, &SystemRng)?
    };
    let runtime = crate::dev_mode::runtime(&settings);

    let store: Arc<dyn Store> = Arc::new(super::open_store(&settings).await?);
    let clock = runtime.clock.clone();
    // With SMTP, requests only queue mail in the database; a background sender delivers it.
    let (mailer, mail_sender): (Arc<dyn Mailer>, _) = match &settings.smtp {
        Some(smtp) => {
            let smtp = SmtpMailer::new(smtp_settings(smtp))
                .map_err(|e| anyhow::anyhow!("SMTP settings: {e:?}"))?;
            let (queue, sender) = super::mail::delivery::queue(&settings, smtp, &store, &clock);
            (
                crate::dev_mode::keep_copies(&settings, queue, &store, &clock),
                Some(sender),
            )
        }
        None => (
            Arc::new(OutboxMailer {
                store: store.clone(),
                clock: clock.clone(),
            }) as Arc<dyn Mailer>,
            None,
        ),
    };
    let secrets: Arc<ServerSecrets> = Default::default();
    let sms: Arc<dyn monban_core::sms::SmsSender> = match &settings.sms_webhook_url {
        Some(url) => crate::dev_mode::keep_sms_copies(
            &settings,
            Arc::new(monban_server::WebhookSms::new(
                monban_server::SmsWebhookSettings {
                    url: url.clone(),
                    timeout: std::time::Duration::from_secs(10),
                },
                store.clone(),
                clock.clone(),
                runtime.rng.clone(),
                secrets.clone(),
            )),
            &store,
            &clock,
        ),
        None => Arc::new(monban_core::sms::OutboxSms {
            store: store.clone(),
            clock: clock.clone(),
        }),
    };
    let triggers = Arc::new(WebhookTriggers::new(
        settings.triggers.clone(),
        store.clone(),
        clock.clone(),
        runtime.rng.clone(),
        secrets.clone(),
    ));
    super::audit::spawn_pruning(&settings, store.clone());
    let cx = Cx {
        store,
        clock,
        rng: runtime.rng,
        mailer,
        settings: Arc::new(settings.core_settings()),
        keys: Default::default(),
        secrets,
        triggers,
        sms,
    };
    let app = App {
        cx,
        admin_keys: keys
            .keys
            .iter()
            .map(|k| AdminKey {
                access_key_id: k.access_key_id.clone(),
                secret_access_key: k.secret_access_key.clone(),
            })
            .collect(),
        dev: settings.dev,
    };

    announce(&settings, &keys, local);
    tracing::info!(
        listen = %local,
        public_url = %settings.public_url,
        region = %settings.region,
        database = %redact::database_url(&settings.database_url),
        mail = if settings.smtp.is_some() { "smtp" } else { "outbox" },
        sms = if settings.sms_webhook_url.is_some() { "webhook" } else { "outbox" },
        dev = settings.dev,
        "monban is serving"
    );

    let router = crate::dev_mode::router(app, runtime.controls);
    let mail_stop = Arc::new(tokio::sync::Notify::new());
    let mail_task = mail_sender.map(|sender| tokio::spawn(sender.run(mail_stop.clone())));
    let shutdown = Arc::new(tokio::sync::Notify::new());
    let stop = shutdown.clone();
    let mut server = tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move { stop.notified().await })
        .await
    });
    tokio::select! {
        finished = &mut server => {
            finished??;
            return Ok(());
        }
        () = shutdown_signal() => {}
    }
    tracing::info!("shutting down: finishing requests in flight");
    shutdown.notify_one();
    match tokio::time::timeout(DRAIN, server).await {
        Ok(finished) => finished??,
        Err(_) => tracing::warn!("requests still open after {DRAIN:?}; stopping anyway"),
    }
    super::mail::delivery::stop(mail_task, &mail_stop).await;
    tracing::info!("stopped");
    Ok(())
}

fn smtp_settings(smtp: &Smtp) -> SmtpSettings {
    SmtpSettings {
        host: smtp.host.clone(),
        port: smtp.port,
        security: match smtp.security {
            SmtpSecurityName::Plain => SmtpSecurity::Plain,
            SmtpSecurityName::StartTls => SmtpSecurity::StartTls,
            SmtpSecurityName::Tls => SmtpSecurity::Tls,
        },
        username: smtp.username.clone(),
        password: smtp.password.clone(),
    }
}

/// Printed, not logged: the secret of a new key is shown once, on the operator's terminal.
fn announce(settings: &Settings, keys: &AdminKeys, local: SocketAddr) {
    let endpoint = &settings.public_url;
    match &keys.data_dir_key {
        Some((key, true)) => {
            println!(
                "monban: created an admin key and saved it in {} (keep it secret). Try it:\n\n  {}\n",
                admin_key::path(&settings.data_dir).display(),
                admin_key::usage_line(key, endpoint, &settings.region)
            );
            if !settings.database_in_data_dir() {
                tracing::warn!(
                    "this admin key exists only in this node's data directory; other nodes on \
                     the same database accept it only if it is configured there too \
                     (MONBAN_ADMIN_KEYS or --admin-key)"
                );
            }
        }
        Some((key, false)) => println!(
            "monban: admin key {} (secret in {})",
            key.access_key_id,
            admin_key::path(&settings.data_dir).display()
        ),
        None => {}
    }
    let configured: Vec<&str> = settings
        .admin_keys
        .iter()
        .map(|k| k.access_key_id.as_str())
        .collect();
    if !configured.is_empty() {
        println!("monban: configured admin keys: {}", configured.join(", "));
    }
    println!(
        "monban: serving on {endpoint} (listening on {local}, region {})",
        settings.region
    );
}

fn warn_dev_mode(settings: &Settings) {
    eprintln!("{}", crate::dev_mode::banner(settings));
    tracing::warn!("development mode: any SigV4 signature is accepted; not for production");
}

async fn shutdown_signal() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut sigterm) => {
                sigterm.recv().await;
            }
            Err(e) => {
                tracing::warn!("cannot watch for SIGTERM ({e}); stop with Ctrl-C");
                std::future::pending::<()>().await;
            }
        }
    };
    let interrupt = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::warn!("cannot watch for Ctrl-C: {e}");
            std::future::pending::<()>().await;
        }
    };
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}
