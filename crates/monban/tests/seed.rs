//! `monban seed` run as a process: a seed file applied twice to one data directory gives
//! the same state, and the second run creates nothing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::{Command, Output};

use monban_core::entities::{AppClient, Group, User, UserPool};
use monban_core::store::{AppClientStore, GroupStore, UserPoolStore, UserStore};
use monban_core::wire::idp::UserStatusType;
use monban_store::SqlStore;

const SEED: &str = r#"
version = 1

[[pools]]
name = "my-app"
username_attributes = ["email"]
auto_verified_attributes = ["email"]
custom_attributes = ["tenant_id"]
password_policy = { minimum_length = 8, require_symbols = false }

[[pools.clients]]
name = "web"
explicit_auth_flows = ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]

[[pools.clients]]
name = "backend"
generate_secret = true

[[pools.groups]]
name = "admins"
description = "People who run the place"
precedence = 1

[[pools.groups]]
name = "readers"

[[pools.users]]
username = "alice@example.com"
password = "Passw0rd1"
attributes = { email = "alice@example.com", email_verified = "true", "custom:tenant_id" = "t-1" }
groups = ["admins", "readers"]

[[pools.users]]
username = "bob@example.com"
password = "Temp0rary"
permanent = false
attributes = { email = "bob@example.com" }

[[pools]]
name = "internal"

[[pools.users]]
username = "ops"
password = "Passw0rd!"
"#;

fn seed(data_dir: &Path, file: &Path, json: bool) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_monban"));
    cmd.arg("seed").arg(file).arg("--data-dir").arg(data_dir);
    if json {
        cmd.arg("--json");
    }
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("MONBAN_") || name == "RUST_LOG" {
            cmd.env_remove(name);
        }
    }
    // Cheap hashing keeps the test fast; the seed works the same.
    cmd.env("MONBAN_ARGON2_MEMORY_KIB", "1024")
        .env("MONBAN_ARGON2_ITERATIONS", "1");
    cmd.output().unwrap()
}

/// The JSON lines of a successful run.
fn lines(out: &Output) -> Vec<serde_json::Value> {
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "stdout:\n{stdout}\nstderr:\n{stderr}");
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// A user as the test compares it: sub, username, status, password hash, groups.
type UserRow = (String, String, UserStatusType, Option<String>, Vec<String>);

#[derive(Debug, PartialEq)]
struct State {
    pools: Vec<UserPool>,
    clients: Vec<(String, String, Option<String>)>,
    groups: Vec<Group>,
    users: Vec<UserRow>,
}

async fn state(data_dir: &Path) -> State {
    let url = format!("sqlite://{}?mode=rw", data_dir.join("monban.db").display());
    let store = SqlStore::connect(&url).await.unwrap();
    let pools = store.list_user_pools(None, 100).await.unwrap();
    let mut clients = Vec::new();
    let mut groups = Vec::new();
    let mut users = Vec::new();
    for pool in &pools {
        let found: Vec<AppClient> = store.list_app_clients(&pool.id, None, 100).await.unwrap();
        clients.extend(found.into_iter().map(|c| (c.client_id, c.name, c.secret)));
        groups.extend(store.list_groups(&pool.id, None, 100).await.unwrap());
        let found: Vec<User> = store.list_users(&pool.id, None, None, 100).await.unwrap();
        for user in found {
            let member_of: Vec<String> = store
                .list_groups_for_user(&pool.id, &user.sub, None, 100)
                .await
                .unwrap()
                .into_iter()
                .map(|g| g.name)
                .collect();
            users.push((
                user.sub,
                user.username,
                user.status,
                user.password_hash,
                member_of,
            ));
        }
    }
    store.close().await;
    State {
        pools,
        clients,
        groups,
        users,
    }
}

