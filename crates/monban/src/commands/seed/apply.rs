//! Applying a seed file through core's own operations (as an administrator would through
//! the API), so every setting is validated as Cognito validates it. Idempotent: what exists
//! (a pool or client by name, a group by name, a user by username or alias) is found and
//! left as it is; only what is missing is created, and missing group memberships added.

use monban_core::ops::{app_clients, groups, user_pools, users};
use monban_core::wire::idp::AttributeType;
use monban_core::wire::{decode, ErrorKind, IDP};
use monban_core::{Cx, Error, Iam};
use serde::de::DeserializeOwned;
use serde_json::{json, Map, Value};

use super::file::{ClientSeed, GroupSeed, PoolSeed, SeedFile, UserSeed};

/// One thing the file names, and what applying it did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// `pool`, `client`, `group` or `user`.
    pub kind: &'static str,
    /// The pool's name for what belongs to a pool.
    pub pool: Option<String>,
    pub name: String,
    /// Pool id, client id, or user `sub`; none for groups (their name is their id).
    pub id: Option<String>,
    pub created: bool,
}

pub async fn apply(cx: &Cx, iam: &Iam, file: &SeedFile) -> anyhow::Result<Vec<Applied>> {
    let mut applied = Vec::new();
    for pool in &file.pools {
        let (pool_id, created) = pool_id(cx, iam, pool)
            .await
            .map_err(|e| anyhow::anyhow!("pool {}: {e}", pool.name))?;
        applied.push(Applied {
            kind: "pool",
            pool: None,
            name: pool.name.clone(),
            id: Some(pool_id.clone()),
            created,
        });
        let item = |kind, name: &str, id, created| Applied {
            kind,
            pool: Some(pool.name.clone()),
            name: name.to_owned(),
            id,
            created,
        };
        for group in &pool.groups {
            let created = ensure_group(cx, iam, &pool_id, group)
                .await
                .map_err(|e| anyhow::anyhow!("group {}/{}: {e}", pool.name, group.name))?;
            applied.push(item("group", &group.name, None, created));
        }
        for client in &pool.clients {
            let (id, created) = client_id(cx, iam, &pool_id, client)
                .await
                .map_err(|e| anyhow::anyhow!("client {}/{}: {e}", pool.name, client.name))?;
            applied.push(item("client", &client.name, Some(id), created));
        }
        for user in &pool.users {
            let (sub, created) = ensure_user(cx, iam, &pool_id, user)
                .await
                .map_err(|e| anyhow::anyhow!("user {}/{}: {e}", pool.name, user.username))?;
            applied.push(item("user", &user.username, Some(sub), created));
        }
    }
    Ok(applied)
}

/// The request of operation `op` from its JSON, validated against the service model like
/// a request over HTTP.
fn request<T: DeserializeOwned>(op: &str, body: Value) -> Result<T, Error> {
    let operation = IDP
        .operation(op)
        .ok_or_else(|| Error::internal(format!("the model has no operation {op}")))?;
    decode(&IDP, operation, body.to_string().as_bytes()).map_err(|e| Error::new(e.kind, e.message))
}

/// Adds `value` under `key` unless it is empty (an absent setting keeps Cognito's default).
fn put(map: &mut Map<String, Value>, key: &str, value: Value) {
    let empty = match &value {
        Value::Null => true,
        Value::Array(items) => items.is_empty(),
        Value::Object(fields) => fields.is_empty(),
        _ => false,
    };
    if !empty {
        map.insert(key.to_owned(), value);
    }
}

/// A list request, for the page after `next_token` when there is one.
fn page_request(mut body: Value, next_token: &Option<String>) -> Value {
    if let (Value::Object(map), Some(token)) = (&mut body, next_token) {
        map.insert("NextToken".into(), json!(token));
    }
    body
}

