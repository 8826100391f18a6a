-- Gridwork sync server, SQLite schema 001.
-- STRICT tables: SQLite otherwise stores whatever type it is given.
-- Instants are ISO-8601 UTC text exactly as the server received them.

-- The changelog: the current version of every synced row and its place in its partition's log.
-- A replaced row moves to a new seq, so (part, seq) is unique and pulls read it in order.
CREATE TABLE records (
  tbl    TEXT    NOT NULL,
  id     TEXT    NOT NULL,
  scope  TEXT    NOT NULL,
  part   TEXT    NOT NULL, -- district: the first 6 digits of scope
  seq    INTEGER NOT NULL,
  record TEXT    NOT NULL CHECK (json_valid(record)),
  PRIMARY KEY (tbl, id)
) STRICT;

CREATE UNIQUE INDEX records_part_seq ON records (part, seq);

-- The head of each partition's changelog; putRow takes the next number from here.
CREATE TABLE partition_seq (
  part TEXT    NOT NULL PRIMARY KEY,
  seq  INTEGER NOT NULL
) STRICT;

-- Idempotency: the answer given to each (device, mutation number), replayed on retries.
CREATE TABLE mutations (
  device_id   TEXT    NOT NULL,
  seq         INTEGER NOT NULL,
  user_id     TEXT    NOT NULL,
  result      TEXT    NOT NULL CHECK (json_valid(result)),
  received_at TEXT    NOT NULL,
  PRIMARY KEY (device_id, seq)
) STRICT;

CREATE TABLE users (
  id            TEXT    NOT NULL PRIMARY KEY,
  username      TEXT    NOT NULL UNIQUE,
  display_name  TEXT    NOT NULL,
  password_hash TEXT    NOT NULL,
  disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until  TEXT,
  department_id TEXT,
  created_at    TEXT    NOT NULL
) STRICT;

-- Revoked memberships stay (revoked_at set) for the audit trail.
CREATE TABLE memberships (
  id         TEXT NOT NULL PRIMARY KEY,
  user_id    TEXT NOT NULL REFERENCES users (id),
  scope      TEXT NOT NULL,
  role       TEXT NOT NULL,
  granted_at TEXT NOT NULL,
  granted_by TEXT,
  revoked_at TEXT
) STRICT;

CREATE INDEX memberships_user ON memberships (user_id);

-- Bearer tokens are stored only as their SHA-256.
CREATE TABLE sessions (
  token_hash TEXT NOT NULL PRIMARY KEY,
  user_id    TEXT NOT NULL REFERENCES users (id),
  device_id  TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  revoked_at TEXT
) STRICT;

CREATE INDEX sessions_user ON sessions (user_id);

-- Attachments are content-addressed; their bytes live in the database in upload-sized chunks.
CREATE TABLE attachments (
  sha256     TEXT    NOT NULL PRIMARY KEY,
  size       INTEGER NOT NULL CHECK (size >= 0),
  mime       TEXT    NOT NULL,
  received   INTEGER NOT NULL DEFAULT 0 CHECK (received >= 0 AND received <= size),
  complete   INTEGER NOT NULL DEFAULT 0 CHECK (complete IN (0, 1)),
  created_at TEXT    NOT NULL
) STRICT;

CREATE TABLE attachment_chunks (
  sha256   TEXT    NOT NULL REFERENCES attachments (sha256) ON DELETE CASCADE,
  "offset" INTEGER NOT NULL CHECK ("offset" >= 0),
  bytes    BLOB    NOT NULL,
  PRIMARY KEY (sha256, "offset")
) STRICT;
