//! `monban config check`: the effective settings, secrets redacted. Invalid settings never
//! reach here: loading them already failed with the list of problems.

use crate::admin_key;
use crate::settings::{redact, Settings};

pub fn run(settings: &Settings) -> anyhow::Result<()> {
    let source = match &settings.config_file {
        Some(path) => format!("flags, environment, {} and defaults", path.display()),
        None => "flags, environment and defaults (no settings file)".to_owned(),
    };
    println!("# monban settings are valid. Effective values from {source}:");
    let key_file = admin_key::path(&settings.data_dir);
    match admin_key::read(&settings.data_dir) {
        Ok(Some(key)) => println!(
            "# admin key from {}: {} (used in addition to admin_keys)",
            key_file.display(),
            key.access_key_id
        ),
        Ok(None) if settings.admin_keys.is_empty() => println!(
            "# no admin key yet: `monban serve` will create {}",
            key_file.display()
        ),
        Ok(None) => {}
        Err(e) => anyhow::bail!("{e}"),
    }
    if settings.dev {
        println!("# WARNING: dev = true accepts any SigV4 signature; never use it in production");
    }
    print!("{}", redact::to_toml(settings)?);
    Ok(())
}