fn create_pool_body(pool: &PoolSeed) -> Value {
    let mut body = Map::new();
    body.insert("PoolName".into(), json!(pool.name));
    put(
        &mut body,
        "UsernameAttributes",
        json!(pool.username_attributes),
    );
    put(&mut body, "AliasAttributes", json!(pool.alias_attributes));
    put(
        &mut body,
        "AutoVerifiedAttributes",
        json!(pool.auto_verified_attributes),
    );
    if let Some(case_sensitive) = pool.username_case_sensitive {
        body.insert(
            "UsernameConfiguration".into(),
            json!({ "CaseSensitive": case_sensitive }),
        );
    }
    if let Some(p) = &pool.password_policy {
        let mut policy = Map::new();
        put(&mut policy, "MinimumLength", json!(p.minimum_length));
        put(&mut policy, "RequireUppercase", json!(p.require_uppercase));
        put(&mut policy, "RequireLowercase", json!(p.require_lowercase));
        put(&mut policy, "RequireNumbers", json!(p.require_numbers));
        put(&mut policy, "RequireSymbols", json!(p.require_symbols));
        put(
            &mut policy,
            "TemporaryPasswordValidityDays",
            json!(p.temporary_password_validity_days),
        );
        put(&mut body, "Policies", json!({ "PasswordPolicy": policy }));
    }
    let schema: Vec<Value> = pool
        .custom_attributes
        .iter()
        .map(|name| json!({ "Name": name, "AttributeDataType": "String", "Mutable": true }))
        .collect();
    put(&mut body, "Schema", json!(schema));
    Value::Object(body)
}

/// The id of the pool named `pool.name`, created if there is none.
async fn pool_id(cx: &Cx, iam: &Iam, pool: &PoolSeed) -> Result<(String, bool), Error> {
    let mut found = Vec::new();
    let mut next_token: Option<String> = None;
    loop {
        let page = user_pools::list_user_pools(
            cx,
            iam,
            request(
                "ListUserPools",
                page_request(json!({ "MaxResults": 60 }), &next_token),
            )?,
        )
        .await?;
        found.extend(
            page.user_pools
                .unwrap_or_default()
                .into_iter()
                .filter(|p| p.name.as_deref() == Some(pool.name.as_str()))
                .filter_map(|p| p.id),
        );
        next_token = page.next_token;
        if next_token.is_none() {
            break;
        }
    }
    match found.as_slice() {
        [id] => return Ok((id.clone(), false)),
        [] => {}
        [..] => {
            return Err(Error::invalid_parameter(format!(
                "{} pools have this name ({}); a seed file names pools uniquely",
                found.len(),
                found.join(", ")
            )))
        }
    }
    let created =
        user_pools::create_user_pool(cx, iam, request("CreateUserPool", create_pool_body(pool))?)
            .await?;
    let id = created
        .user_pool
        .and_then(|p| p.id)
        .ok_or_else(|| Error::internal("CreateUserPool answered no pool id"))?;
    Ok((id, true))
}

async fn client_id(
    cx: &Cx,
    iam: &Iam,
    pool_id: &str,
    client: &ClientSeed,
) -> Result<(String, bool), Error> {
    let mut found = Vec::new();
    let mut next_token: Option<String> = None;
    loop {
        let page = app_clients::list_user_pool_clients(
            cx,
            iam,
            request(
                "ListUserPoolClients",
                page_request(
                    json!({ "UserPoolId": pool_id, "MaxResults": 60 }),
                    &next_token,
                ),
            )?,
        )
        .await?;
        found.extend(
            page.user_pool_clients
                .unwrap_or_default()
                .into_iter()
                .filter(|c| c.client_name.as_deref() == Some(client.name.as_str()))
                .filter_map(|c| c.client_id),
        );
        next_token = page.next_token;
        if next_token.is_none() {
            break;
        }
    }
    match found.as_slice() {
        [id] => return Ok((id.clone(), false)),
        [] => {}
        [..] => {
            return Err(Error::invalid_parameter(format!(
                "{} clients of the pool have this name; a seed file names clients uniquely",
                found.len()
            )))
        }
    }
    let mut body = Map::new();
    body.insert("UserPoolId".into(), json!(pool_id));
    body.insert("ClientName".into(), json!(client.name));
    body.insert("GenerateSecret".into(), json!(client.generate_secret));
    put(
        &mut body,
        "ExplicitAuthFlows",
        json!(client.explicit_auth_flows),
    );
    let created = app_clients::create_user_pool_client(
        cx,
        iam,
        request("CreateUserPoolClient", Value::Object(body))?,
    )
    .await?;
    let id = created
        .user_pool_client
        .and_then(|c| c.client_id)
        .ok_or_else(|| Error::internal("CreateUserPoolClient answered no client id"))?;
    Ok((id, true))
}

