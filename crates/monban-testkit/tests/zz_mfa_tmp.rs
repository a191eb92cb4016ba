#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod integration {
    #[path = "support.rs"]
    pub mod support;
    #[path = "mfa.rs"]
    mod mfa;
}
