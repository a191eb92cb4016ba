//! What the HTTP front door runs with.

use std::fmt;

/// An IAM access key allowed to call the admin (SigV4) operations.
#[derive(Clone, PartialEq, Eq)]
pub struct AdminKey {
    pub access_key_id: String,
    pub secret_access_key: String,
}

impl fmt::Debug for AdminKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AdminKey")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"<redacted>")
            .finish()
    }
}

#[derive(Clone)]
pub struct App {
    pub cx: monban_core::Cx,
    pub admin_keys: Vec<AdminKey>,
    /// Development mode: any well-formed SigV4 `Authorization` header is accepted, from
    /// any key, without checking the signature.
    pub dev: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_the_secret() {
        let key = AdminKey {
            access_key_id: "AKIDEXAMPLE".to_owned(),
            secret_access_key: "wJalrXUtnFEMI".to_owned(),
        };
        let shown = format!("{key:?}");
        assert!(shown.contains("AKIDEXAMPLE"), "{shown}");
        assert!(!shown.contains("wJalrXUtnFEMI"), "{shown}");
    }
}
