//! Fails when the checked-in generated code differs from what the models produce:
//! run `cargo run -p monban-codegen` and commit the result.

#![allow(clippy::expect_used, clippy::panic)]

use std::path::Path;

use monban_codegen::{generate, generate_errors, ERRORS_OUTPUT, SERVICES};

fn read(path: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    std::fs::read_to_string(root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn generated_code_is_fresh() {
    let mut models = Vec::new();
    for service in SERVICES {
        let model = read(service.model);
        let expected = generate(&model, service).expect("generate");
        assert!(
            read(service.output) == expected,
            "{} is stale: run `cargo run -p monban-codegen`",
            service.output
        );
        models.push(model);
    }
    let refs: Vec<&str> = models.iter().map(String::as_str).collect();
    assert!(
        read(ERRORS_OUTPUT) == generate_errors(&refs).expect("generate errors"),
        "{ERRORS_OUTPUT} is stale: run `cargo run -p monban-codegen`"
    );
}

#[test]
fn models_carry_no_documentation() {
    for service in SERVICES {
        assert!(
            !read(service.model).contains("\"documentation\""),
            "{} has docs",
            service.model
        );
    }
}
