-- Gridwork sync server, PostgreSQL schema 002: scope exits.
-- When a row moves to another scope (record.rescope), devices that read the old scope but not
-- the new one must learn to drop it. An exit is a small entry of the OLD scope's changelog:
-- numbered from the same partition counter as records (so (part, seq) is unique across both
-- tables and a pull reads them merged in seq order), one per (row, scope it left), moved to a
-- new seq when the row leaves that scope again, and dropped when the row comes back into it.
CREATE TABLE scope_exits (
  tbl       text   NOT NULL,
  id        text   NOT NULL,
  scope     text   NOT NULL, -- the scope the row left
  part      text   NOT NULL, -- district: the first 6 digits of scope
  seq       bigint NOT NULL,
  exited_at text   NOT NULL,
  PRIMARY KEY (tbl, id, scope)
);

CREATE UNIQUE INDEX scope_exits_part_seq ON scope_exits (part, seq);
