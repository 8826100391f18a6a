import PouchDB from 'pouchdb-browser';
import type { DBCore } from 'dexie';
import { openDb, type GridworkDb } from '../src/db/db';
import { loadDevice } from '../src/db/device';
import { SCHEMA_VERSIONS } from '../src/db/schema';
import { commitChange, countUnsentChanges } from '../src/db/write';
import { SyncApi } from '../src/sync/api';
import { pullChanges, pushOutbox } from '../src/sync/engine';
import type {
  CeilingRun,
  EditRun,
  PageEdit,
  Probe,
  SyncBenchApi,
  SyncRun,
} from '../../test/bench/syncTypes';

/**
 * In-page part of `npm run bench:sync`. Gridwork: the app's real local database (Dexie over
 * Chromium's IndexedDB) and its real sync client (`pullChanges`, `commitChange`, `pushOutbox`)
 * against the real server behind the Vite proxy at `/api`. PouchDB: pouchdb-browser 9 (its
 * default IndexedDB adapter) replicating with express-pouchdb behind `/couch`.
 *
 * Only the sync calls are timed. Two cheap probes say where the time goes: every fetch is
 * timed until its body has arrived (network + server), and every read-write transaction of the
 * Gridwork database is timed from its start to its `complete` event (applying pages or answers,
 * IndexedDB commit included). `idbCeiling` then writes the pulled rows again with raw IndexedDB
 * into stores with the same indexes, in transactions of one pull page: a reference for what
 * storing these rows costs without Dexie or the engine (measured on the same disk, same run).
 */

const newProbe = (): Probe => ({ requests: 0, networkMs: 0, transactions: 0, transactionMs: 0 });

