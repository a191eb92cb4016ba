//! The workloads: one transaction each (SRP and SignUp+AdminConfirmSignUp are two
//! requests), as a real client would send them.

use std::sync::atomic::{AtomicU64, Ordering};

use monban_core::auth::srp::render_timestamp;
use monban_core::Clock as _;
use num_bigint::BigUint;
use serde_json::{json, Value};

use crate::client::{Conn, Target};
use crate::srp_client::{ServerChallenge, SrpClient};

/// Every seeded user's password.
pub const PASSWORD: &str = "Bench-Passw0rd!";

pub fn username(i: usize) -> String {
    format!("user{i:07}")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Workload {
    SignUp,
    Password,
    Srp,
    Refresh,
    GetUser,
    ListUsers,
    /// client_credentials at `/{pool}/oauth2/token` (HTTP Basic client authentication).
    ClientCredentials,
    Mixed,
    /// Half the clients sign in with USER_PASSWORD_AUTH without pause while the other half
    /// call GetUser; only the GetUser calls are timed (does hashing starve other requests?).
    Storm,
}

impl Workload {
    pub const ALL: [Workload; 9] = [
        Workload::SignUp,
        Workload::Password,
        Workload::Srp,
        Workload::Refresh,
        Workload::GetUser,
        Workload::ListUsers,
        Workload::ClientCredentials,
        Workload::Mixed,
        Workload::Storm,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Workload::SignUp => "signup",
            Workload::Password => "password",
            Workload::Srp => "srp",
            Workload::Refresh => "refresh",
            Workload::GetUser => "getuser",
            Workload::ListUsers => "listusers",
            Workload::ClientCredentials => "m2m",
            Workload::Mixed => "mixed",
            Workload::Storm => "storm",
        }
    }

    pub fn parse(name: &str) -> Option<Workload> {
        Self::ALL.into_iter().find(|w| w.name() == name)
    }

    /// HTTP requests per transaction.
    pub fn requests(self) -> u64 {
        match self {
            Workload::SignUp | Workload::Srp => 2,
            _ => 1,
        }
    }

    /// Whether the workload needs signed-in clients (tokens) before it starts.
    pub fn needs_tokens(self) -> bool {
        matches!(
            self,
            Workload::Refresh | Workload::GetUser | Workload::Mixed | Workload::Storm
        )
    }
}

/// A signed-in client's tokens.
#[derive(Clone)]
pub struct Tokens {
    pub access: String,
    pub refresh: String,
}

/// One simulated client's state across its transactions.
pub struct Client {
    pub conn: Conn,
    pub tokens: Option<Tokens>,
    rng: u64,
    srp: Option<SrpClient>,
}

/// Names of users made by SignUp, unique across runs.
static SIGN_UPS: AtomicU64 = AtomicU64::new(0);

impl Client {
    pub fn new(conn: Conn, seed: u64, tokens: Option<Tokens>) -> Self {
        Self {
            conn,
            tokens,
            rng: seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1,
            srp: None,
        }
    }

    /// xorshift64*: enough to spread users and choices, and cheap.
    fn next(&mut self) -> u64 {
        self.rng ^= self.rng >> 12;
        self.rng ^= self.rng << 25;
        self.rng ^= self.rng >> 27;
        self.rng.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn pick(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n.max(1) as u64).unwrap_or(0)
    }

    pub async fn run(&mut self, w: Workload, t: &Target, users: usize) -> Result<(), String> {
        match w {
            Workload::SignUp => self.sign_up(t).await,
            Workload::Password => {
                let user = username(self.pick(users));
                self.password(t, &user).await.map(|_| ())
            }
            Workload::Srp => {
                let user = username(self.pick(users));
                self.srp(t, &user).await
            }
            Workload::Refresh => self.refresh(t).await,
            Workload::GetUser => self.get_user(t).await,
            Workload::ListUsers => {
                let name = username(self.pick(users));
                // Drop the last digit: about ten users match.
                self.list_users(t, &name[..name.len() - 1]).await
            }
            Workload::ClientCredentials => self.client_credentials(t).await,
            // The timed half; `run::one` gives the other half `sign_in_forever`.
            Workload::Storm => self.get_user(t).await,
            Workload::Mixed => match self.pick(100) {
                0..80 => self.get_user(t).await,
                80..95 => self.refresh(t).await,
                _ => {
                    let user = username(self.pick(users));
                    self.password(t, &user).await.map(|_| ())
                }
            },
        }
    }

    /// The untimed half of [`Workload::Storm`]: sign-ins until `deadline`; the errors.
    pub async fn sign_in_forever(
        &mut self,
        t: &Target,
        users: usize,
        deadline: std::time::Instant,
    ) -> u64 {
        let mut errors = 0;
        while std::time::Instant::now() < deadline {
            let user = username(self.pick(users));
            if self.password(t, &user).await.is_err() {
                errors += 1;
            }
        }
        errors
    }

    async fn client_credentials(&mut self, t: &Target) -> Result<(), String> {
        use base64::Engine as _;
        let basic = base64::engine::general_purpose::STANDARD
            .encode(format!("{}:{}", t.m2m_client_id, t.m2m_client_secret));
        let request = hyper::Request::builder()
            .method("POST")
            .uri(format!("/{}/oauth2/token", t.pool_id))
            .header("host", t.addr.to_string())
            .header("content-type", "application/x-www-form-urlencoded")
            .header("authorization", format!("Basic {basic}"))
            .body(http_body_util::Full::new(hyper::body::Bytes::from(
                format!("grant_type=client_credentials&scope={}", t.m2m_scope),
            )))
            .map_err(|e| e.to_string())?;
        let (status, body) = self.conn.send(request).await?;
        if status != 200 {
            return Err(format!(
                "client_credentials: HTTP {status} {}",
                String::from_utf8_lossy(&body[..body.len().min(200)])
            ));
        }
        let out: Value = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
        match out["access_token"].as_str() {
            Some(_) => Ok(()),
            None => Err(format!("client_credentials: no access_token in {out}")),
        }
    }

