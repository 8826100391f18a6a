import { generateDemoStreet, type DemoOptions } from '@shared/demo';
import { putRemote } from '../src/db/bulk';
import { openDb } from '../src/db/db';
import { DB_NAME, SCHEMA_VERSIONS } from '../src/db/schema';
import { searchResidents } from '../src/db/repositories/residents';

/**
 * In-page part of `npm run bench:db`: loads the demo street through the app's own write path
 * for remote data (validation, derived keys, Dexie bulkPut) and, batch by batch alongside it,
 * writes the same records with raw IndexedDB into stores with the same indexes (the ceiling);
 * then times resident searches.
 * Only database writes are timed; generating the records is not.
 */
export interface DbBenchResult {
  records: number;
  appMs: number;
  rawMs: number;
  appRate: number;
  rawRate: number;
  ratio: number;
  residents: number;
  searches: { query: string; kind: string; ms: number; hits: number }[];
  searchMedianMs: number;
  searchP95Ms: number;
}

function log(line: string) {
  const el = document.getElementById('log');
  if (el) el.textContent += `\n${line}`;
}

function rawIndexedDb(name: string): Promise<IDBDatabase> {
  const latest = SCHEMA_VERSIONS[SCHEMA_VERSIONS.length - 1];
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, 1);
    request.onupgradeneeded = () => {
      for (const [table, spec] of Object.entries(latest?.stores ?? {})) {
        const [primary = 'id', ...indexes] = spec.split(',').map((s) => s.trim());
        const store = request.result.createObjectStore(
          table,
          primary.startsWith('++')
            ? { keyPath: primary.slice(2), autoIncrement: true }
            : { keyPath: primary },
        );
        for (const index of indexes) {
          const unique = index.startsWith('&');
          const multiEntry = index.startsWith('*');
          const name = index.replace(/^[&*]/, '');
          const keyPath = name.startsWith('[') ? name.slice(1, -1).split('+') : name;
          store.createIndex(name, keyPath, { unique, multiEntry });
        }
      }
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function rawPut(db: IDBDatabase, table: string, rows: readonly object[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(table, 'readwrite', { durability: 'default' });
    const store = tx.objectStore(table);
    for (const row of rows) store.put(row);
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

function deleteDb(name: string): Promise<void> {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const p95 = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.95)] ?? 0;

async function run(options: DemoOptions): Promise<DbBenchResult> {
  const appName = `${DB_NAME}-bench-app`;
  const rawName = `${DB_NAME}-bench-raw`;
  await deleteDb(appName);
  await deleteDb(rawName);

  // Both databases are filled batch by batch, alternating, so that disk state, compaction and
  // GC pressure fall on both alike; only the writes themselves are timed.
  const app = openDb(appName);
  await app.open();
  const raw = await rawIndexedDb(rawName);
  let records = 0;
  let appMs = 0;
  let rawMs = 0;
  for (const batch of generateDemoStreet(options)) {
    const t0 = performance.now();
    await putRemote(app, batch.table, batch.rows);
    const t1 = performance.now();
    await rawPut(raw, batch.table, batch.rows);
    rawMs += performance.now() - t1;
    appMs += t1 - t0;
    records += batch.rows.length;
    if (records % 100_000 < batch.rows.length) log(`${records} records`);
  }
  raw.close();
  await deleteDb(rawName);

  // Queries drawn from the data: ID tails, phone tails, name prefixes and address fragments.
  const sample = await app.residents.limit(2000).toArray();
  const queries: string[] = [];
  for (let i = 0; i < 15; i += 1) {
    const r = sample[(i * 131) % sample.length];
    if (!r) continue;
    if (r.idNumber) queries.push(r.idNumber.slice(-4));
    if (r.phone) queries.push(r.phone.replace(/\D/g, '').slice(-4));
    queries.push(r.name.slice(0, 2));
  }
  queries.push('王', '李', '张', '和平里', '安德', '3号楼');
  const searches: DbBenchResult['searches'] = [];
  await searchResidents(app, '刘'); // warm-up: first query opens cursors and compiles code paths
  for (const query of queries) {
    const t0 = performance.now();
    const hits = await searchResidents(app, query);
    searches.push({
      query,
      kind: /^\d/.test(query) ? 'tail' : 'text',
      ms: performance.now() - t0,
      hits: hits.length,
    });
  }
  const residents = await app.residents.count();
  app.close();
  await deleteDb(appName);

  const ms = searches.map((s) => s.ms);
  const appRate = records / (appMs / 1000);
  const rawRate = records / (rawMs / 1000);
  return {
    records,
    appMs,
    rawMs,
    appRate,
    rawRate,
    ratio: appRate / rawRate,
    residents,
    searches,
    searchMedianMs: median(ms),
    searchP95Ms: p95(ms),
  };
}

declare global {
  interface Window {
    runDbBench?: (options: DemoOptions) => Promise<DbBenchResult>;
  }
}
// Errors cross into Node as plain messages; keep Dexie's inner cause so a failure is readable.
window.runDbBench = (options) =>
  run(options).catch((error: unknown) => {
    const inner =
      error instanceof Error && 'inner' in error && error.inner instanceof Error
        ? ` (inner: ${error.inner.name}: ${error.inner.message})`
        : '';
    throw new Error(
      error instanceof Error ? `${error.name}: ${error.message}${inner}` : String(error),
    );
  });
