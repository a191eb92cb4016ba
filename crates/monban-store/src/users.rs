//! `UserStore`: the `users` table and the login keys in `user_keys`.

use async_trait::async_trait;
use monban_core::entities::{FilterAttribute, User, UserFilter};
use monban_core::store::{StoreError, StoreResult, TokenFamilyState, UserStore};
use monban_wire::idp::UserStatusType;
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::{query, Any, Transaction};

use crate::codec::{
    after_condition, bool_column, bool_value, column_value, json_column, limit, to_json,
};
use crate::dialect::Dialect;
use crate::error::{corrupt, on_write, stale_or_gone, unavailable};
use crate::SqlStore;

/// Selected from `users u`, as [`with_keys`] expects.
pub(crate) const USER_COLUMNS: &str = "u.pool_id, u.sub, u.username, u.status, u.enabled, \
     u.password_hash, u.attributes, u.data, u.created_ms, u.modified_ms, u.version";

/// The attributes copied into columns of their own for ListUsers filters; each column is
/// named after its attribute.
const FILTER_COLUMNS: [&str; 6] = [
    "email",
    "phone_number",
    "name",
    "given_name",
    "family_name",
    "preferred_username",
];

/// Wraps a query selecting [`USER_COLUMNS`] (with its own WHERE, ORDER BY and LIMIT) so that
/// each user comes back with its login keys, one row per key, in one round trip.
pub(crate) fn with_keys(users: &str) -> String {
    format!(
        "SELECT p.pool_id, p.sub, p.username, p.status, p.enabled, p.password_hash, \
         p.attributes, p.data, p.created_ms, p.modified_ms, p.version, k.key AS login_key \
         FROM ({users}) p \
         LEFT JOIN user_keys k ON k.pool_id = p.pool_id AND k.sub = p.sub \
         ORDER BY p.username, p.sub, k.key_order"
    )
}

/// Folds the rows of a [`with_keys`] query into users, keeping their order.
pub(crate) fn users_from_rows(rows: &[AnyRow]) -> StoreResult<Vec<User>> {
    let mut users: Vec<User> = Vec::new();
    for row in rows {
        let sub: String = column_value(row, "sub")?;
        let key: Option<String> = column_value(row, "login_key")?;
        let same_user = users.last().is_some_and(|last| last.sub == sub);
        if !same_user {
            users.push(user_from_row(row, sub)?);
        }
        if let (Some(user), Some(key)) = (users.last_mut(), key) {
            user.keys.push(key);
        }
    }
    Ok(users)
}

fn user_from_row(row: &AnyRow, sub: String) -> StoreResult<User> {
    let status: String = column_value(row, "status")?;
    Ok(User {
        pool_id: column_value(row, "pool_id")?,
        username: column_value(row, "username")?,
        sub,
        status: UserStatusType::parse(&status).ok_or_else(|| corrupt("user status", &status))?,
        enabled: bool_column(row, "enabled")?,
        attributes: json_column(row, "attributes")?,
        password_hash: column_value(row, "password_hash")?,
        created_ms: column_value(row, "created_ms")?,
        modified_ms: column_value(row, "modified_ms")?,
        version: column_value(row, "version")?,
        keys: Vec::new(),
        data: json_column(row, "data")?,
    })
}

/// What ListUsers compares for each filter attribute, in `users u`.
fn filter_expression(attribute: FilterAttribute) -> &'static str {
    match attribute {
        FilterAttribute::Username => "u.username",
        FilterAttribute::Email => "u.email",
        FilterAttribute::PhoneNumber => "u.phone_number",
        FilterAttribute::Name => "u.name",
        FilterAttribute::GivenName => "u.given_name",
        FilterAttribute::FamilyName => "u.family_name",
        FilterAttribute::PreferredUsername => "u.preferred_username",
        FilterAttribute::Sub => "u.sub",
        FilterAttribute::UserStatus => "u.status",
        FilterAttribute::Status => "(CASE WHEN u.enabled = 1 THEN 'Enabled' ELSE 'Disabled' END)",
    }
}

/// Whether a prefix filter gets an index range beside its exact test: not `status`, a
/// computed value no index holds.
fn ranged(filter: &UserFilter) -> bool {
    filter.prefix && filter.attribute != FilterAttribute::Status
}

