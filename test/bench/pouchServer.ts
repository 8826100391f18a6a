import { createRequire } from 'node:module';
import { createServer, type RequestListener } from 'node:http';
import { benchRecords, datasetHash } from './syncData';

/**
 * The CouchDB side of `npm run bench:sync`, run as its own process (like the Gridwork server,
 * so neither shares a CPU thread with the orchestrator): express-pouchdb 4.2 over PouchDB 9
 * with the in-memory adapter (memdown; no native leveldown needed), serving one database
 * `bench-<count>` seeded with `bulkDocs` from the same demo records the Gridwork server holds.
 *
 * Env: BENCH_COUCH_PORT, BENCH_COUNT. Prints one JSON line `{ ready, docs, hash, seedMs }` on
 * stdout once it listens.
 */
const port = Number(process.env.BENCH_COUCH_PORT);
const count = Number(process.env.BENCH_COUNT);
if (!Number.isInteger(port) || !Number.isInteger(count) || count < 1)
  throw new Error('BENCH_COUCH_PORT and BENCH_COUNT must be set');

/** Every document of the benchmark: `_id` is the record id, the other fields as the record has them. */
type BenchDoc = { _id: string; table: string } & Record<string, unknown>;

/** The part of PouchDB used here. */
interface PouchDatabase {
  bulkDocs(docs: BenchDoc[]): Promise<{ ok?: boolean; error?: string }[]>;
  info(): Promise<{ doc_count: number }>;
}
interface PouchStatic {
  new (name: string): PouchDatabase;
  plugin(plugin: unknown): PouchStatic;
  defaults(options: { adapter: string }): PouchStatic;
}
type ExpressPouchDB = (
  pouch: PouchStatic,
  options: { mode: 'minimumForPouchDB'; inMemoryConfig: boolean },
) => RequestListener;

// Loaded untyped on purpose: @types/pouchdb-core declares a global `Buffer` interface that breaks
// Node's Buffer type for the whole test program (see syncTypes.ts); express-pouchdb has no types.
const require = createRequire(import.meta.url);
const load = <T>(name: string) => require(name) as T;
const MemoryPouch = load<PouchStatic>('pouchdb-core')
  .plugin(load('pouchdb-adapter-memory'))
  .plugin(load('pouchdb-adapter-http'))
  .plugin(load('pouchdb-mapreduce'))
  .plugin(load('pouchdb-replication'))
  .defaults({ adapter: 'memory' });
const expressPouchDB = load<ExpressPouchDB>('express-pouchdb');

// Before the first database: express-pouchdb wraps the constructor to keep its list of
// databases, and answers `no_db_file` for one created behind its back.
const handler = expressPouchDB(MemoryPouch, { mode: 'minimumForPouchDB', inMemoryConfig: true });

const started = Date.now();
const db = new MemoryPouch(`bench-${count}`);
let docs = 0;
for (const batch of benchRecords(count)) {
  const result = await db.bulkDocs(
    batch.map(({ table, record }) => {
      const { id, ...fields } = record;
      return { _id: String(id), table, ...fields };
    }),
  );
  const failed = result.filter((r) => r.error);
  if (failed.length > 0) throw new Error(`bulkDocs refused ${failed.length} docs`);
  docs += batch.length;
}
const info = await db.info();
if (info.doc_count !== count) throw new Error(`seeded ${info.doc_count} docs, not ${count}`);
const seedMs = Date.now() - started;

const server = createServer(handler);
server.keepAliveTimeout = 60_000;
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(
    `${JSON.stringify({ ready: true, docs, hash: datasetHash(count), seedMs })}\n`,
  );
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
