//! `monban config check` run as a process, against settings files good and bad.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

fn config_check(config: &Path, env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_monban"));
    cmd.args(["config", "check", "--config"]).arg(config);
    // The test's own environment must not change the outcome.
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("MONBAN_") || name == "RUST_LOG" {
            cmd.env_remove(name);
        }
    }
    cmd.envs(env.iter().copied());
    cmd.output().unwrap()
}

fn write(dir: &Path, text: &str) -> std::path::PathBuf {
    let path = dir.join("monban.toml");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn prints_effective_settings_with_secrets_redacted() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        r#"
version = 1
listen = "127.0.0.1:19000"
region = "eu-west-1"
database_url = "postgres://monban:db-password-1@db.internal:5432/monban"

[[admin_keys]]
access_key_id = "AKIAFILEKEY000000001"
secret_access_key = "admin-secret-1"

[smtp]
host = "mail.example.com"
username = "mailer"
password = "smtp-password-1"
from = "auth@example.com"

[argon2]
iterations = 3
"#,
    );
    let out = config_check(&path, &[("MONBAN_REGION", "ap-south-1")]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "stdout:\n{stdout}\nstderr:\n{stderr}");
    for expected in [
        "listen = \"127.0.0.1:19000\"",
        "public_url = \"http://127.0.0.1:19000\"",
        "region = \"ap-south-1\"", // the environment beats the file
        "postgres://monban:<redacted>@db.internal:5432/monban",
        "AKIAFILEKEY000000001",
        "host = \"mail.example.com\"",
        "port = 587",
        "iterations = 3",
        "memory_kib = 19456",
    ] {
        assert!(stdout.contains(expected), "{expected} missing:\n{stdout}");
    }
    for secret in ["db-password-1", "admin-secret-1", "smtp-password-1"] {
        assert!(!stdout.contains(secret), "{secret} leaked:\n{stdout}");
        assert!(!stderr.contains(secret), "{secret} leaked:\n{stderr}");
    }
}

#[test]
fn unknown_key_fails_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "version = 1\nlisten_address = \"0.0.0.0:1\"\n");
    let out = config_check(&path, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("listen_address"), "{stderr}");
    assert!(stderr.contains("monban.toml"), "{stderr}");
}

#[test]
fn missing_version_fails_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "region = \"us-west-2\"\n");
    let out = config_check(&path, &[]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("version = 1"));
}

#[test]
fn invalid_values_are_listed() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "version = 1\nlisten = \"nowhere\"\n[argon2]\nparallelism = 0\n",
    );
    let out = config_check(&path, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("listen"), "{stderr}");
    assert!(stderr.contains("argon2"), "{stderr}");
}
