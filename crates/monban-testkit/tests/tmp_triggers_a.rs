#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod integration {
    #[path = "../integration/support.rs"]
    pub mod support;
    #[path = "../integration/triggers.rs"]
    mod triggers;
}
