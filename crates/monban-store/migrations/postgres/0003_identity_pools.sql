-- Identity pools (PostgreSQL): pools, their identities, and the logins linked to them. The
-- SQLite migration of the same number creates the same tables. As in 0001: BIGINT
-- integers, and the identifiers that keys compare are COLLATE "C".

CREATE TABLE identity_pools (
    id          TEXT COLLATE "C" NOT NULL PRIMARY KEY, -- {region}:{uuid}
    name        TEXT   NOT NULL,
    created_ms  BIGINT NOT NULL,
    modified_ms BIGINT NOT NULL,
    version     BIGINT NOT NULL,
    config      TEXT   NOT NULL, -- JSON of the wire IdentityPool (tags included)
    data        TEXT   NOT NULL  -- JSON of core's IdentityPoolData (roles, role mappings...)
);

-- Identity ids are unique across pools: DescribeIdentity names an identity alone.
CREATE TABLE identities (
    identity_id TEXT COLLATE "C" NOT NULL PRIMARY KEY, -- {region}:{uuid}
    pool_id     TEXT COLLATE "C" NOT NULL REFERENCES identity_pools (id) ON DELETE CASCADE,
    created_ms  BIGINT NOT NULL,
    modified_ms BIGINT NOT NULL,
    disabled    BIGINT NOT NULL -- 0 or 1: its last login was unlinked
);
CREATE UNIQUE INDEX identities_by_pool ON identities (pool_id, identity_id);

-- A login (a provider's user) belongs to one identity of the pool: the primary key is what
-- keeps two concurrent first sign-ins from making two identities.
CREATE TABLE identity_logins (
    pool_id     TEXT COLLATE "C" NOT NULL,
    provider    TEXT COLLATE "C" NOT NULL, -- the Logins key, or the developer provider name
    subject     TEXT COLLATE "C" NOT NULL, -- the token's sub, or the developer user identifier
    identity_id TEXT COLLATE "C" NOT NULL REFERENCES identities (identity_id) ON DELETE CASCADE,
    created_ms  BIGINT NOT NULL,
    PRIMARY KEY (pool_id, provider, subject)
);
CREATE INDEX identity_logins_by_identity ON identity_logins (identity_id);
