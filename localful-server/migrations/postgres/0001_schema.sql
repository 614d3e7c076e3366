-- Localful server schema. Ids are canonical UUID text, timestamps RFC 3339 UTC millisecond text
-- (sortable as strings), so the same queries run on SQLite and Postgres through sqlx's Any driver.
CREATE TABLE server_meta (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

CREATE TABLE users (
    id TEXT PRIMARY KEY NOT NULL,
    email TEXT NOT NULL,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    verified_at TEXT,
    first_verified_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX users_email_lower ON users (lower(email));

CREATE TABLE sessions (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    cid BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at_ms BIGINT NOT NULL,
    revoked_at TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE tickets (
    ticket_hash TEXT PRIMARY KEY NOT NULL,
    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL,
    expires_at_ms BIGINT NOT NULL
);

CREATE TABLE vaults (
    id TEXT PRIMARY KEY NOT NULL,
    owner_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    protected_encryption_key TEXT NOT NULL,
    protected_data TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    last_seq BIGINT NOT NULL DEFAULT 0,
    used_bytes BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX vaults_owner_name ON vaults (owner_id, name);

CREATE TABLE items (
    id TEXT PRIMARY KEY NOT NULL,
    vault_id TEXT NOT NULL REFERENCES vaults (id) ON DELETE CASCADE,
    type TEXT NOT NULL,
    created_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX items_vault ON items (vault_id, created_at, id);

CREATE TABLE versions (
    id TEXT PRIMARY KEY NOT NULL,
    vault_id TEXT NOT NULL REFERENCES vaults (id) ON DELETE CASCADE,
    item_id TEXT NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    protected_data TEXT,
    device_name TEXT NOT NULL,
    schema_version BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    deleted_at TEXT,
    bytes BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX versions_item ON versions (item_id, created_at, id);
CREATE INDEX versions_vault ON versions (vault_id, created_at, id);

CREATE TABLE changes (
    vault_id TEXT NOT NULL REFERENCES vaults (id) ON DELETE CASCADE,
    seq BIGINT NOT NULL,
    event TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (vault_id, seq)
);
