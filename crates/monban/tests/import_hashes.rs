//! `monban users import-hashes` run as a process: the good lines become CONFIRMED users
//! holding the foreign hash (verified by core), the bad ones are reported by line without
//! echoing them, and the exit status says some failed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::{Command, Output};

use monban_core::password::verify_password;
use monban_core::store::{UserPoolStore, UserStore};
use monban_core::wire::idp::UserStatusType;
use monban_store::SqlStore;

const SEED: &str = "version = 1\n[[pools]]\nname = \"legacy\"\n";

const BCRYPT: &str = "$2b$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";

fn monban(data_dir: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_monban"));
    cmd.args(args).arg("--data-dir").arg(data_dir);
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("MONBAN_") || name == "RUST_LOG" {
            cmd.env_remove(name);
        }
    }
    cmd.output().unwrap()
}

#[tokio::test]
async fn good_lines_are_imported_and_bad_ones_reported() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let seed = dir.path().join("seed.toml");
    std::fs::write(&seed, SEED).unwrap();
    let out = monban(&data, &["seed", seed.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let url = format!("sqlite://{}?mode=rw", data.join("monban.db").display());
    let store = SqlStore::connect(&url).await.unwrap();
    let pool = store.list_user_pools(None, 10).await.unwrap().remove(0);

    let lines = [
        format!(
            r#"{{"username": "alice", "attributes": {{"email": "alice@example.com"}}, "hash": {{"format": "bcrypt", "hash": "{BCRYPT}"}}}}"#
        ),
        r#"{"username": "bob", "hash": {"format": "md5", "hash": "s3cret-md5"}}"#.to_owned(),
        String::new(),
        r#"{"username": "carol", "hash": {"format": "bcrypt", "hash": "$2b$nonsense"}}"#.to_owned(),
    ];
    let file = dir.path().join("users.jsonl");
    std::fs::write(&file, lines.join("\n")).unwrap();
    let out = monban(
        &data,
        &[
            "users",
            "import-hashes",
            "--pool-id",
            &pool.id,
            file.to_str().unwrap(),
        ],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "{stdout}");
    assert!(stdout.contains("line 1: imported alice"), "{stdout}");
    assert!(stdout.contains("line 2: not imported"), "{stdout}");
    assert!(
        stdout.contains("line 4: not imported: InvalidParameterException"),
        "{stdout}"
    );
    assert!(stdout.contains("1 imported, 2 not imported"), "{stdout}");
    assert!(
        !stdout.contains("s3cret") && !stdout.contains("nonsense"),
        "{stdout}"
    );

    let alice = store
        .get_user_by_key(&pool.id, "u:alice")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(alice.status, UserStatusType::Confirmed);
    assert_eq!(alice.attributes["email"], "alice@example.com");
    let hash = alice.password_hash.unwrap();
    assert_eq!(hash, BCRYPT);
    assert!(verify_password(&hash, "U*U").await.unwrap());
    assert!(store
        .get_user_by_key(&pool.id, "u:carol")
        .await
        .unwrap()
        .is_none());
}