#[tokio::test]
async fn seeding_twice_gives_the_same_state() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    let file = dir.path().join("seed.toml");
    std::fs::write(&file, SEED).unwrap();

    let first = lines(&seed(&data_dir, &file, true));
    let summary: Vec<(String, String, String)> = first
        .iter()
        .map(|l| {
            let name = match l["pool"].as_str() {
                Some(pool) => format!("{pool}/{}", l["name"].as_str().unwrap()),
                None => l["name"].as_str().unwrap().to_owned(),
            };
            (
                l["kind"].as_str().unwrap().to_owned(),
                name,
                l["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected: Vec<(String, String, String)> = [
        ("pool", "my-app"),
        ("group", "my-app/admins"),
        ("group", "my-app/readers"),
        ("client", "my-app/web"),
        ("client", "my-app/backend"),
        ("user", "my-app/alice@example.com"),
        ("user", "my-app/bob@example.com"),
        ("pool", "internal"),
        ("user", "internal/ops"),
    ]
    .iter()
    .map(|(k, n)| ((*k).to_owned(), (*n).to_owned(), "created".to_owned()))
    .collect();
    assert_eq!(summary, expected);
    let after_first = state(&data_dir).await;

    let second = lines(&seed(&data_dir, &file, true));
    assert_eq!(second.len(), first.len());
    for (one, two) in first.iter().zip(&second) {
        assert_eq!(two["status"], "found", "{two}");
        assert_eq!(one["id"], two["id"], "the same ids: {one} / {two}");
        assert_eq!(one["name"], two["name"]);
    }
    assert_eq!(state(&data_dir).await, after_first, "nothing changed");

    // What the file says is what the store holds.
    let s = &after_first;
    assert_eq!(s.pools.len(), 2);
    let my_app = s.pools.iter().find(|p| p.name == "my-app").unwrap();
    assert_eq!(first[0]["id"], my_app.id.as_str());
    let policy = my_app
        .config
        .policies
        .as_ref()
        .and_then(|p| p.password_policy.as_ref())
        .unwrap();
    assert_eq!(policy.minimum_length, Some(8));
    assert_eq!(policy.require_symbols, Some(false));
    assert!(my_app
        .config
        .schema_attributes
        .iter()
        .flatten()
        .any(|a| a.name.as_deref() == Some("custom:tenant_id")));
    let secrets: Vec<bool> = s.clients.iter().map(|c| c.2.is_some()).collect();
    assert_eq!(
        secrets.iter().filter(|has| **has).count(),
        1,
        "{:?}",
        s.clients
    );
    let admins = s.groups.iter().find(|g| g.name == "admins").unwrap();
    assert_eq!(admins.precedence, Some(1));
    assert_eq!(s.users.len(), 3);
    let status_of = |groups_len: usize, status: UserStatusType| {
        s.users
            .iter()
            .filter(|u| u.4.len() == groups_len && u.2 == status)
            .count()
    };
    assert_eq!(
        status_of(2, UserStatusType::Confirmed),
        1,
        "alice: {:?}",
        s.users
    );
    assert_eq!(
        status_of(0, UserStatusType::ForceChangePassword),
        1,
        "bob's password is temporary"
    );
    for (_, username, _, hash, _) in &s.users {
        let hash = hash.as_deref().unwrap();
        let mut matching = Vec::new();
        for password in ["Passw0rd1", "Temp0rary", "Passw0rd!"] {
            if monban_core::password::verify_password(hash, password)
                .await
                .unwrap()
            {
                matching.push(password);
            }
        }
        assert_eq!(
            matching.len(),
            1,
            "{username} has exactly its file's password"
        );
    }

    // The text output names the same ids.
    let out = seed(&data_dir, &file, false);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(text.contains("pool    my-app"), "{text}");
    assert!(text.contains(my_app.id.as_str()), "{text}");
    assert!(!text.contains("created"), "{text}");
    assert!(!text.contains("Passw0rd"), "no password printed: {text}");
}

#[test]
fn a_broken_seed_file_fails_with_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("seed.toml");
    std::fs::write(&file, "version = 1\n[[pools]]\nname = \"p\"\nclients = 3\n").unwrap();
    let out = seed(&dir.path().join("data"), &file, false);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("seed.toml"), "{stderr}");

    // An invalid setting is Cognito's error, naming the item.
    std::fs::write(
        &file,
        "version = 1\n[[pools]]\nname = \"p\"\nusername_attributes = [\"nickname\"]\n",
    )
    .unwrap();
    let out = seed(&dir.path().join("data"), &file, false);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("pool p"), "{stderr}");
    assert!(stderr.contains("InvalidParameterException"), "{stderr}");

    // An in-memory database would be gone as soon as the command ends.
    let out = Command::new(env!("CARGO_BIN_EXE_monban"))
        .args(["--dev", "--ephemeral", "seed"])
        .arg(&file)
        .env_remove("MONBAN_DATABASE_URL")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("ephemeral"));
}
