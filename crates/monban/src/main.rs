//! The monban binary: `serve`, `migrate`, `outbox`, `seed`, `keys rotate` and `config check`.
//!
//! Exit codes: 0 success, 1 failure while running, 2 bad usage or invalid settings.

mod admin_key;
mod cli;
mod commands;
mod dev_mode;
mod logging;
mod settings;

use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command, ConfigCommand, KeysCommand, TriggersCommand};

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
            Command::Seed { file, json } => commands::seed::run(&settings, &file, json).await,
            Command::Keys {
                command: KeysCommand::Rotate { pool_id },
            } => commands::keys::rotate(&settings, &pool_id).await,
            Command::Triggers {
                command: TriggersCommand::Secret { pool_id },
            } => commands::triggers::secret(&settings, &pool_id).await,
            Command::Config { .. } => Ok(()),
        }
    })
}
