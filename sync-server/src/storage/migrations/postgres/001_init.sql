-- Gridwork sync server, PostgreSQL schema 001.
-- Tables are created unqualified, in the first schema of search_path (see postgres.ts).
-- Instants are ISO-8601 UTC text exactly as the server received them, so both engines return
-- them unchanged; comparisons cast them (expires_at::timestamptz).

-- The changelog: the current version of every synced row and its place in its partition's log.
-- A replaced row moves to a new seq, so (part, seq) is unique and pulls read it in order.
CREATE TABLE records (
  tbl    text   NOT NULL,
  id     text   NOT NULL,
  scope  text   NOT NULL,
  part   text   NOT NULL, -- district: the first 6 digits of scope
  seq    bigint NOT NULL,
  record jsonb  NOT NULL,
  PRIMARY KEY (tbl, id)
);

CREATE UNIQUE INDEX records_part_seq ON records (part, seq);

-- The head of each partition's changelog. putRow upserts this row, and the row lock it takes
-- (held until commit) is what orders the commits of one partition by seq.
CREATE TABLE partition_seq (
  part text   NOT NULL PRIMARY KEY,
  seq  bigint NOT NULL
);

-- Idempotency: the answer given to each (device, mutation number), replayed on retries.
CREATE TABLE mutations (
  device_id   text   NOT NULL,
  seq         bigint NOT NULL,
  user_id     text   NOT NULL,
  result      jsonb  NOT NULL,
  received_at text   NOT NULL,
  PRIMARY KEY (device_id, seq)
);

CREATE TABLE users (
  id            text    NOT NULL PRIMARY KEY,
  username      text    NOT NULL UNIQUE,
  display_name  text    NOT NULL,
  password_hash text    NOT NULL,
  disabled      boolean NOT NULL DEFAULT false,
  failed_logins integer NOT NULL DEFAULT 0,
  locked_until  text,
  department_id text,
  created_at    text    NOT NULL
);

-- Revoked memberships stay (revoked_at set) for the audit trail.
CREATE TABLE memberships (
  id         text NOT NULL PRIMARY KEY,
  user_id    text NOT NULL REFERENCES users (id),
  scope      text NOT NULL,
  role       text NOT NULL,
  granted_at text NOT NULL,
  granted_by text,
  revoked_at text
);

CREATE INDEX memberships_user ON memberships (user_id);

-- Bearer tokens are stored only as their SHA-256.
CREATE TABLE sessions (
  token_hash text NOT NULL PRIMARY KEY,
  user_id    text NOT NULL REFERENCES users (id),
  device_id  text NOT NULL,
  created_at text NOT NULL,
  expires_at text NOT NULL,
  revoked_at text
);

CREATE INDEX sessions_user ON sessions (user_id);

-- Attachments are content-addressed; their bytes live in the database in upload-sized chunks,
-- so several server instances can share one PostgreSQL and keep no files of their own.
CREATE TABLE attachments (
  sha256     text    NOT NULL PRIMARY KEY,
  size       bigint  NOT NULL CHECK (size >= 0),
  mime       text    NOT NULL,
  received   bigint  NOT NULL DEFAULT 0 CHECK (received >= 0 AND received <= size),
  complete   boolean NOT NULL DEFAULT false,
  created_at text    NOT NULL
);

CREATE TABLE attachment_chunks (
  sha256   text   NOT NULL REFERENCES attachments (sha256) ON DELETE CASCADE,
  "offset" bigint NOT NULL CHECK ("offset" >= 0),
  bytes    bytea  NOT NULL,
  PRIMARY KEY (sha256, "offset")
);
