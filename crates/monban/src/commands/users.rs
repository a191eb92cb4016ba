//! `monban users import-hashes --pool-id ID FILE`: creates CONFIRMED users with the password
//! hashes of another directory (bcrypt, Keycloak's PBKDF2, Firebase's scrypt, Argon2), one
//! JSON object a line (`-` for standard input):
//! `{"username": "alice", "attributes": {"email": "a@example.com"}, "hash": {"format":
//! "bcrypt", "hash": "$2b$..."}}`. Their first password sign-in replaces the hash with the
//! pool's Argon2id. A bad line is reported and the others imported.
//!
//! `monban users import-errors --job-id ID`: the rows a CSV import job did not import.

use std::io::BufRead;
use std::path::Path;
use std::sync::Arc;

use monban_core::pool_config::load_pool;
use monban_core::user_import::{import_hashed_user, HashedUser};

use crate::settings::Settings;

pub async fn import_hashes(
    settings: &Settings,
    pool_id: &str,
    file: &Path,
    json: bool,
) -> anyhow::Result<()> {
    let reader: Box<dyn BufRead> = if file == Path::new("-") {
        Box::new(std::io::BufReader::new(std::io::stdin()))
    } else {
        let f = std::fs::File::open(file)
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
        Box::new(std::io::BufReader::new(f))
    };
    let store = Arc::new(super::open_store(settings).await?);
    let cx = super::command_cx(settings, store);
    let pool = load_pool(&cx, pool_id)
        .await
        .map_err(|e| anyhow::anyhow!("{}", e.message))?;
    let (mut imported, mut failed) = (0usize, 0usize);
    for (index, line) in reader.lines().enumerate() {
        let number = index + 1;
        let line = line.map_err(|e| anyhow::anyhow!("cannot read line {number}: {e}"))?;
        if line.trim().is_empty() {
            continue;
        }
        // The line's text is never echoed: it holds a password hash.
        let outcome = match serde_json::from_str::<HashedUser>(&line) {
            Ok(user) => import_hashed_user(&cx, &pool, &user)
                .await
                .map(|u| (user.username, u.sub))
                .map_err(|e| format!("{}: {}", e.kind.name(), e.message)),
            Err(e) => Err(format!("not an import-hashes line: {}", json_problem(&e))),
        };
        match outcome {
            Ok((username, sub)) => {
                imported += 1;
                if json {
                    let out = serde_json::json!({"line": number, "username": username, "sub": sub});
                    println!("{out}");
                } else {
                    println!("line {number}: imported {username} ({sub})");
                }
            }
            Err(message) => {
                failed += 1;
                if json {
                    println!("{}", serde_json::json!({"line": number, "error": message}));
                } else {
                    println!("line {number}: not imported: {message}");
                }
            }
        }
    }
    if !json {
        println!("{imported} imported, {failed} not imported");
    }
    if failed > 0 {
        anyhow::bail!("{failed} line(s) not imported");
    }
    Ok(())
}

/// serde's message without the input it quotes (which may be a hash).
fn json_problem(e: &serde_json::Error) -> String {
    let category = match e.classify() {
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof => "invalid JSON",
        serde_json::error::Category::Data => "a member is missing, unknown or of the wrong type",
        serde_json::error::Category::Io => "unreadable",
    };
    format!("{category} (column {})", e.column())
}

pub async fn import_errors(settings: &Settings, job_id: &str, json: bool) -> anyhow::Result<()> {
    let store = super::open_store(settings).await?;
    use monban_core::user_import::UserImportStore;
    let Some(job) = store.get_import_job(job_id).await? else {
        anyhow::bail!("import job {job_id} does not exist");
    };
    let errors = store.list_import_errors(job_id).await?;
    if !json {
        println!(
            "{} ({}): {} imported, {} skipped, {} failed",
            job.job_id,
            job.status.as_str(),
            job.imported_users,
            job.skipped_users,
            job.failed_users
        );
    }
    for e in errors {
        let username = e.username.as_deref().unwrap_or("-");
        if json {
            let out = serde_json::json!({
                "line": e.line, "username": e.username, "outcome": e.outcome, "message": e.message,
            });
            println!("{out}");
        } else {
            println!("[{}] line {} {username}: {}", e.outcome, e.line, e.message);
        }
    }
    Ok(())
}
