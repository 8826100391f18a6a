import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { createSqliteStorage } from './sqlite';
import { describeStorage } from './storage.suite';

// A file, as the server runs it (WAL, a real write lock), and ':memory:', as other tests use it.
const dir = mkdtempSync(join(tmpdir(), 'gridwork-storage-'));
let files = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeStorage('SQLite storage (file)', async () =>
  createSqliteStorage(join(dir, `test-${++files}.db`)),
);
describeStorage('SQLite storage (:memory:)', async () => createSqliteStorage(':memory:'));
