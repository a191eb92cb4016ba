-- Sign-in state (PostgreSQL): signing keys, server secrets, challenge sessions, single-use
-- values, confirmation codes and refresh tokens. The SQLite migration of the same
-- number creates the same tables. What belongs to a user goes with it (and with its pool)
-- through ON DELETE CASCADE. As in 0001: BIGINT integers, BYTEA for bytes, and the
-- identifiers that foreign keys compare are COLLATE "C" like the columns they reference.

-- Key ids are unique across pools: a token's `kid` names its key alone.
CREATE TABLE signing_keys (
    pool_id         TEXT COLLATE "C" NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    kid             TEXT COLLATE "C" NOT NULL,
    token_use       TEXT   NOT NULL, -- `id` or `access`
    private_key_der BYTEA  NOT NULL, -- PKCS#8
    created_ms      BIGINT NOT NULL,
    PRIMARY KEY (pool_id, kid)
);
CREATE UNIQUE INDEX signing_keys_by_kid ON signing_keys (kid);
CREATE INDEX signing_keys_by_age ON signing_keys (pool_id, created_ms);

-- Server-wide secrets (the key sealing SRP secret blocks, say): the first node to start
-- writes one, the others read it.
CREATE TABLE secrets (
    name  TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    value BYTEA NOT NULL
);

-- Challenges in progress, by the hash of the `Session` the client holds. Sessions name
-- their user by username; deleting the user deletes them explicitly (see users.rs).
CREATE TABLE auth_sessions (
    id         TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    pool_id    TEXT COLLATE "C" NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    client_id  TEXT COLLATE "C" NOT NULL,
    username   TEXT COLLATE "C" NOT NULL,
    challenge  TEXT   NOT NULL,
    state      TEXT   NOT NULL, -- JSON owned by the flow
    created_ms BIGINT NOT NULL,
    expires_ms BIGINT NOT NULL
);
CREATE INDEX auth_sessions_by_expiry ON auth_sessions (expires_ms);
CREATE INDEX auth_sessions_by_user ON auth_sessions (pool_id, username);

-- Single-use values already consumed (SRP secret blocks): the primary key refuses a replay.
CREATE TABLE consumed_once (
    id         TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    expires_ms BIGINT NOT NULL
);
CREATE INDEX consumed_once_by_expiry ON consumed_once (expires_ms);

-- One live code per user and purpose; the code itself is never stored, only its keyed hash.
CREATE TABLE confirmation_codes (
    pool_id         TEXT COLLATE "C" NOT NULL,
    sub             TEXT COLLATE "C" NOT NULL,
    purpose         TEXT COLLATE "C" NOT NULL, -- sign_up, forgot_password, verify:email, ...
    code_hash       TEXT   NOT NULL,
    created_ms      BIGINT NOT NULL,
    expires_ms      BIGINT NOT NULL,
    failed_attempts BIGINT NOT NULL,
    data            TEXT   NOT NULL, -- JSON owned by the purpose
    PRIMARY KEY (pool_id, sub, purpose),
    FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
);

-- A refresh-token family: every token of one sign-in and its refreshes (`origin_jti`).
-- Revocation is one row here, read by primary key on every access-token check.
CREATE TABLE token_families (
    pool_id    TEXT COLLATE "C" NOT NULL,
    family_id  TEXT COLLATE "C" NOT NULL,
    sub        TEXT COLLATE "C" NOT NULL,
    client_id  TEXT COLLATE "C" NOT NULL,
    created_ms BIGINT NOT NULL,
    revoked_ms BIGINT, -- NULL while live
    PRIMARY KEY (pool_id, family_id),
    FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
);
CREATE INDEX token_families_by_user ON token_families (pool_id, sub);

-- Refresh tokens by the SHA-256 of their value.
CREATE TABLE refresh_tokens (
    token_hash   TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    pool_id      TEXT COLLATE "C" NOT NULL,
    family_id    TEXT COLLATE "C" NOT NULL,
    client_id    TEXT COLLATE "C" NOT NULL,
    sub          TEXT COLLATE "C" NOT NULL,
    auth_time_ms BIGINT NOT NULL,
    device_key   TEXT,
    created_ms   BIGINT NOT NULL,
    expires_ms   BIGINT NOT NULL,
    replaced_ms  BIGINT, -- set when rotation replaced it
    FOREIGN KEY (pool_id, family_id) REFERENCES token_families (pool_id, family_id)
        ON DELETE CASCADE
);
CREATE INDEX refresh_tokens_by_family ON refresh_tokens (pool_id, family_id);