/** A fetch that charges its time (until the whole body has arrived) to the current probe. */
function timedFetch(probe: { current: Probe | null }): typeof fetch {
  return async (input, init) => {
    const t0 = performance.now();
    const response = await fetch(input, init);
    const body = await response.arrayBuffer();
    const p = probe.current;
    if (p) {
      p.requests += 1;
      p.networkMs += performance.now() - t0;
    }
    return new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

/**
 * Dexie middleware timing the engine's read-write transactions: a pull page (its tables plus
 * `syncState`) or a push answer (every table), while `commitChange` (3 stores, no `syncState`)
 * and `loadDevice` (1) stay out of the count.
 */
function transactionTimer(probe: { current: Probe | null }) {
  return {
    stack: 'dbcore' as const,
    name: 'bench-transaction-timer',
    create(down: DBCore): Partial<DBCore> {
      return {
        ...down,
        transaction(stores, mode, options) {
          const tx = down.transaction(stores, mode, options);
          const p = probe.current;
          if (
            p &&
            mode === 'readwrite' &&
            (stores.includes('syncState') || stores.length > 3) &&
            tx instanceof IDBTransaction
          ) {
            const t0 = performance.now();
            const done = () => {
              p.transactions += 1;
              p.transactionMs += performance.now() - t0;
            };
            tx.addEventListener('complete', done);
            tx.addEventListener('abort', done);
          }
          return tx;
        },
      };
    },
  };
}

interface GridworkSession {
  db: GridworkDb;
  api: SyncApi;
  userId: string;
  probe: { current: Probe | null };
}

const gridwork = new Map<string, GridworkSession>();
const pouches = new Map<string, PouchDB.Database>();

function gridworkSession(dbName: string): GridworkSession {
  const session = gridwork.get(dbName);
  if (!session) throw new Error(`no Gridwork session ${dbName}: log in first`);
  return session;
}

async function gridworkCount(db: GridworkDb): Promise<number> {
  return (await db.households.count()) + (await db.residents.count()) + (await db.cases.count());
}

async function deleteIndexedDb(name: string): Promise<void> {
  await new Promise<void>((resolve) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}

/** Opens a fresh local database and signs in (not timed: a device does this once). */
async function gridworkLogin(options: {
  dbName: string;
  username: string;
  password: string;
}): Promise<void> {
  await deleteIndexedDb(options.dbName);
  const probe: { current: Probe | null } = { current: null };
  const db = openDb(options.dbName);
  db.use(transactionTimer(probe));
  await db.open();
  const { deviceId } = await loadDevice(db);
  let token: string | null = null;
  const api = new SyncApi(location.origin, deviceId, () => token, timedFetch(probe));
  const login = await api.login(options.username, options.password);
  token = login.token;
  gridwork.set(options.dbName, { db, api, userId: login.user.id, probe });
}

async function timed<T>(
  probeRef: { current: Probe | null },
  fn: () => Promise<T>,
): Promise<{ value: T; ms: number; probe: Probe }> {
  const probe = newProbe();
  probeRef.current = probe;
  try {
    const t0 = performance.now();
    const value = await fn();
    return { value, ms: performance.now() - t0, probe };
  } finally {
    probeRef.current = null;
  }
}

/** Initial sync: pulls every page of the user's scopes into the empty local database. */
async function gridworkPull(dbName: string): Promise<SyncRun> {
  const { db, api, probe } = gridworkSession(dbName);
  const run = await timed(probe, () => pullChanges(db, api));
  return {
    ...run.probe,
    records: run.value.pulled,
    ms: run.ms,
    localCount: await gridworkCount(db),
    rejected: 0,
  };
}

const CEILING_TABLES = ['households', 'residents', 'cases'] as const;

function openRawDb(name: string): Promise<IDBDatabase> {
  // Every version's store specs merged (a later version may restate a store).
  const specs = new Map<string, string>();
  for (const { stores } of SCHEMA_VERSIONS)
    for (const [table, spec] of Object.entries(stores)) if (spec) specs.set(table, spec);
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, 1);
    request.onupgradeneeded = () => {
      for (const table of CEILING_TABLES) {
        const [primary = 'id', ...indexes] = (specs.get(table) ?? 'id')
          .split(',')
          .map((x) => x.trim());
        const store = request.result.createObjectStore(table, { keyPath: primary });
        for (const index of indexes) {
          const indexName = index.replace(/^[&*]/, '');
          const keyPath = indexName.startsWith('[') ? indexName.slice(1, -1).split('+') : indexName;
          store.createIndex(indexName, keyPath, {
            unique: index.startsWith('&'),
            multiEntry: index.startsWith('*'),
          });
        }
      }
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function rawPut(db: IDBDatabase, table: string, rows: readonly unknown[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(table, 'readwrite');
    const store = tx.objectStore(table);
    for (const row of rows) store.put(row);
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

/**
 * Writes the rows a Gridwork pull stored (with their derived index keys) into a fresh raw
 * IndexedDB database with the same indexes, `pageSize` rows per transaction. Only the writes
 * are timed.
 */
async function idbCeiling(dbName: string, pageSize: number): Promise<CeilingRun> {
  const { db } = gridworkSession(dbName);
  const rawName = `${dbName}-ceiling`;
  await deleteIndexedDb(rawName);
  const raw = await openRawDb(rawName);
  let records = 0;
  let ms = 0;
  let transactions = 0;
  try {
    for (const table of CEILING_TABLES) {
      const rows: unknown[] = await db.table(table).toArray();
      for (let i = 0; i < rows.length; i += pageSize) {
        const page = rows.slice(i, i + pageSize);
        const t0 = performance.now();
        await rawPut(raw, table, page);
        ms += performance.now() - t0;
        transactions += 1;
        records += page.length;
      }
    }
  } finally {
    raw.close();
    await deleteIndexedDb(rawName);
  }
  return { records, ms, transactions };
}

/** Offline edits through THE local write path, one `commitChange` each (as the app makes them). */
async function gridworkEdit(dbName: string, edits: PageEdit[]): Promise<EditRun> {
  const { db, userId } = gridworkSession(dbName);
  const t0 = performance.now();
  for (const edit of edits) {
    await commitChange(
      db,
      { op: 'update', table: edit.table, id: edit.id, patch: { note: edit.note } },
      { id: userId },
    );
  }
  const ms = performance.now() - t0;
  const queued = await countUnsentChanges(db); // each edit's change-history row rides along
  if (queued !== edits.length)
    throw new Error(`${queued} outbox entries for ${edits.length} edits`);
  return { edits: edits.length, ms };
}

/** Reconnect: sends the whole outbox. */
async function gridworkPush(dbName: string): Promise<SyncRun> {
  const { db, api, probe } = gridworkSession(dbName);
  const run = await timed(probe, () => pushOutbox(db, api));
  return {
    ...run.probe,
    records: run.value.pushed,
    ms: run.ms,
    localCount: await db.outbox.count(),
    rejected: run.value.rejected,
  };
}

function pouchRemote(remoteName: string, probe: { current: Probe | null }): PouchDB.Database {
  return new PouchDB(`${location.origin}/couch/${remoteName}`, {
    skip_setup: true,
    fetch: timedFetch(probe),
  });
}

/** Initial sync: `replicate.from` the server into a fresh IndexedDB-backed PouchDB. */
async function pouchPull(options: {
  dbName: string;
  remoteName: string;
  batchSize: number;
}): Promise<SyncRun> {
  await deleteIndexedDb(`_pouch_${options.dbName}`);
  const local = new PouchDB(options.dbName);
  pouches.set(options.dbName, local);
  const probe: { current: Probe | null } = { current: null };
  const remote = pouchRemote(options.remoteName, probe);
  const run = await timed(probe, async () =>
    local.replicate.from(remote, { batch_size: options.batchSize }),
  );
  if (run.value.status !== 'complete') throw new Error(`PouchDB pull ended ${run.value.status}`);
  return {
    ...run.probe,
    records: run.value.docs_written,
    ms: run.ms,
    localCount: (await local.info()).doc_count,
    rejected: run.value.doc_write_failures,
  };
}

/** The same offline edits as PouchDB makes them: read the docs, change `note`, write them back. */
async function pouchEdit(dbName: string, edits: PageEdit[]): Promise<EditRun> {
  const local = pouches.get(dbName);
  if (!local) throw new Error(`no PouchDB ${dbName}: pull first`);
  const t0 = performance.now();
  for (let i = 0; i < edits.length; i += 500) {
    const chunk = edits.slice(i, i + 500);
    const { rows } = await local.allDocs({ keys: chunk.map((e) => e.id), include_docs: true });
    const docs = rows.map((row, index) => {
      const doc = 'doc' in row ? row.doc : undefined;
      const edit = chunk[index];
      if (!doc || !edit) throw new Error(`PouchDB has no doc ${edit?.id ?? '?'}`);
      return { ...doc, note: edit.note };
    });
    const results = await local.bulkDocs(docs);
    if (results.some((r) => 'error' in r && r.error)) throw new Error('PouchDB refused an edit');
  }
  return { edits: edits.length, ms: performance.now() - t0 };
}

/** Reconnect: `replicate.to` the server. */
async function pouchPush(options: {
  dbName: string;
  remoteName: string;
  batchSize: number;
}): Promise<SyncRun> {
  const local = pouches.get(options.dbName);
  if (!local) throw new Error(`no PouchDB ${options.dbName}: pull first`);
  const probe: { current: Probe | null } = { current: null };
  const remote = pouchRemote(options.remoteName, probe);
  const run = await timed(probe, async () =>
    local.replicate.to(remote, { batch_size: options.batchSize }),
  );
  if (run.value.status !== 'complete') throw new Error(`PouchDB push ended ${run.value.status}`);
  return {
    ...run.probe,
    records: run.value.docs_written,
    ms: run.ms,
    localCount: (await local.info()).doc_count,
    rejected: run.value.doc_write_failures,
  };
}

/** Deletes every local database of the run, so the next dataset starts on a clean disk. */
async function dropAll(): Promise<void> {
  for (const [name, session] of gridwork) {
    session.db.close();
    await deleteIndexedDb(name);
  }
  gridwork.clear();
  for (const local of pouches.values()) await local.destroy();
  pouches.clear();
}

const api: SyncBenchApi = {
  gridworkLogin,
  gridworkPull,
  idbCeiling,
  gridworkEdit,
  gridworkPush,
  pouchPull,
  pouchEdit,
  pouchPush,
  dropAll,
};

// Errors cross into Node as plain messages; keep Dexie's inner cause so a failure is readable.
function readable(error: unknown): Error {
  const inner =
    error instanceof Error && 'inner' in error && error.inner instanceof Error
      ? ` (inner: ${error.inner.name}: ${error.inner.message})`
      : '';
  return new Error(
    error instanceof Error ? `${error.name}: ${error.message}${inner}` : String(error),
  );
}

window.syncBench = Object.fromEntries(
  Object.entries(api).map(([name, fn]) => [
    name,
    (...args: never[]) =>
      (fn as (...a: never[]) => Promise<unknown>)(...args).catch((error: unknown) => {
        throw readable(error);
      }),
  ]),
) as unknown as SyncBenchApi;
document.getElementById('log')?.append('\nsync bench ready');
