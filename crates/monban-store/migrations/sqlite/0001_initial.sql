-- monban's first schema (SQLite). The PostgreSQL migration of the same number creates the
-- same tables. Every key starts with pool_id, so that a pool's rows sit together and a pool
-- can be deleted (or, later, moved) as a unit. Deleting a row cascades to what hangs off it.

CREATE TABLE user_pools (
    id          TEXT    NOT NULL PRIMARY KEY,
    name        TEXT    NOT NULL,
    created_ms  INTEGER NOT NULL,
    modified_ms INTEGER NOT NULL,
    version     INTEGER NOT NULL,
    config      TEXT    NOT NULL, -- JSON of the wire UserPoolType
    data        TEXT    NOT NULL  -- JSON of core's UserPoolData
);

-- Client ids are unique across pools: public operations find a client by id alone.
CREATE TABLE app_clients (
    client_id   TEXT    NOT NULL PRIMARY KEY,
    pool_id     TEXT    NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    secret      TEXT,
    created_ms  INTEGER NOT NULL,
    modified_ms INTEGER NOT NULL,
    version     INTEGER NOT NULL,
    config      TEXT    NOT NULL -- JSON of the wire UserPoolClientType, without the secret
);
CREATE UNIQUE INDEX app_clients_by_pool ON app_clients (pool_id, client_id);

-- The attributes ListUsers filters on are copied out of `attributes` into columns.
CREATE TABLE users (
    pool_id            TEXT    NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    sub                TEXT    NOT NULL,
    username           TEXT    NOT NULL,
    status             TEXT    NOT NULL, -- wire UserStatusType, e.g. FORCE_CHANGE_PASSWORD
    enabled            INTEGER NOT NULL, -- 0 or 1
    password_hash      TEXT,
    attributes         TEXT    NOT NULL, -- JSON object, name -> value
    data               TEXT    NOT NULL, -- JSON of core's UserData
    email              TEXT,
    phone_number       TEXT,
    name               TEXT,
    given_name         TEXT,
    family_name        TEXT,
    preferred_username TEXT,
    created_ms         INTEGER NOT NULL,
    modified_ms        INTEGER NOT NULL,
    version            INTEGER NOT NULL,
    PRIMARY KEY (pool_id, sub)
);
CREATE INDEX users_by_username ON users (pool_id, username);
CREATE INDEX users_by_email ON users (pool_id, email, username);
CREATE INDEX users_by_phone_number ON users (pool_id, phone_number, username);
CREATE INDEX users_by_name ON users (pool_id, name, username);
CREATE INDEX users_by_given_name ON users (pool_id, given_name, username);
CREATE INDEX users_by_family_name ON users (pool_id, family_name, username);
CREATE INDEX users_by_preferred_username ON users (pool_id, preferred_username, username);

-- The names users sign in with (`u:alice`, `email:a@example.com`): the primary key is what
-- makes a username or an alias unique in its pool. key_order keeps User.keys in order.
CREATE TABLE user_keys (
    pool_id   TEXT    NOT NULL,
    key       TEXT    NOT NULL,
    sub       TEXT    NOT NULL,
    key_order INTEGER NOT NULL,
    PRIMARY KEY (pool_id, key),
    FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
);
CREATE INDEX user_keys_by_sub ON user_keys (pool_id, sub, key_order);

CREATE TABLE groups (
    pool_id     TEXT    NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    description TEXT,
    precedence  INTEGER,
    role_arn    TEXT,
    created_ms  INTEGER NOT NULL,
    modified_ms INTEGER NOT NULL,
    PRIMARY KEY (pool_id, name)
);

CREATE TABLE group_members (
    pool_id    TEXT NOT NULL,
    group_name TEXT NOT NULL,
    sub        TEXT NOT NULL,
    PRIMARY KEY (pool_id, group_name, sub),
    FOREIGN KEY (pool_id, group_name) REFERENCES groups (pool_id, name) ON DELETE CASCADE,
    FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
);
CREATE INDEX group_members_by_sub ON group_members (pool_id, sub, group_name);

-- Mail kept for `monban outbox` when no SMTP server is configured. AUTOINCREMENT: ids are
-- never reused, so a reader paging by id sees each message once.
CREATE TABLE outbox (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    created_ms INTEGER NOT NULL,
    pool_id    TEXT,
    to_addr    TEXT    NOT NULL,
    from_addr  TEXT    NOT NULL,
    reply_to   TEXT,
    subject    TEXT    NOT NULL,
    body       TEXT    NOT NULL
);
