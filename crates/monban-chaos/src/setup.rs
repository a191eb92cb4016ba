//! What every program needs first: a pool and an app client made over the admin API, users
//! with known passwords, a little randomness, and paging through ListUsers.

use serde_json::{json, Value};

use crate::api::{Api, Reply};

/// Every password the programs set: the default policy accepts it.
pub fn password(tag: &str) -> String {
    format!("Chaos-{tag}-Passw0rd!")
}

/// Creates a pool (`extra` merged into CreateUserPool) and an app client (`client_extra`
/// merged into CreateUserPoolClient); returns their ids.
pub async fn pool_and_client(
    api: &mut Api,
    extra: Value,
    client_extra: Value,
) -> Result<(String, String), String> {
    let mut body = json!({ "PoolName": format!("chaos-{}", short_id()) });
    merge(&mut body, extra);
    let pool = api.admin("CreateUserPool", body).await.ok()?;
    let pool_id = pool["UserPool"]["Id"]
        .as_str()
        .ok_or("CreateUserPool returned no id")?
        .to_owned();
    let mut body = json!({
        "UserPoolId": pool_id,
        "ClientName": "chaos",
        "ExplicitAuthFlows": [
            "ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"
        ],
    });
    merge(&mut body, client_extra);
    let client = api.admin("CreateUserPoolClient", body).await.ok()?;
    let client_id = client["UserPoolClient"]["ClientId"]
        .as_str()
        .ok_or("CreateUserPoolClient returned no id")?
        .to_owned();
    api.target.pool_id = pool_id.clone();
    api.target.client_id = client_id.clone();
    Ok((pool_id, client_id))
}

fn merge(into: &mut Value, extra: Value) {
    if let (Some(into), Value::Object(extra)) = (into.as_object_mut(), extra) {
        into.extend(extra);
    }
}

/// A CONFIRMED user with `password` and a verified email `<name>@example.com`.
pub async fn confirmed_user(api: &mut Api, name: &str, password: &str) -> Result<(), String> {
    let pool = api.target.pool_id.clone();
    api.admin(
        "AdminCreateUser",
        json!({
            "UserPoolId": pool,
            "Username": name,
            "MessageAction": "SUPPRESS",
            "UserAttributes": [
                {"Name": "email", "Value": format!("{name}@example.com")},
                {"Name": "email_verified", "Value": "true"},
            ],
        }),
    )
    .await
    .ok()
    .map_err(|e| format!("AdminCreateUser {name}: {e}"))?;
    api.admin(
        "AdminSetUserPassword",
        json!({"UserPoolId": pool, "Username": name, "Password": password, "Permanent": true}),
    )
    .await
    .ok()
    .map_err(|e| format!("AdminSetUserPassword {name}: {e}"))?;
    Ok(())
}

/// USER_PASSWORD_AUTH.
pub async fn sign_in(api: &mut Api, name: &str, password: &str) -> Reply {
    let client_id = api.target.client_id.clone();
    api.public(
        "InitiateAuth",
        json!({
            "ClientId": client_id,
            "AuthFlow": "USER_PASSWORD_AUTH",
            "AuthParameters": {"USERNAME": name, "PASSWORD": password},
        }),
    )
    .await
}

/// The tokens of a successful sign-in: (access, refresh).
pub fn tokens(reply: &Value) -> Result<(String, String), String> {
    let r = &reply["AuthenticationResult"];
    match (r["AccessToken"].as_str(), r["RefreshToken"].as_str()) {
        (Some(a), Some(rt)) => Ok((a.to_owned(), rt.to_owned())),
        _ => Err(format!("no tokens in {reply}")),
    }
}

/// Every user of the pool, through ListUsers pages.
pub async fn list_users(api: &mut Api) -> Result<Vec<Value>, String> {
    let pool = api.target.pool_id.clone();
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut body = json!({"UserPoolId": pool, "Limit": 60});
        if let Some(t) = &token {
            body["PaginationToken"] = json!(t);
        }
        let page = api
            .admin("ListUsers", body)
            .await
            .ok()
            .map_err(|e| format!("ListUsers: {e}"))?;
        out.extend(page["Users"].as_array().cloned().unwrap_or_default());
        token = page["PaginationToken"].as_str().map(str::to_owned);
        if token.is_none() {
            return Ok(out);
        }
    }
}

/// The usernames in a group, through ListUsersInGroup pages.
pub async fn group_members(api: &mut Api, group: &str) -> Result<Vec<String>, String> {
    let pool = api.target.pool_id.clone();
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut body = json!({"UserPoolId": pool, "GroupName": group, "Limit": 60});
        if let Some(t) = &token {
            body["NextToken"] = json!(t);
        }
        let page = api
            .admin("ListUsersInGroup", body)
            .await
            .ok()
            .map_err(|e| format!("ListUsersInGroup {group}: {e}"))?;
        out.extend(
            page["Users"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|u| u["Username"].as_str().map(str::to_owned)),
        );
        token = page["NextToken"].as_str().map(str::to_owned);
        if token.is_none() {
            return Ok(out);
        }
    }
}

/// The value of attribute `name` of a listed user.
pub fn attribute<'a>(user: &'a Value, name: &str) -> Option<&'a str> {
    user["Attributes"]
        .as_array()?
        .iter()
        .find(|a| a["Name"] == name)
        .and_then(|a| a["Value"].as_str())
}

pub fn short_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..10].to_owned()
}

/// xorshift64*: choices and delays, seeded per run (printed, so a run can be repeated).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// In `0..n` (0 when n is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }
}
