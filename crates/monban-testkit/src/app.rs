//! [`TestApp`]: a real monban server on a free 127.0.0.1 port, backed by a throw-away
//! SQLite file (or the PostgreSQL database named by `MONBAN_TEST_DATABASE_URL`).

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::SystemTime;

use aws_sdk_cognitoidentityprovider::config::retry::RetryConfig;
use aws_sdk_cognitoidentityprovider::config::{Builder as SdkConfigBuilder, Region};
use aws_sdk_cognitoidentityprovider::Client;
use monban_core::auth::server_secrets::ServerSecrets;
use monban_core::mail::Email;
use monban_core::password::HashParams;
use monban_core::{Cx, Settings, SystemRng};
use monban_server::{AdminKey, App, WebhookSettings, WebhookTriggers};
use monban_store::SqlStore;

use crate::clock::{FakeClock, SdkTimeSource};
use crate::dev::{DevOptions, DevParts};
use crate::mailer::RecordingMailer;
use crate::raw::{self, AccessKey, RawRequest, RawResponse, REGION};

/// A `postgres://` URL: [`TestApp::start`] then runs on PostgreSQL, and [`each_backend`]
/// runs each test on SQLite and then on PostgreSQL.
pub const DATABASE_URL_ENV: &str = "MONBAN_TEST_DATABASE_URL";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    addr: SocketAddr,
    endpoint: String,
    admin: AccessKey,
    backend: Backend,
    cx: Cx,
    clock: Arc<FakeClock>,
    mailer: Arc<RecordingMailer>,
    server: tokio::task::JoinHandle<()>,
    _dir: Option<TempDir>,
}

impl TestApp {
    /// Starts a server on PostgreSQL when [`DATABASE_URL_ENV`] is set, else on SQLite.
    pub async fn start() -> TestApp {
        let backend = if postgres_url().is_some() {
            Backend::Postgres
        } else {
            Backend::Sqlite
        };
        Self::start_on(backend).await
    }

    /// Starts a server on `backend`: a fresh SQLite file, or the database that
    /// [`DATABASE_URL_ENV`] names (panics if it is not set).
    pub async fn start_on(backend: Backend) -> TestApp {
        Self::launch(backend, None, |_| {}).await
    }

    /// Starts a server on `backend` with `configure` applied last to its settings (the
    /// OpenID Connect providers of identity pools, say).
    pub async fn start_with(backend: Backend, configure: impl FnOnce(&mut Settings)) -> TestApp {
        Self::launch(backend, None, configure).await
    }

    /// Starts a server in development mode (`--dev`): any signature accepted, and the
    /// test-support API under `/_monban/`. Always on a fresh SQLite file: `/_monban/reset`
    /// empties the whole database, which the PostgreSQL tests share.
    pub async fn start_dev(options: DevOptions) -> TestApp {
        Self::launch(Backend::Sqlite, Some(options), |_| {}).await
    }

