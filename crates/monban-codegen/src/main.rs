//! Generates `monban-wire`'s request/response types, operation table and validation schema
//! from the AWS service models kept (documentation stripped) in `model/`.
//!
//! `cargo run -p monban-codegen` rewrites the generated files; the `generated_code_is_fresh`
//! test fails when they differ from what the models produce.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use monban_codegen::{generate, generate_errors, Service, ERRORS_OUTPUT, SERVICES};

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn main() -> ExitCode {
    let root = workspace_root();
    for service in SERVICES {
        match run(&root, service) {
            Ok(path) => println!("wrote {}", path.display()),
            Err(e) => {
                eprintln!("monban-codegen: {}: {e}", service.model);
                return ExitCode::FAILURE;
            }
        }
    }
    match run_errors(&root) {
        Ok(path) => println!("wrote {}", path.display()),
        Err(e) => {
            eprintln!("monban-codegen: errors: {e}");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}

fn run_errors(root: &Path) -> Result<PathBuf, String> {
    let models = SERVICES
        .iter()
        .map(|s| std::fs::read_to_string(root.join(s.model)).map_err(|e| e.to_string()))
        .collect::<Result<Vec<_>, _>>()?;
    let refs: Vec<&str> = models.iter().map(String::as_str).collect();
    let out = root.join(ERRORS_OUTPUT);
    std::fs::write(&out, generate_errors(&refs)?).map_err(|e| e.to_string())?;
    Ok(out)
}

fn run(root: &Path, service: &Service) -> Result<PathBuf, String> {
    let model = std::fs::read_to_string(root.join(service.model)).map_err(|e| e.to_string())?;
    let code = generate(&model, service)?;
    let out = root.join(service.output);
    std::fs::write(&out, code).map_err(|e| e.to_string())?;
    Ok(out)
}
