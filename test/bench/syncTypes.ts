/**
 * The contract between the two halves of `npm run bench:sync`: what the bench page
 * (renderer/bench/syncBench.ts) exposes as `window.syncBench`, and what its calls return.
 *
 * It lives here, free of imports, rather than in the page module because the page imports
 * pouchdb-browser, whose typings (@types/pouchdb-core) declare a global `Buffer` interface that
 * clashes with Node's: the Node-side program must never see them.
 */

/** Cheap probes of where a timed call spent its time. */
export interface Probe {
  /** Fetches made, and their summed time from the call until the whole body had arrived. */
  requests: number;
  networkMs: number;
  /** Gridwork only: read-write transactions over the synced tables (applying pages or answers). */
  transactions: number;
  transactionMs: number;
}

/** What one timed sync call did. */
export interface SyncRun extends Probe {
  /** Records moved (pulled, or pushed and answered). */
  records: number;
  ms: number;
  /** Pulls: records in the local database afterwards. Gridwork push: outbox entries left. */
  localCount: number;
  /** Pushes: mutations the server rejected, or docs PouchDB failed to write. */
  rejected: number;
}

/** Local edits before a push: not part of the push figure, reported for context. */
export interface EditRun {
  edits: number;
  ms: number;
}

/** Raw IndexedDB puts of a pull's stored rows into stores with the same indexes. */
export interface CeilingRun {
  records: number;
  ms: number;
  transactions: number;
}

/** One offline edit, made the same way in both systems. */
export interface PageEdit {
  table: 'households' | 'residents';
  id: string;
  note: string;
}

/** The page's API, called with `page.evaluate`. */
export interface SyncBenchApi {
  /** Opens a fresh local Gridwork database and signs in (not timed). */
  gridworkLogin(options: { dbName: string; username: string; password: string }): Promise<void>;
  /** Initial sync: `pullChanges` until the server has nothing new. */
  gridworkPull(dbName: string): Promise<SyncRun>;
  /** Raw IndexedDB write time for the rows the pull stored, `pageSize` rows per transaction. */
  idbCeiling(dbName: string, pageSize: number): Promise<CeilingRun>;
  /** Offline edits, one `commitChange` each. */
  gridworkEdit(dbName: string, edits: PageEdit[]): Promise<EditRun>;
  /** Reconnect: `pushOutbox`. */
  gridworkPush(dbName: string): Promise<SyncRun>;
  /** Initial sync: `replicate.from` into a fresh IndexedDB PouchDB. */
  pouchPull(options: { dbName: string; remoteName: string; batchSize: number }): Promise<SyncRun>;
  /** The same edits in PouchDB: `allDocs` + `bulkDocs`. */
  pouchEdit(dbName: string, edits: PageEdit[]): Promise<EditRun>;
  /** Reconnect: `replicate.to`. */
  pouchPush(options: { dbName: string; remoteName: string; batchSize: number }): Promise<SyncRun>;
  /** Deletes every local database of the run. */
  dropAll(): Promise<void>;
}

declare global {
  interface Window {
    syncBench?: SyncBenchApi;
  }
}