/// The filter as a condition on parameter `param` (and `param + 1`, the prefix's upper
/// bound, when `upper_bound`). The prefix test compares the leading characters rather
/// than using LIKE, so that `%` and `_` in the value are plain characters and both engines
/// agree on case (LIKE ignores ASCII case on SQLite only). The range beside it says the
/// same in a form an index answers: without it, a prefix deep in a large pool is found by
/// reading every user before it.
fn filter_condition(
    filter: &UserFilter,
    param: usize,
    dialect: Dialect,
    upper_bound: bool,
) -> String {
    let column = filter_expression(filter.attribute);
    if !filter.prefix {
        return format!("AND {column} = ${param}");
    }
    let exact = format!("AND substr({column}, 1, length(${param})) = ${param}");
    if !ranged(filter) {
        return exact;
    }
    // Code-point order, as the prefix test means: SQLite's default collation is bytewise
    // (UTF-8 keeps code-point order); PostgreSQL's may be linguistic, hence "C" there.
    let ordered = match dialect {
        Dialect::Sqlite => column.to_owned(),
        Dialect::Postgres => format!("{column} COLLATE \"C\""),
    };
    let upper = if upper_bound {
        format!(" AND {ordered} < ${}", param + 1)
    } else {
        String::new()
    };
    format!("{exact} AND {ordered} >= ${param}{upper}")
}

