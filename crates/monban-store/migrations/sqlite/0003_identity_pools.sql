-- Identity pools (SQLite): pools, their identities, and the logins linked to them. The
-- PostgreSQL migration of the same number creates the same tables. Identity pools are
-- independent of user pools; deleting one takes its identities and their logins with it.

CREATE TABLE identity_pools (
    id          TEXT    NOT NULL PRIMARY KEY, -- {region}:{uuid}
    name        TEXT    NOT NULL,
    created_ms  INTEGER NOT NULL,
    modified_ms INTEGER NOT NULL,
    version     INTEGER NOT NULL,
    config      TEXT    NOT NULL, -- JSON of the wire IdentityPool (tags included)
    data        TEXT    NOT NULL  -- JSON of core's IdentityPoolData (roles, role mappings...)
);

-- Identity ids are unique across pools: DescribeIdentity names an identity alone.
CREATE TABLE identities (
    identity_id TEXT    NOT NULL PRIMARY KEY, -- {region}:{uuid}
    pool_id     TEXT    NOT NULL REFERENCES identity_pools (id) ON DELETE CASCADE,
    created_ms  INTEGER NOT NULL,
    modified_ms INTEGER NOT NULL,
    disabled    INTEGER NOT NULL -- 0 or 1: its last login was unlinked
);
CREATE UNIQUE INDEX identities_by_pool ON identities (pool_id, identity_id);

-- A login (a provider's user) belongs to one identity of the pool: the primary key is what
-- keeps two concurrent first sign-ins from making two identities.
CREATE TABLE identity_logins (
    pool_id     TEXT    NOT NULL,
    provider    TEXT    NOT NULL, -- the Logins key, or the developer provider name
    subject     TEXT    NOT NULL, -- the token's sub, or the developer user identifier
    identity_id TEXT    NOT NULL REFERENCES identities (identity_id) ON DELETE CASCADE,
    created_ms  INTEGER NOT NULL,
    PRIMARY KEY (pool_id, provider, subject)
);
CREATE INDEX identity_logins_by_identity ON identity_logins (identity_id);
