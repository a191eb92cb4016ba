//! One node as the chaos programs see it: the benchmark's keep-alive client (SigV4 for the
//! admin operations), with every answer sorted into what it proves about the write.

use std::net::SocketAddr;

use monban_server::AdminKey;
use serde_json::Value;

use crate::client::{Conn, Target};

/// What a request's answer says about its effect.
#[derive(Debug)]
pub enum Reply {
    /// 200: done, and it must survive anything.
    Ok(Value),
    /// A Cognito error (`__type`, `message`): not done.
    Refused { kind: String, message: String },
    /// No connection: not sent, so not done.
    Unreached,
    /// Sent, but no answer (the node died meanwhile): done or not.
    Lost,
}

impl Reply {
    pub fn ok(self) -> Result<Value, String> {
        match self {
            Reply::Ok(v) => Ok(v),
            other => Err(format!("{other:?}")),
        }
    }

    pub fn kind(&self) -> Option<&str> {
        match self {
            Reply::Refused { kind, .. } => Some(kind),
            _ => None,
        }
    }

    /// The node is gone: stop sending to it.
    pub fn is_down(&self) -> bool {
        matches!(self, Reply::Unreached | Reply::Lost)
    }
}

/// A client of one node, for one pool and app client.
pub struct Api {
    conn: Conn,
    pub target: Target,
}

impl Api {
    pub fn new(addr: SocketAddr, admin: AdminKey, pool_id: &str, client_id: &str) -> Self {
        Self {
            conn: Conn::new(addr),
            target: Target {
                addr,
                pool_id: pool_id.to_owned(),
                client_id: client_id.to_owned(),
                admin,
                // The benchmark's client_credentials workload only.
                m2m_client_id: String::new(),
                m2m_client_secret: String::new(),
                m2m_scope: String::new(),
            },
        }
    }

    /// A public (unsigned) operation.
    pub async fn public(&mut self, op: &str, body: Value) -> Reply {
        self.call(op, body, false).await
    }

    /// An admin operation, signed with the admin key.
    pub async fn admin(&mut self, op: &str, body: Value) -> Reply {
        self.call(op, body, true).await
    }

    async fn call(&mut self, op: &str, body: Value, signed: bool) -> Reply {
        match self.conn.call(&self.target, op, &body, signed).await {
            Ok(v) => Reply::Ok(v),
            Err(e) => classify(&e),
        }
    }
}

/// The benchmark client's error text: `connect: …` (never sent), `transport: …` or
/// `body: …` (sent, unanswered), or `<Op>: HTTP <status> <body, at most 200 bytes>`.
fn classify(error: &str) -> Reply {
    if error.starts_with("connect:") || error.starts_with("handshake:") {
        return Reply::Unreached;
    }
    let Some((_, rest)) = error.split_once(": HTTP ") else {
        return Reply::Lost;
    };
    let body = rest.split_once(' ').map_or("", |(_, body)| body);
    let field = |name: &str| -> String {
        let key = format!("\"{name}\":\"");
        body.find(&key)
            .map(|at| &body[at + key.len()..])
            .and_then(|v| v.split('"').next())
            .unwrap_or_default()
            .to_owned()
    };
    let kind = field("__type");
    Reply::Refused {
        kind: if kind.is_empty() {
            format!("HTTP {}", rest.split(' ').next().unwrap_or_default())
        } else {
            kind
        },
        message: field("message"),
    }
}
