import type { DemoOptions } from '@shared/demo';
import { openDb } from '../../db/db';
import { loadDemoStreet } from './loadDemo';

/** Runs the demo load off the UI thread, so the progress bar keeps moving. */
export type DemoWorkerRequest = { options: DemoOptions; dbName?: string };
export type DemoWorkerMessage =
  | { type: 'progress'; table: string; written: number; total: number }
  | { type: 'done'; written: number; ms: number }
  | { type: 'error'; message: string };

// The renderer's tsconfig has the DOM lib (which clashes with the WebWorker lib), so the
// worker scope is described by the two members used here.
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<DemoWorkerRequest>) => void) | null;
  postMessage(message: DemoWorkerMessage): void;
};

scope.onmessage = async (event: MessageEvent<DemoWorkerRequest>) => {
  const post = (message: DemoWorkerMessage) => scope.postMessage(message);
  const db = openDb(event.data.dbName);
  try {
    const result = await loadDemoStreet(db, event.data.options, (p) =>
      post({ type: 'progress', ...p }),
    );
    post({ type: 'done', ...result });
  } catch (error) {
    post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  } finally {
    db.close();
  }
};
