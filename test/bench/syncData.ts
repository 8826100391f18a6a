import { createHash } from 'node:crypto';
import { generateDemoStreet, type DemoOptions } from '@shared/demo';

/**
 * The records both systems carry in `npm run bench:sync`: households, residents and cases of the
 * deterministic demo street (和平里街道), in the street's own proportions (about 1 : 3 : 3), cut to
 * exactly `count` rows. The Gridwork seeder (parent process) and the PouchDB seeder (child
 * process) each call this and compare `datasetHash`, so both hold the same JSON documents.
 */

/** The tables a bench dataset is drawn from. */
export const BENCH_TABLES = ['households', 'residents', 'cases'] as const;
export type BenchTable = (typeof BENCH_TABLES)[number];

/** One record as the server stores it: the whole entity row (envelope and fields). */
export interface BenchRecord {
  table: BenchTable;
  record: Record<string, unknown>;
}

/** The street every dataset lives in; the bench user holds a membership on it. */
export const BENCH_STREET = '110101010000';
/** Fixed "today" so every run generates byte-identical records. */
export const BENCH_NOW = '2026-11-29T00:00:00.000Z';
const BENCH_SEED = 42;

function quotas(count: number): Record<BenchTable, number> {
  const households = Math.round(count / 7);
  const residents = Math.round((3 * count) / 7);
  return { households, residents, cases: count - households - residents };
}

/**
 * Yields `count` records in batches (households first, then residents, then cases). A table that
 * falls short of its share (the generator draws family sizes and case counts at random) passes
 * the shortfall on to the next table.
 * @throws Error when the street does not yield enough rows (never for the shipped generator).
 */
export function* benchRecords(count: number, batchSize = 2500): Generator<BenchRecord[]> {
  const want = quotas(count);
  // 10 % spare households so that residents and cases are never short.
  const options: DemoOptions = {
    seed: BENCH_SEED,
    households: Math.max(1, Math.ceil(want.households * 1.1)),
    now: BENCH_NOW,
    streetCode: BENCH_STREET,
  };
  // Cumulative targets: whatever an earlier table lacks, a later one makes up.
  const upTo: Record<BenchTable, number> = {
    households: want.households,
    residents: want.households + want.residents,
    cases: count,
  };
  let out: BenchRecord[] = [];
  let total = 0;
  for (const batch of generateDemoStreet(options, batchSize)) {
    const table = (BENCH_TABLES as readonly string[]).includes(batch.table)
      ? (batch.table as BenchTable)
      : null;
    if (!table) continue;
    for (const row of batch.rows.slice(0, Math.max(0, upTo[table] - total))) {
      out.push({ table, record: row as unknown as Record<string, unknown> });
      total += 1;
      if (out.length >= batchSize) {
        yield out;
        out = [];
      }
    }
    if (table === 'cases' && total >= count) break;
  }
  if (out.length > 0) yield out;
  if (total !== count) throw new Error(`demo street gave ${total} bench records, not ${count}`);
}

/** SHA-256 over every record's table and JSON, in order: equal hashes mean equal datasets. */
export function datasetHash(count: number): string {
  const hash = createHash('sha256');
  for (const batch of benchRecords(count)) {
    for (const { table, record } of batch) hash.update(`${table}\n${JSON.stringify(record)}\n`);
  }
  return hash.digest('hex');
}

/** One offline edit of the push scenario: the same change is made in both systems. */
export interface BenchEdit {
  table: 'households' | 'residents';
  id: string;
  note: string;
}

/**
 * `count` edits of the `note` field of households and residents of the dataset (a grid worker
 * writing visit notes offline), each record edited once.
 * @throws Error when the dataset has fewer households and residents than `count`.
 */
export function benchEdits(datasetSize: number, count: number): BenchEdit[] {
  const edits: BenchEdit[] = [];
  for (const batch of benchRecords(datasetSize)) {
    for (const { table, record } of batch) {
      if (edits.length >= count) return edits;
      if (table === 'cases') continue;
      const n = edits.length + 1;
      edits.push({
        table,
        id: String(record.id),
        note: `第${n}次入户走访：已电话核实，居住情况无变化，下次回访安排在下月上旬。`,
      });
    }
  }
  if (edits.length < count)
    throw new Error(`only ${edits.length} households and residents to edit, not ${count}`);
  return edits;
}
