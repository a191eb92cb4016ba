-- The OAuth side of a pool (PostgreSQL): hosted-UI domains, resource servers, and the
-- scopes granted to the token families the OAuth endpoints open. The SQLite migration of
-- the same number creates the same tables.
CREATE TABLE user_pool_domains (
    domain      TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    pool_id     TEXT COLLATE "C" NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    -- 'custom' or 'prefix': a pool has at most one domain of each kind.
    kind        TEXT   NOT NULL,
    config      TEXT   NOT NULL,
    created_ms  BIGINT NOT NULL,
    modified_ms BIGINT NOT NULL,
    UNIQUE (pool_id, kind)
);

CREATE TABLE resource_servers (
    pool_id    TEXT COLLATE "C" NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    identifier TEXT COLLATE "C" NOT NULL,
    name       TEXT NOT NULL,
    scopes     TEXT NOT NULL,
    PRIMARY KEY (pool_id, identifier)
);

CREATE TABLE oauth_family_scopes (
    pool_id   TEXT COLLATE "C" NOT NULL,
    family_id TEXT COLLATE "C" NOT NULL,
    scopes    TEXT NOT NULL,
    PRIMARY KEY (pool_id, family_id),
    FOREIGN KEY (pool_id, family_id) REFERENCES token_families (pool_id, family_id)
        ON DELETE CASCADE
);
