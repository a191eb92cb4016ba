//! The command line. Settings flags are global (accepted before or after the subcommand);
//! each has a `MONBAN_*` variable and a key in the settings file, which it overrides.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::settings::{
    AdminKeySetting, CredentialSourceName, IssuerStyleName, Layer, LogFormat, SmtpSecurityName,
};

#[derive(Debug, Parser)]
#[command(
    name = "monban",
    version,
    about = "A self-hosted identity server that speaks Amazon Cognito's APIs",
    after_help = "Settings come from flags, then MONBAN_* environment variables, then the \
                  settings file (--config), then defaults."
)]
pub struct Cli {
    #[command(flatten)]
    pub settings: SettingsArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server.
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// List the mail kept in the database outbox (used when no SMTP server is configured).
    Outbox {
        /// Show the newest N messages.
        #[arg(long, default_value_t = 20, value_name = "N")]
        limit: usize,
        /// One JSON object per line instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Mail delivery: the mail log and the DNS records of deliverability.
    Mail {
        #[command(subcommand)]
        command: MailCommand,
    },
    /// Create the pools, clients, groups and users of a seed file (TOML, or JSON by its
    /// .json name) that do not exist yet, and print their ids. Safe to run again.
    Seed {
        /// The seed file.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// One JSON object per line instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Write a consistent snapshot of the SQLite database to FILE while the server keeps
    /// serving; encrypted with a passphrase from --passphrase-file or
    /// MONBAN_BACKUP_PASSPHRASE.
    Backup {
        /// The backup file to create.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        #[command(flatten)]
        passphrase: PassphraseArgs,
    },
    /// Put a backup in place as the database of an empty data directory.
    Restore {
        /// The backup file.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        #[command(flatten)]
        passphrase: PassphraseArgs,
    },
    /// Write one user pool, with everything needed to move it to another monban, to FILE
    /// (JSON lines, docs/export-format.md; `-` for standard output).
    Export {
        /// The user pool, such as us-east-1_AbC123xyZ.
        #[arg(long, visible_alias = "pool", value_name = "ID")]
        pool_id: String,
        /// Include the pool's token signing keys, so tokens issued before a move verify
        /// after it.
        #[arg(long)]
        include_signing_keys: bool,
        /// The export file to create.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        #[command(flatten)]
        passphrase: PassphraseArgs,
    },
    /// Create a user pool from a `monban export` file (`-` for standard input); refuses a
    /// pool that exists.
    Import {
        /// The export file.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        #[command(flatten)]
        passphrase: PassphraseArgs,
    },
    /// Users brought in from other directories.
    Users {
        #[command(subcommand)]
        command: UsersCommand,
    },
    /// The tamper-evident audit trail: verify the hash chain, export records, prune.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Manage token signing keys.
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// Lambda triggers (webhooks).
    Triggers {
        #[command(subcommand)]
        command: TriggersCommand,
    },
    /// Inspect the settings.
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
}

/// The passphrase of encrypted backups and exports (never a flag value: other users could
/// read it in the process list).
#[derive(Debug, Args)]
pub struct PassphraseArgs {
    /// Encrypt (or decrypt) with the passphrase in FILE [env: MONBAN_BACKUP_PASSPHRASE holds the passphrase itself]
    #[arg(long, value_name = "FILE")]
    pub passphrase_file: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the whole hash chain (and the pruning checkpoint's signature); names the first
    /// altered, deleted or reordered record and exits 1 if there is one.
    Verify,
    /// Write records as JSON lines, oldest first.
    Export {
        /// Only this user pool's records.
        #[arg(long, value_name = "ID")]
        pool_id: Option<String>,
        /// Only this user's records (sub or username).
        #[arg(long, value_name = "SUB_OR_NAME")]
        user: Option<String>,
        /// From this time on (Unix epoch seconds).
        #[arg(long, value_name = "EPOCH_SECS")]
        from: Option<i64>,
        /// Before this time (Unix epoch seconds).
        #[arg(long, value_name = "EPOCH_SECS")]
        to: Option<i64>,
        /// Keep running and write new records as they come (for a log shipper).
        #[arg(long)]
        follow: bool,
    },
    /// Remove records older than the retention, leaving a signed checkpoint.
    Prune {
        /// Retention in days [default: the audit_retention_days setting]
        #[arg(long, value_name = "N")]
        days: Option<u32>,
    },
}

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Add a new ID-token and access-token signing key to a pool; old keys keep verifying
    /// the tokens they signed until those expire.
    Rotate {
        /// The user pool, such as us-east-1_AbC123xyZ.
        #[arg(long, value_name = "ID")]
        pool_id: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// Create CONFIRMED users with their old directory's password hashes (bcrypt,
    /// Keycloak's PBKDF2, Firebase's scrypt, Argon2) from FILE, one JSON object a line
    /// (`-` for standard input); each hash gives way to Argon2id at the first sign-in.
    ImportHashes {
        /// The user pool, such as us-east-1_AbC123xyZ.
        #[arg(long, visible_alias = "pool", value_name = "ID")]
        pool_id: String,
        /// The JSON-lines file.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// One JSON object per line instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Print the rows a CSV user import job (CreateUserImportJob) did not import.
    ImportErrors {
        /// The job, such as import-AbC123xyZ456.
        #[arg(long, value_name = "ID")]
        job_id: String,
        /// One JSON object per line instead of text.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum MailCommand {
    /// Every message with its pool, user, purpose and outcome (queued, sending, sent,
    /// deferred, failed, refused), newest last; never its text.
    Log {
        /// Only this user pool's mail.
        #[arg(long, visible_alias = "pool", value_name = "ID")]
        pool_id: Option<String>,
        /// Show the newest N messages.
        #[arg(long, default_value_t = 50, value_name = "N")]
        limit: usize,
        /// One JSON object per line instead of text.
        #[arg(long)]
        json: bool,
        /// Counts per pool and status instead of messages.
        #[arg(long)]
        summary: bool,
        /// With --summary: only the last SECONDS (0: all).
        #[arg(long, default_value_t = 0, value_name = "SECONDS")]
        since_secs: u64,
    },
    /// Print the DNS records to publish for a pool's sender domain: the DKIM key, and
    /// SPF and DMARC suggestions.
    Dns {
        /// The user pool, such as us-east-1_AbC123xyZ.
        #[arg(long, visible_alias = "pool", value_name = "ID")]
        pool_id: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum TriggersCommand {
    /// Print the secret that signs the pool's trigger webhooks (the `X-Monban-Signature`
    /// HMAC key), for receivers to verify calls with.
    Secret {
        /// The user pool, such as us-east-1_AbC123xyZ.
        #[arg(long, value_name = "ID")]
        pool_id: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the effective settings, secrets redacted; exit non-zero if they are invalid.
    Check,
}

#[derive(Debug, Args)]
#[command(next_help_heading = "Settings")]
pub struct SettingsArgs {
    /// Settings file (TOML, `version = 1`) [env: MONBAN_CONFIG]
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Address to listen on [env: MONBAN_LISTEN] [default: 127.0.0.1:9876]
    #[arg(long, global = true, value_name = "HOST:PORT")]
    pub listen: Option<String>,
    /// Base URL clients use: token issuers and links [env: MONBAN_PUBLIC_URL] [default: http://LISTEN]
    #[arg(long, global = true, value_name = "URL")]
    pub public_url: Option<String>,
    /// AWS region in pool ids and ARNs [env: MONBAN_REGION] [default: us-east-1]
    #[arg(long, global = true)]
    pub region: Option<String>,
    /// sqlite://PATH?mode=rwc or postgres://... [env: MONBAN_DATABASE_URL] [default: SQLite in the data directory]
    #[arg(long, global = true, value_name = "URL")]
    pub database_url: Option<String>,
    /// Directory for the SQLite database and the generated admin key [env: MONBAN_DATA_DIR] [default: ./monban-data]
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Admin (IAM) key, repeatable [env: MONBAN_ADMIN_KEYS, comma-separated]
    #[arg(long = "admin-key", global = true, value_name = "ID:SECRET", value_parser = AdminKeySetting::parse_pair)]
    pub admin_keys: Vec<AdminKeySetting>,
    /// SMTP server; without it mail goes to the database outbox [env: MONBAN_SMTP_HOST]
    #[arg(long, global = true, value_name = "HOST")]
    pub smtp_host: Option<String>,
    /// [env: MONBAN_SMTP_PORT] [default: 25, 587 or 465 by security]
    #[arg(long, global = true, value_name = "PORT")]
    pub smtp_port: Option<u16>,
    /// [env: MONBAN_SMTP_SECURITY] [default: starttls]
    #[arg(long, global = true, value_enum)]
    pub smtp_security: Option<SmtpSecurityName>,
    /// [env: MONBAN_SMTP_USERNAME]
    #[arg(long, global = true, value_name = "USER")]
    pub smtp_username: Option<String>,
    /// [env: MONBAN_SMTP_PASSWORD]
    #[arg(long, global = true, value_name = "PASSWORD")]
    pub smtp_password: Option<String>,
    /// Sender of mail for pools on Cognito's default email [env: MONBAN_SMTP_FROM]
    #[arg(long, global = true, value_name = "ADDRESS")]
    pub smtp_from: Option<String>,
    /// [env: MONBAN_LOG_FORMAT] [default: text]
    #[arg(long, global = true, value_enum)]
    pub log_format: Option<LogFormat>,
    /// RUST_LOG-style filter [env: MONBAN_LOG_LEVEL, else RUST_LOG] [default: info]
    #[arg(long, global = true, value_name = "FILTER")]
    pub log_level: Option<String>,
    /// Argon2id memory cost [env: MONBAN_ARGON2_MEMORY_KIB] [default: 19456]
    #[arg(long, global = true, value_name = "KIB")]
    pub argon2_memory_kib: Option<u32>,
    /// Argon2id time cost [env: MONBAN_ARGON2_ITERATIONS] [default: 2]
    #[arg(long, global = true, value_name = "N")]
    pub argon2_iterations: Option<u32>,
    /// Argon2id lanes [env: MONBAN_ARGON2_PARALLELISM] [default: 1]
    #[arg(long, global = true, value_name = "N")]
    pub argon2_parallelism: Option<u32>,
    /// `iss` of tokens: monban ({public_url}/{poolId}) or aws (https://cognito-idp.{region}.amazonaws.com/{poolId}) [env: MONBAN_ISSUER_STYLE] [default: monban]
    #[arg(long, global = true, value_enum)]
    pub issuer_style: Option<IssuerStyleName>,
    /// Lifetime of sign-up codes [env: MONBAN_SIGN_UP_CODE_VALIDITY_SECS] [default: 86400]
    #[arg(long, global = true, value_name = "SECONDS")]
    pub sign_up_code_validity_secs: Option<u64>,
    /// Lifetime of attribute verification codes [env: MONBAN_VERIFICATION_CODE_VALIDITY_SECS] [default: 86400]
    #[arg(long, global = true, value_name = "SECONDS")]
    pub verification_code_validity_secs: Option<u64>,
    /// Lifetime of password-reset codes [env: MONBAN_RESET_CODE_VALIDITY_SECS] [default: 3600]
    #[arg(long, global = true, value_name = "SECONDS")]
    pub reset_code_validity_secs: Option<u64>,
    /// Wrong codes accepted before a code is dead [env: MONBAN_CODE_MAX_ATTEMPTS] [default: 5]
    #[arg(long, global = true, value_name = "N")]
    pub code_max_attempts: Option<u32>,
    /// Failed sign-ins before the first lockout [env: MONBAN_LOCKOUT_FREE_FAILURES] [default: 5]
    #[arg(long, global = true, value_name = "N")]
    pub lockout_free_failures: Option<u32>,
    /// Longest sign-in lockout, and the quiet time that forgets failures [env: MONBAN_LOCKOUT_MAX_SECS] [default: 900]
    #[arg(long, global = true, value_name = "SECONDS")]
    pub lockout_max_secs: Option<u64>,
    /// Sign-in and sign-up requests per second one source address may sustain; 0 turns throttling off [env: MONBAN_THROTTLE_RATE] [default: 200]
    #[arg(long, global = true, value_name = "N")]
    pub throttle_rate: Option<u32>,
    /// Sign-in and sign-up requests one source address may make at once [env: MONBAN_THROTTLE_BURST] [default: 1000]
    #[arg(long, global = true, value_name = "N")]
    pub throttle_burst: Option<u32>,
    /// How long the hosted UI's sign-in session skips the login page [env: MONBAN_HOSTED_UI_SESSION_SECS] [default: 3600]
    #[arg(long, global = true, value_name = "SECONDS")]
    pub hosted_ui_session_secs: Option<u64>,
    /// Where GetCredentialsForIdentity's credentials come from: monban (minted, verified at POST /_monban/credentials/verify) or upstream (an STS's AssumeRoleWithWebIdentity) [env: MONBAN_CREDENTIAL_SOURCE] [default: monban]
    #[arg(long, global = true, value_enum)]
    pub credential_source: Option<CredentialSourceName>,
    /// STS endpoint for --credential-source upstream [env: MONBAN_STS_ENDPOINT] [default: https://sts.{sts-region}.amazonaws.com/]
    #[arg(long, global = true, value_name = "URL")]
    pub sts_endpoint: Option<String>,
    /// Region of the default STS endpoint [env: MONBAN_STS_REGION] [default: the region]
    #[arg(long, global = true, value_name = "REGION")]
    pub sts_region: Option<String>,
    /// Lifetime of identity-pool credentials [env: MONBAN_CREDENTIALS_DURATION_SECS] [default: 3600]
    #[arg(long, global = true, value_name = "SECONDS")]
    pub credentials_duration_secs: Option<u64>,
    /// Accept any SigV4 signature. For local development only, never in production [env: MONBAN_DEV]
    #[arg(long, global = true)]
    pub dev: bool,
    /// With --dev: an in-memory database that goes when the server stops; no data directory [env: MONBAN_EPHEMERAL]
    #[arg(long, global = true)]
    pub ephemeral: bool,
    /// With --dev: reproducible ids, codes and tokens from this seed [env: MONBAN_RANDOM_SEED]
    #[arg(long, global = true, value_name = "N")]
    pub random_seed: Option<u64>,
    #[command(flatten)]
    pub mail: crate::settings::mail::MailArgs,
    #[command(flatten)]
    pub audit: crate::settings::audit::AuditArgs,
    #[command(flatten)]
    pub oauth: crate::settings::oauth::OAuthArgs,
}

impl SettingsArgs {
    pub fn to_layer(&self) -> Layer {
        Layer {
            listen: self.listen.clone(),
            public_url: self.public_url.clone(),
            region: self.region.clone(),
            database_url: self.database_url.clone(),
            data_dir: self.data_dir.clone(),
            dev: self.dev.then_some(true),
            ephemeral: self.ephemeral.then_some(true),
            random_seed: self.random_seed,
            admin_keys: (!self.admin_keys.is_empty()).then(|| self.admin_keys.clone()),
            smtp_host: self.smtp_host.clone(),
            smtp_port: self.smtp_port,
            smtp_security: self.smtp_security,
            smtp_username: self.smtp_username.clone(),
            smtp_password: self.smtp_password.clone(),
            mail_from: self.smtp_from.clone(),
            log_format: self.log_format,
            log_level: self.log_level.clone(),
            argon2_memory_kib: self.argon2_memory_kib,
            argon2_iterations: self.argon2_iterations,
            argon2_parallelism: self.argon2_parallelism,
            issuer_style: self.issuer_style,
            sign_up_code_validity_secs: self.sign_up_code_validity_secs,
            verification_code_validity_secs: self.verification_code_validity_secs,
            reset_code_validity_secs: self.reset_code_validity_secs,
            code_max_attempts: self.code_max_attempts,
            lockout_free_failures: self.lockout_free_failures,
            hosted_ui_session_secs: self.hosted_ui_session_secs,
            lockout_max_secs: self.lockout_max_secs,
            throttle_rate: self.throttle_rate,
            throttle_burst: self.throttle_burst,
            credential_source: self.credential_source,
            sts_endpoint: self.sts_endpoint.clone(),
            sts_region: self.sts_region.clone(),
            credentials_duration_secs: self.credentials_duration_secs,
            // Triggers are set in the environment or the file only.
            trigger_timeout_ms: None,
            trigger_retries: None,
            trigger_arn_urls: None,
            trigger_arn_url_template: None,
            sms_webhook_url: None,
            // Identity pools' OpenID Connect providers are set in the file only.
            oidc_providers: None,
            mail: self.mail.to_layer(),
            audit: self.audit.to_layer(),
            oauth: self.oauth.to_layer(),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn settings_flags_work_before_and_after_the_subcommand() {
        let cli =
            Cli::try_parse_from(["monban", "--region", "eu-west-1", "serve", "--dev"]).unwrap();
        let layer = cli.settings.to_layer();
        assert_eq!(layer.region.as_deref(), Some("eu-west-1"));
        assert_eq!(layer.dev, Some(true));
        assert!(matches!(cli.command, Command::Serve));
    }

    #[test]
    fn unset_flags_leave_the_layer_empty() {
        let cli = Cli::try_parse_from(["monban", "serve"]).unwrap();
        assert_eq!(cli.settings.to_layer(), Layer::default());
    }

    #[test]
    fn admin_key_flags_repeat() {
        let cli = Cli::try_parse_from([
            "monban",
            "serve",
            "--admin-key",
            "AKIA1:s1",
            "--admin-key",
            "AKIA2:s2",
        ])
        .unwrap();
        assert_eq!(cli.settings.to_layer().admin_keys.unwrap().len(), 2);
        assert!(Cli::try_parse_from(["monban", "serve", "--admin-key", "nocolon"]).is_err());
    }

    #[test]
    fn subcommands_parse() {
        let cli = Cli::try_parse_from(["monban", "outbox", "--limit", "5"]).unwrap();
        assert!(matches!(
            cli.command,
            Command::Outbox {
                limit: 5,
                json: false
            }
        ));
        let cli = Cli::try_parse_from(["monban", "config", "check"]).unwrap();
        assert!(matches!(
            cli.command,
            Command::Config {
                command: ConfigCommand::Check
            }
        ));
    }

    #[test]
    fn keys_rotate_and_issuer_style_parse() {
        let cli = Cli::try_parse_from(["monban", "keys", "rotate", "--pool-id", "us-east-1_AbC"])
            .unwrap();
        assert!(matches!(
            cli.command,
            Command::Keys { command: KeysCommand::Rotate { ref pool_id } } if pool_id == "us-east-1_AbC"
        ));
        assert!(Cli::try_parse_from(["monban", "keys", "rotate"]).is_err());
        let cli = Cli::try_parse_from(["monban", "--issuer-style", "aws", "serve"]).unwrap();
        assert_eq!(
            cli.settings.to_layer().issuer_style,
            Some(IssuerStyleName::Aws)
        );
        assert!(Cli::try_parse_from(["monban", "--issuer-style", "cognito", "serve"]).is_err());
    }

    #[test]
    fn clap_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