    async fn launch(
        backend: Backend,
        dev: Option<DevOptions>,
        configure: impl FnOnce(&mut Settings),
    ) -> TestApp {
        let (url, dir) = match backend {
            Backend::Postgres => {
                let url = postgres_url().unwrap_or_else(|| panic!("{DATABASE_URL_ENV} is not set"));
                (url, None)
            }
            Backend::Sqlite => {
                let dir = TempDir::new();
                let url = format!("sqlite://{}?mode=rwc", dir.0.join("monban.db").display());
                (url, Some(dir))
            }
        };
        let store = SqlStore::connect(&url)
            .await
            .unwrap_or_else(|e| panic!("connect to the test database ({backend:?}): {e}"));

        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a free port on 127.0.0.1");
        let addr = listener.local_addr().expect("local address");
        let endpoint = format!("http://{addr}");

        let clock = Arc::new(FakeClock::new());
        let mailer = Arc::new(RecordingMailer::default());
        let mut settings = Settings {
            region: REGION.to_owned(),
            public_url: endpoint.clone(),
            // Cheap hashing: tests create hundreds of users.
            password_hashing: HashParams {
                memory_kib: 1024,
                iterations: 1,
                parallelism: 1,
            },
            ..Settings::default()
        };
        // Identity pools fetch OpenID Connect providers' keys as in production.
        settings.identity_pools.oidc_keys = Some(Arc::new(monban_server::HttpOidcKeys::new()));
        configure(&mut settings);
        let store = Arc::new(store);
        // Triggers as in production: webhooks, signed with the pool's secret.
        let secrets: Arc<ServerSecrets> = Default::default();
        let triggers = Arc::new(WebhookTriggers::new(
            WebhookSettings::default(),
            store.clone(),
            clock.clone(),
            Arc::new(SystemRng),
            secrets.clone(),
        ));
        let mut cx = Cx {
            store: store.clone(),
            clock: clock.clone(),
            rng: Arc::new(SystemRng),
            mailer: mailer.clone(),
            settings: Arc::new(settings),
            keys: Default::default(),
            secrets,
            triggers,
            // SMS stay in the database, where the tests read them.
            sms: Arc::new(monban_core::sms::OutboxSms {
                store,
                clock: clock.clone(),
            }),
        };
        let dev = dev
            .map(|options| DevParts::new(options, clock.clone(), mailer.clone(), cx.store.clone()));
        if let Some(dev) = &dev {
            dev.apply(&mut cx);
        }
        let admin = random_access_key();
        let app = App {
            cx: cx.clone(),
            admin_keys: vec![AdminKey {
                access_key_id: admin.access_key_id.clone(),
                secret_access_key: admin.secret_access_key.clone(),
            }],
            dev: false,
        };
        let router = match dev {
            Some(dev) => monban_server::dev_router(app, dev.controls),
            None => monban_server::router(app),
        };
        let server = tokio::spawn(async move {
            // With the peer address, as the binary serves (the audit trail records it).
            let service = router.into_make_service_with_connect_info::<SocketAddr>();
            if let Err(e) = axum::serve(listener, service).await {
                eprintln!("test server stopped: {e}");
            }
        });
        TestApp {
            addr,
            endpoint,
            admin,
            backend,
            cx,
            clock,
            mailer,
            server,
            _dir: dir,
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The admin key the server accepts for IAM operations.
    pub fn admin_key(&self) -> &AccessKey {
        &self.admin
    }

    pub fn cx(&self) -> &Cx {
        &self.cx
    }

    pub fn clock(&self) -> &FakeClock {
        &self.clock
    }

    /// Every email the server has sent, oldest first.
    pub fn mail(&self) -> Vec<Email> {
        self.mailer.emails()
    }

    pub fn mailer(&self) -> &RecordingMailer {
        &self.mailer
    }

    /// SDK configuration pointing at this server, without credentials, on the test's
    /// clock. Retries are off so that a test sees exactly what the server answered to each
    /// call.
    pub fn sdk_config(&self) -> SdkConfigBuilder {
        aws_sdk_cognitoidentityprovider::Config::builder()
            .behavior_version_latest()
            .region(Region::new(REGION))
            .endpoint_url(&self.endpoint)
            .retry_config(RetryConfig::disabled())
            .time_source(SdkTimeSource(self.clock.clone()))
    }

    /// The AWS SDK client, signed with the admin key.
    pub fn idp(&self) -> Client {
        self.idp_signed_with(&self.admin)
    }

    /// The AWS SDK client signing with any key (unknown key or wrong secret tests).
    pub fn idp_signed_with(&self, key: &AccessKey) -> Client {
        Client::from_conf(
            self.sdk_config()
                .credentials_provider(key.credentials())
                .build(),
        )
    }

    /// The AWS SDK client with no credentials: it can call only the unsigned (public)
    /// operations, as a browser or mobile app does.
    pub fn unsigned_idp(&self) -> Client {
        Client::from_conf(self.sdk_config().build())
    }

    /// Sends a raw HTTP request to the server.
    pub async fn send(&self, req: RawRequest) -> RawResponse {
        raw::send(self.addr, req).await
    }

    /// Signs `req` with the admin key as of the test's clock and sends it.
    pub async fn send_signed(&self, req: RawRequest) -> RawResponse {
        self.send_signed_with(req, &self.admin, self.clock.system_time())
            .await
    }

    /// Signs `req` with `key` as of `time` and sends it.
    pub async fn send_signed_with(
        &self,
        req: RawRequest,
        key: &AccessKey,
        time: SystemTime,
    ) -> RawResponse {
        let authority = self.addr.to_string();
        self.send(req.signed(&authority, key, time)).await
    }
}

/// The PostgreSQL URL from [`DATABASE_URL_ENV`], if set and not blank.
fn postgres_url() -> Option<String> {
    std::env::var(DATABASE_URL_ENV)
        .ok()
        .filter(|url| !url.trim().is_empty())
}

impl Backend {
    /// SQLite always; PostgreSQL too when [`DATABASE_URL_ENV`] is set.
    pub fn configured() -> Vec<Backend> {
        let mut backends = vec![Backend::Sqlite];
        if postgres_url().is_some() {
            backends.push(Backend::Postgres);
        }
        backends
    }
}

/// Runs `test` against a fresh server on every configured backend in turn (see
/// [`Backend::configured`]), so that one `cargo test` covers SQLite and PostgreSQL.
pub async fn each_backend<F, Fut>(test: F)
where
    F: Fn(TestApp) -> Fut,
    Fut: Future<Output = ()>,
{
    for backend in Backend::configured() {
        // Shown with the output of a failing test: which backend it failed on.
        eprintln!("--- backend: {backend:?}");
        test(TestApp::start_on(backend).await).await;
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// A fresh random key in AWS's shapes: `AKIA` + 16 upper-case alphanumerics, 40-char secret.
pub fn random_access_key() -> AccessKey {
    let id = uuid::Uuid::new_v4().simple().to_string().to_uppercase();
    let secret = format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    );
    AccessKey {
        access_key_id: format!("AKIA{}", &id[..16]),
        secret_access_key: secret[..40].to_owned(),
    }
}

/// A name no other test uses: `prefix` + 12 random hex digits.
pub fn unique_name(prefix: &str) -> String {
    let id = uuid::Uuid::new_v4().simple().to_string();
    format!("{prefix}{}", &id[..12])
}

/// A directory removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        let path = std::env::temp_dir().join(unique_name("monban-test-"));
        std::fs::create_dir_all(&path).expect("create a temporary directory");
        Self(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