    async fn sign_up(&mut self, t: &Target) -> Result<(), String> {
        let n = SIGN_UPS.fetch_add(1, Ordering::Relaxed);
        let name = format!("new{}-{n}", std::process::id());
        self.conn
            .call(
                t,
                "SignUp",
                &json!({"ClientId": t.client_id, "Username": name, "Password": PASSWORD}),
                false,
            )
            .await?;
        self.conn
            .call(
                t,
                "AdminConfirmSignUp",
                &json!({"UserPoolId": t.pool_id, "Username": name}),
                true,
            )
            .await
            .map(|_| ())
    }

    /// USER_PASSWORD_AUTH; the tokens.
    pub async fn password(&mut self, t: &Target, user: &str) -> Result<Tokens, String> {
        let out = self
            .conn
            .call(
                t,
                "InitiateAuth",
                &json!({
                    "ClientId": t.client_id,
                    "AuthFlow": "USER_PASSWORD_AUTH",
                    "AuthParameters": {"USERNAME": user, "PASSWORD": PASSWORD},
                }),
                false,
            )
            .await?;
        tokens(&out, None)
    }

    async fn srp(&mut self, t: &Target, user: &str) -> Result<(), String> {
        // One client secret `a` (256 bits) per simulated client: the server cannot tell, and
        // the load generator, which shares the machine, does one exponentiation less.
        if self.srp.is_none() {
            let a: Vec<u8> = (0..4).flat_map(|_| self.next().to_be_bytes()).collect();
            self.srp = Some(SrpClient::with_a(BigUint::from_bytes_be(&a)));
        }
        let srp_a = self.srp.as_ref().map(SrpClient::srp_a).unwrap_or_default();
        let challenge = self
            .conn
            .call(
                t,
                "InitiateAuth",
                &json!({
                    "ClientId": t.client_id,
                    "AuthFlow": "USER_SRP_AUTH",
                    "AuthParameters": {"USERNAME": user, "SRP_A": srp_a},
                }),
                false,
            )
            .await?;
        let p = &challenge["ChallengeParameters"];
        let field = |name: &str| p[name].as_str().unwrap_or_default().to_owned();
        let (user_id, secret_block) = (field("USER_ID_FOR_SRP"), field("SECRET_BLOCK"));
        let (salt, srp_b) = (field("SALT"), field("SRP_B"));
        let timestamp = render_timestamp(monban_core::SystemClock.now_ms());
        let signature = self
            .srp
            .as_ref()
            .map(|c| {
                c.signature(
                    &ServerChallenge {
                        pool_id: &t.pool_id,
                        user_id_for_srp: &user_id,
                        salt_hex: &salt,
                        srp_b_hex: &srp_b,
                        secret_block: &secret_block,
                    },
                    PASSWORD,
                    &timestamp,
                )
            })
            .unwrap_or_default();
        let out = self
            .conn
            .call(
                t,
                "RespondToAuthChallenge",
                &json!({
                    "ClientId": t.client_id,
                    "ChallengeName": "PASSWORD_VERIFIER",
                    "Session": challenge.get("Session"),
                    "ChallengeResponses": {
                        "USERNAME": user_id,
                        "PASSWORD_CLAIM_SECRET_BLOCK": secret_block,
                        "PASSWORD_CLAIM_SIGNATURE": signature,
                        "TIMESTAMP": timestamp,
                    },
                }),
                false,
            )
            .await?;
        tokens(&out, None).map(|_| ())
    }

    async fn refresh(&mut self, t: &Target) -> Result<(), String> {
        let current = self.tokens.clone().ok_or("no refresh token")?;
        let out = self
            .conn
            .call(
                t,
                "InitiateAuth",
                &json!({
                    "ClientId": t.client_id,
                    "AuthFlow": "REFRESH_TOKEN_AUTH",
                    "AuthParameters": {"REFRESH_TOKEN": current.refresh},
                }),
                false,
            )
            .await?;
        // With rotation the answer carries a new refresh token; without, keep the old one.
        self.tokens = Some(tokens(&out, Some(&current.refresh))?);
        Ok(())
    }

    async fn get_user(&mut self, t: &Target) -> Result<(), String> {
        let access = self
            .tokens
            .as_ref()
            .map(|tk| tk.access.clone())
            .ok_or("no access token")?;
        self.conn
            .call(t, "GetUser", &json!({"AccessToken": access}), false)
            .await
            .map(|_| ())
    }

    async fn list_users(&mut self, t: &Target, prefix: &str) -> Result<(), String> {
        let out = self
            .conn
            .call(
                t,
                "ListUsers",
                &json!({
                    "UserPoolId": t.pool_id,
                    "Filter": format!("username ^= \"{prefix}\""),
                    "Limit": 60,
                }),
                true,
            )
            .await?;
        match out["Users"].as_array() {
            Some(users) if !users.is_empty() => Ok(()),
            _ => Err(format!("ListUsers: no user starts with {prefix}")),
        }
    }
}

fn tokens(out: &Value, old_refresh: Option<&str>) -> Result<Tokens, String> {
    let result = &out["AuthenticationResult"];
    let access = result["AccessToken"]
        .as_str()
        .ok_or_else(|| format!("no AccessToken in {out}"))?;
    let refresh = result["RefreshToken"]
        .as_str()
        .or(old_refresh)
        .ok_or("no RefreshToken")?;
    Ok(Tokens {
        access: access.to_owned(),
        refresh: refresh.to_owned(),
    })
}