/// The least string greater than every string starting with `prefix`, in code-point
/// order: its last character made the next one (dropping trailing U+10FFFF); `None` when
/// there is no such string (an empty prefix, or one of U+10FFFF only).
fn prefix_upper_bound(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        let next = (u32::from(last) + 1..=u32::from(char::MAX)).find_map(char::from_u32);
        if let Some(next) = next {
            chars.push(next);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

/// `sql` with $1..=$16 bound: the values `insert_user` and `update_user` share.
fn bind_user<'q>(sql: &'q str, user: &'q User) -> StoreResult<Query<'q, Any, AnyArguments<'q>>> {
    let mut q = query::<Any>(sql)
        .bind(&user.pool_id)
        .bind(&user.sub)
        .bind(&user.username)
        .bind(user.status.as_str())
        .bind(bool_value(user.enabled))
        .bind(user.password_hash.as_deref())
        .bind(to_json("user attributes", &user.attributes)?)
        .bind(to_json("user data", &user.data)?);
    for attribute in FILTER_COLUMNS {
        q = q.bind(user.attributes.get(attribute).map(String::as_str));
    }
    Ok(q.bind(user.modified_ms).bind(user.version))
}

const USER_VALUES: &str = "pool_id, sub, username, status, enabled, password_hash, attributes, \
     data, email, phone_number, name, given_name, family_name, preferred_username, \
     modified_ms, version";

/// Writes the user's login keys; a key held by another user is a `Conflict` naming it.
/// They go in in one fixed order, so that two transactions wanting the same two keys wait
/// for each other instead of deadlocking (each holding one) on PostgreSQL: the username
/// first, so that a taken username is reported before a taken alias (as Cognito does),
/// then the aliases by key.
async fn insert_keys(tx: &mut Transaction<'static, Any>, user: &User) -> StoreResult<()> {
    let mut keys: Vec<(usize, &String)> = user.keys.iter().enumerate().collect();
    keys.sort_by_key(|&(_, key)| (!key.starts_with("u:"), key));
    for (order, key) in keys {
        query("INSERT INTO user_keys (pool_id, key, sub, key_order) VALUES ($1, $2, $3, $4)")
            .bind(&user.pool_id)
            .bind(key)
            .bind(&user.sub)
            .bind(i64::try_from(order).unwrap_or(i64::MAX))
            .execute(&mut **tx)
            .await
            .map_err(|e| on_write(e, || key.clone()))?;
    }
    Ok(())
}

/// Why an update under `user.version` changed no row: `VersionMismatch` if the user is
/// still there (another writer was first), `NotFound` if it is gone.
async fn why_not_updated<'e, E>(db: E, user: &User) -> StoreError
where
    E: sqlx::Executor<'e, Database = Any>,
{
    match query("SELECT 1 FROM users WHERE pool_id = $1 AND sub = $2")
        .bind(&user.pool_id)
        .bind(&user.sub)
        .fetch_optional(db)
        .await
    {
        Ok(row) => stale_or_gone(row.is_some()),
        Err(e) => unavailable(e),
    }
}

#[async_trait]
impl UserStore for SqlStore {
    async fn insert_user(&self, user: &User) -> StoreResult<()> {
        self.insert_users(std::slice::from_ref(user)).await
    }

    async fn insert_users(&self, users: &[User]) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let sql = format!(
            "INSERT INTO users ({USER_VALUES}, created_ms) VALUES \
             ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)"
        );
        for user in users {
            bind_user(&sql, user)?
                .bind(user.created_ms)
                .execute(&mut *tx)
                .await
                .map_err(|e| on_write(e, || format!("sub:{}", user.sub)))?;
            insert_keys(&mut tx, user).await?;
        }
        tx.commit().await.map_err(unavailable)
    }

    async fn get_user_by_key(&self, pool_id: &str, key: &str) -> StoreResult<Option<User>> {
        let sql = with_keys(&format!(
            "SELECT {USER_COLUMNS} FROM user_keys x \
             JOIN users u ON u.pool_id = x.pool_id AND u.sub = x.sub \
             WHERE x.pool_id = $1 AND x.key = $2"
        ));
        let rows = query(&sql)
            .bind(pool_id)
            .bind(key)
            .fetch_all(self.reader())
            .await
            .map_err(unavailable)?;
        Ok(users_from_rows(&rows)?.into_iter().next())
    }

    async fn get_user_by_sub(&self, pool_id: &str, sub: &str) -> StoreResult<Option<User>> {
        let sql = with_keys(&format!(
            "SELECT {USER_COLUMNS} FROM users u WHERE u.pool_id = $1 AND u.sub = $2"
        ));
        let rows = query(&sql)
            .bind(pool_id)
            .bind(sub)
            .fetch_all(self.reader())
            .await
            .map_err(unavailable)?;
        Ok(users_from_rows(&rows)?.into_iter().next())
    }

    async fn update_user(&self, user: &User) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let done = bind_user(
            "UPDATE users SET username = $3, status = $4, enabled = $5, \
                 password_hash = $6, attributes = $7, data = $8, email = $9, \
                 phone_number = $10, name = $11, given_name = $12, family_name = $13, \
                 preferred_username = $14, modified_ms = $15, version = version + 1 \
                 WHERE pool_id = $1 AND sub = $2 AND version = $16",
            user,
        )?
        .execute(&mut *tx)
        .await
        .map_err(unavailable)?;
        if done.rows_affected() == 0 {
            return Err(why_not_updated(&mut *tx, user).await);
        }
        query("DELETE FROM user_keys WHERE pool_id = $1 AND sub = $2")
            .bind(&user.pool_id)
            .bind(&user.sub)
            .execute(&mut *tx)
            .await
            .map_err(unavailable)?;
        insert_keys(&mut tx, user).await?;
        tx.commit().await.map_err(unavailable)
    }

    async fn update_user_data(&self, user: &User) -> StoreResult<()> {
        let done = query(
            "UPDATE users SET data = $3, version = version + 1 \
             WHERE pool_id = $1 AND sub = $2 AND version = $4",
        )
        .bind(&user.pool_id)
        .bind(&user.sub)
        .bind(to_json("user data", &user.data)?)
        .bind(user.version)
        .execute(&self.pool)
        .await
        .map_err(unavailable)?;
        if done.rows_affected() == 0 {
            return Err(why_not_updated(&self.pool, user).await);
        }
        Ok(())
    }

    async fn delete_user(&self, pool_id: &str, sub: &str) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        // Challenge sessions name the user by username, with no foreign key (a flow may
        // hold one for a user it has not found yet): they are deleted here, so that a new
        // user of the same name cannot continue them.
        query(
            "DELETE FROM auth_sessions WHERE pool_id = $1 AND username IN \
             (SELECT username FROM users WHERE pool_id = $1 AND sub = $2)",
        )
        .bind(pool_id)
        .bind(sub)
        .execute(&mut *tx)
        .await
        .map_err(unavailable)?;
        // Keys, memberships, codes, token families and refresh tokens go with it
        // (ON DELETE CASCADE).
        let done = query("DELETE FROM users WHERE pool_id = $1 AND sub = $2")
            .bind(pool_id)
            .bind(sub)
            .execute(&mut *tx)
            .await
            .map_err(unavailable)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        tx.commit().await.map_err(unavailable)
    }

    async fn list_users(
        &self,
        pool_id: &str,
        filter: Option<&UserFilter>,
        after: Option<&str>,
        page: usize,
    ) -> StoreResult<Vec<User>> {
        // $1 pool, $2 limit, then the filter's values and the resume key as present.
        let filter_param = 3;
        let upper = filter
            .filter(|f| ranged(f))
            .and_then(|f| prefix_upper_bound(&f.value));
        let after_param =
            filter_param + usize::from(filter.is_some()) + usize::from(upper.is_some());
        let sql = with_keys(&format!(
            "SELECT {USER_COLUMNS} FROM users u WHERE u.pool_id = $1 {} {} \
             ORDER BY u.username LIMIT $2",
            filter
                .map(|f| filter_condition(f, filter_param, self.dialect, upper.is_some()))
                .unwrap_or_default(),
            after_condition(after, "u.username", after_param),
        ));
        let mut q = query(&sql).bind(pool_id).bind(limit(page));
        if let Some(filter) = filter {
            q = q.bind(filter.value.as_str());
        }
        if let Some(upper) = upper {
            q = q.bind(upper);
        }
        if let Some(after) = after {
            q = q.bind(after);
        }
        let rows = q.fetch_all(self.reader()).await.map_err(unavailable)?;
        users_from_rows(&rows)
    }
}

