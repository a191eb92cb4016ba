//! The monban binary: `serve`, `migrate`, `outbox`, `seed`, `keys rotate` and `config check`.
//!
//! Exit codes: 0 success, 1 failure while running, 2 bad usage or invalid settings.

mod admin_key;
mod cli;
mod commands;
mod dev_mode;
mod logging;
mod settings;

/// mimalloc instead of glibc's malloc: the request paths allocate and free many small
/// buffers across threads (HTTP, JSON, SQLite rows), where glibc's arenas cost about a
/// tenth of the CPU (bench profiles).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::process::ExitCode;

use clap::Parser;

use cli::{
    AuditCommand, Cli, Command, ConfigCommand, KeysCommand, MailCommand, TriggersCommand,
    UsersCommand,
};

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Variables that are not UTF-8 cannot be ours; skipping them beats panicking.
    let env = std::env::vars_os()
        .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
        .collect();
    let settings = match settings::load(cli.settings.to_layer(), cli.settings.config.clone(), env) {
        Ok(settings) => settings,
        Err(e) => {
            eprintln!("monban: {e:#}");
            return ExitCode::from(2);
        }
    };
    match run(cli.command, settings) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("monban: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command, settings: settings::Settings) -> anyhow::Result<()> {
    if let Command::Config {
        command: ConfigCommand::Check,
    } = command
    {
        return commands::config_check::run(&settings);
    }
    logging::init(&settings.log)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| anyhow::anyhow!("cannot start the async runtime: {e}"))?;
    runtime.block_on(async move {
        match command {
            Command::Serve => commands::serve::run(settings).await,
            Command::Migrate => commands::migrate::run(&settings).await,
            Command::Outbox { limit, json } => commands::outbox::run(&settings, limit, json).await,
            Command::Mail { command } => match command {
                MailCommand::Log {
                    pool_id,
                    limit,
                    json,
                    summary,
                    since_secs,
                } => {
                    let query = commands::mail::LogQuery {
                        pool_id,
                        limit,
                        json,
                        summary,
                        since_secs,
                    };
                    commands::mail::log(&settings, &query).await
                }
                MailCommand::Dns { pool_id } => commands::mail::dns::run(&settings, &pool_id).await,
            },
            Command::Seed { file, json } => commands::seed::run(&settings, &file, json).await,
            Command::Backup { file, passphrase } => {
                let passphrase = commands::passphrase::read(passphrase.passphrase_file.as_deref())?;
                commands::backup::run(&settings, &file, passphrase).await
            }
            Command::Restore { file, passphrase } => {
                let passphrase = commands::passphrase::read(passphrase.passphrase_file.as_deref())?;
                commands::restore::run(&settings, &file, passphrase).await
            }
            Command::Export {
                pool_id,
                include_signing_keys,
                file,
                passphrase,
            } => {
                let passphrase = commands::passphrase::read(passphrase.passphrase_file.as_deref())?;
                commands::export::run(&settings, &pool_id, &file, include_signing_keys, passphrase)
                    .await
            }
            Command::Import { file, passphrase } => {
                let passphrase = commands::passphrase::read(passphrase.passphrase_file.as_deref())?;
                commands::import::run(&settings, &file, passphrase).await
            }
            Command::Audit { command } => match command {
                AuditCommand::Verify => commands::audit::verify(&settings).await,
                AuditCommand::Export {
                    pool_id,
                    user,
                    from,
                    to,
                    follow,
                } => {
                    let filter = monban_core::audit::AuditFilter {
                        pool_id,
                        user,
                        from_ms: from.map(|s| s.saturating_mul(1000)),
                        to_ms: to.map(|s| s.saturating_mul(1000)),
                    };
                    commands::audit::export(&settings, filter, follow).await
                }
                AuditCommand::Prune { days } => commands::audit::prune(&settings, days).await,
            },
            Command::Keys {
                command: KeysCommand::Rotate { pool_id },
            } => commands::keys::rotate(&settings, &pool_id).await,
            Command::Triggers {
                command: TriggersCommand::Secret { pool_id },
            } => commands::triggers::secret(&settings, &pool_id).await,
            Command::Users {
                command:
                    UsersCommand::ImportHashes {
                        pool_id,
                        file,
                        json,
                    },
            } => commands::users::import_hashes(&settings, &pool_id, &file, json).await,
            Command::Users {
                command: UsersCommand::ImportErrors { job_id, json },
            } => commands::users::import_errors(&settings, &job_id, json).await,
            Command::Config { .. } => Ok(()),
        }
    })
}
