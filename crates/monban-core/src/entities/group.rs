/// A group of a user pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub pool_id: String,
    pub name: String,
    pub description: Option<String>,
    pub precedence: Option<i32>,
    pub role_arn: Option<String>,
    pub created_ms: i64,
    pub modified_ms: i64,
}