/// The user with its keys and its token family's state in one statement (the access-token
/// check runs on every self-service call; each statement is a round trip to SQLite's
/// worker thread or to PostgreSQL).
pub(crate) async fn get_token_user(
    store: &SqlStore,
    pool_id: &str,
    sub: &str,
    family_id: &str,
) -> StoreResult<Option<(User, TokenFamilyState)>> {
    let sql = format!(
        "SELECT p.pool_id, p.sub, p.username, p.status, p.enabled, p.password_hash, \
         p.attributes, p.data, p.created_ms, p.modified_ms, p.version, k.key AS login_key, \
         f.family_id AS family_id, f.revoked_ms AS family_revoked_ms \
         FROM (SELECT {USER_COLUMNS} FROM users u WHERE u.pool_id = $1 AND u.sub = $2) p \
         LEFT JOIN token_families f ON f.pool_id = p.pool_id AND f.family_id = $3 \
         LEFT JOIN user_keys k ON k.pool_id = p.pool_id AND k.sub = p.sub \
         ORDER BY k.key_order"
    );
    let rows = query(&sql)
        .bind(pool_id)
        .bind(sub)
        .bind(family_id)
        .fetch_all(store.reader())
        .await
        .map_err(unavailable)?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let family = match (
        column_value::<Option<String>>(first, "family_id")?,
        column_value::<Option<i64>>(first, "family_revoked_ms")?,
    ) {
        (None, _) => TokenFamilyState::Unknown,
        (Some(_), None) => TokenFamilyState::Live,
        (Some(_), Some(_)) => TokenFamilyState::Revoked,
    };
    Ok(users_from_rows(&rows)?
        .into_iter()
        .next()
        .map(|user| (user, family)))
}

#[cfg(test)]
mod tests {
    use super::prefix_upper_bound;

    #[test]
    fn a_prefix_upper_bound_is_the_next_string_in_code_point_order() {
        assert_eq!(prefix_upper_bound("user001").as_deref(), Some("user002"));
        assert_eq!(prefix_upper_bound("az").as_deref(), Some("a{"));
        assert_eq!(prefix_upper_bound("é").as_deref(), Some("ê"));
        // The surrogate range is skipped.
        assert_eq!(
            prefix_upper_bound("a\u{D7FF}").as_deref(),
            Some("a\u{E000}")
        );
        assert_eq!(prefix_upper_bound("a\u{10FFFF}").as_deref(), Some("b"));
        assert_eq!(prefix_upper_bound("\u{10FFFF}"), None);
        assert_eq!(prefix_upper_bound(""), None);
    }
}
