use monban_wire::idp::UserPoolClientType;

/// An app client. `config` is what `DescribeUserPoolClient` returns, less the secret,
/// which is kept apart so that it is never written into a document or a log by accident.
#[derive(Clone, PartialEq)]
pub struct AppClient {
    pub pool_id: String,
    pub client_id: String,
    pub name: String,
    pub secret: Option<String>,
    pub created_ms: i64,
    pub modified_ms: i64,
    pub version: i64,
    pub config: UserPoolClientType,
}

impl std::fmt::Debug for AppClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppClient")
            .field("pool_id", &self.pool_id)
            .field("client_id", &self.client_id)
            .field("name", &self.name)
            .field("secret", &self.secret.as_ref().map(|_| "<redacted>"))
            .field("version", &self.version)
            .finish()
    }
}
