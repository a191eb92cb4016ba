-- The hosted UI (PostgreSQL): sign-in sessions behind its cookie (named by the SHA-256 of
-- the cookie value) and the UI customizations of pools (client_id 'ALL') and clients. The
-- SQLite migration of the same number creates the same tables.
CREATE TABLE hosted_ui_sessions (
    id           TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    pool_id      TEXT COLLATE "C" NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    sub          TEXT COLLATE "C" NOT NULL,
    auth_time_ms BIGINT NOT NULL,
    created_ms   BIGINT NOT NULL,
    expires_ms   BIGINT NOT NULL
);
CREATE INDEX hosted_ui_sessions_expiry ON hosted_ui_sessions (expires_ms);

CREATE TABLE ui_customizations (
    pool_id     TEXT COLLATE "C" NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    client_id   TEXT COLLATE "C" NOT NULL,
    -- JSON: the CSS and the logo (content type, base64 bytes).
    config      TEXT   NOT NULL,
    created_ms  BIGINT NOT NULL,
    modified_ms BIGINT NOT NULL,
    PRIMARY KEY (pool_id, client_id)
);
