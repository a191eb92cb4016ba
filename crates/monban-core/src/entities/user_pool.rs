use monban_wire::idp::UserPoolType;

/// A user pool. `config` holds every setting exactly as `DescribeUserPool` returns it;
/// the id, name, ARN, dates and user count are filled in on the way out.
#[derive(Debug, Clone, PartialEq)]
pub struct UserPool {
    pub id: String,
    pub name: String,
    pub created_ms: i64,
    pub modified_ms: i64,
    /// Optimistic concurrency: the version read; the store refuses an update from a stale one.
    pub version: i64,
    pub config: UserPoolType,
}