/// True if the group was created.
async fn ensure_group(cx: &Cx, iam: &Iam, pool_id: &str, group: &GroupSeed) -> Result<bool, Error> {
    let get = request(
        "GetGroup",
        json!({ "UserPoolId": pool_id, "GroupName": group.name }),
    )?;
    match groups::get_group(cx, iam, get).await {
        Ok(_) => return Ok(false),
        Err(e) if e.kind == ErrorKind::ResourceNotFoundException => {}
        Err(e) => return Err(e),
    }
    let mut body = Map::new();
    body.insert("UserPoolId".into(), json!(pool_id));
    body.insert("GroupName".into(), json!(group.name));
    put(&mut body, "Description", json!(group.description));
    put(&mut body, "Precedence", json!(group.precedence));
    groups::create_group(cx, iam, request("CreateGroup", Value::Object(body))?).await?;
    Ok(true)
}

fn sub_of(attributes: Option<&[AttributeType]>) -> Option<String> {
    attributes?
        .iter()
        .find(|a| a.name == "sub")
        .and_then(|a| a.value.clone())
}

/// The user's `sub`, creating the user with its password if there is none; then its groups.
async fn ensure_user(
    cx: &Cx,
    iam: &Iam,
    pool_id: &str,
    user: &UserSeed,
) -> Result<(String, bool), Error> {
    let get = request(
        "AdminGetUser",
        json!({ "UserPoolId": pool_id, "Username": user.username }),
    )?;
    let (sub, created) = match users::admin_get_user(cx, iam, get).await {
        Ok(found) => (sub_of(found.user_attributes.as_deref()), false),
        Err(e) if e.kind == ErrorKind::UserNotFoundException => {
            let attributes: Vec<Value> = user
                .attributes
                .iter()
                .map(|(name, value)| json!({ "Name": name, "Value": value }))
                .collect();
            let mut body = Map::new();
            body.insert("UserPoolId".into(), json!(pool_id));
            body.insert("Username".into(), json!(user.username));
            body.insert("MessageAction".into(), json!("SUPPRESS"));
            body.insert("TemporaryPassword".into(), json!(user.password));
            put(&mut body, "UserAttributes", json!(attributes));
            let created =
                users::admin_create_user(cx, iam, request("AdminCreateUser", Value::Object(body))?)
                    .await?;
            if user.permanent {
                let set = request(
                    "AdminSetUserPassword",
                    json!({
                        "UserPoolId": pool_id,
                        "Username": user.username,
                        "Password": user.password,
                        "Permanent": true,
                    }),
                )?;
                users::admin_set_user_password(cx, iam, set).await?;
            }
            (
                sub_of(created.user.and_then(|u| u.attributes).as_deref()),
                true,
            )
        }
        Err(e) => return Err(e),
    };
    for group in &user.groups {
        let add = request(
            "AdminAddUserToGroup",
            json!({ "UserPoolId": pool_id, "Username": user.username, "GroupName": group }),
        )?;
        groups::admin_add_user_to_group(cx, iam, add).await?;
    }
    let sub = sub.ok_or_else(|| Error::internal("the user has no sub attribute"))?;
    Ok((sub, created))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::commands::seed::file::PasswordPolicySeed;

    #[test]
    fn the_pool_request_carries_only_what_the_file_sets() {
        let pool = PoolSeed {
            name: "my-app".into(),
            username_attributes: vec!["email".into()],
            alias_attributes: vec![],
            auto_verified_attributes: vec!["email".into()],
            username_case_sensitive: Some(false),
            password_policy: Some(PasswordPolicySeed {
                minimum_length: Some(10),
                ..PasswordPolicySeed::default()
            }),
            custom_attributes: vec!["tenant_id".into()],
            clients: vec![],
            groups: vec![],
            users: vec![],
        };
        assert_eq!(
            create_pool_body(&pool),
            json!({
                "PoolName": "my-app",
                "UsernameAttributes": ["email"],
                "AutoVerifiedAttributes": ["email"],
                "UsernameConfiguration": { "CaseSensitive": false },
                "Policies": { "PasswordPolicy": { "MinimumLength": 10 } },
                "Schema": [{ "Name": "tenant_id", "AttributeDataType": "String", "Mutable": true }],
            })
        );
    }

    #[test]
    fn requests_are_checked_against_the_model() {
        let err = request::<monban_core::wire::idp::CreateUserPoolRequest>(
            "CreateUserPool",
            json!({ "PoolName": "p", "UsernameAttributes": ["nickname"] }),
        )
        .unwrap_err();
        assert_eq!(err.kind, ErrorKind::InvalidParameterException);
        assert!(err.message.contains("sernameAttributes"), "{err:?}");
    }
}
