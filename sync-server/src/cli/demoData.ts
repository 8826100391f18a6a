/**
 * Writes the deterministic demo street (shared/demo) to disk: one NDJSON file per table, plus
 * accounts.json and plan.json. Used to seed a server, to inspect the data set, and to benchmark
 * imports.
 *
 *   npm run demo-data -- --households 50000 --seed 42 --out demo-data/heping
 *
 * Exit codes: 0 done, 1 failed while writing, 2 bad arguments.
 */
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import {
  DEFAULT_DEMO_STREET,
  demoAccounts,
  generateDemoStreet,
  planDemoStreet,
  type DemoOptions,
} from '../../../shared/demo';

const USAGE = `Usage: npm run demo-data -- [options]

  --households <n>        households in the street (default 50000)
  --seed <n>              random seed (default 42)
  --out <dir>             output directory (default demo-data/heping)
  --now <instant>         reference "today", ISO UTC (default: today 00:00Z; pass it to reproduce)
  --months <n>            months of history (default 12)
  --residents-per-household <x>   average residents (default 3)
  --cases-per-household <x>       cases over the history (default 3)
  --street <code>         12-digit code of a 东城区 street (default ${DEFAULT_DEMO_STREET}, 和平里)
  --batch-size <n>        rows per batch (default 2000)
  -h, --help              show this help`;

class UsageError extends Error {}

function numberArg(name: string, text: string | undefined, integer: boolean): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw new UsageError(`--${name} must be ${integer ? 'an integer' : 'a number'}, got "${text}"`);
  }
  return value;
}

function parse(argv: string[]): { opts: DemoOptions; out: string; batchSize: number } | null {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        households: { type: 'string' },
        seed: { type: 'string' },
        out: { type: 'string' },
        now: { type: 'string' },
        months: { type: 'string' },
        'residents-per-household': { type: 'string' },
        'cases-per-household': { type: 'string' },
        street: { type: 'string' },
        'batch-size': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const v = parsed.values;
  if (v.help) return null;
  const today = new Date();
  const defaultNow = new Date(
    Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()),
  ).toISOString();
  const opts: DemoOptions = {
    seed: numberArg('seed', v.seed, true) ?? 42,
    households: numberArg('households', v.households, true) ?? 50_000,
    now: v.now ?? defaultNow,
    months: numberArg('months', v.months, true),
    residentsPerHousehold: numberArg(
      'residents-per-household',
      v['residents-per-household'],
      false,
    ),
    casesPerHousehold: numberArg('cases-per-household', v['cases-per-household'], false),
    streetCode: v.street,
  };
  const batchSize = numberArg('batch-size', v['batch-size'], true) ?? 2000;
  if (batchSize < 1 || batchSize > 100_000) throw new UsageError('--batch-size must be 1–100000');
  // planDemoStreet validates every option and names the one that is wrong.
  try {
    planDemoStreet(opts);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  return { opts, out: v.out ?? 'demo-data/heping', batchSize };
}

async function write(stream: WriteStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

async function close(stream: WriteStream): Promise<void> {
  stream.end();
  await once(stream, 'finish');
}

async function run(opts: DemoOptions, outDir: string, batchSize: number): Promise<void> {
  const dir = resolve(outDir);
  await mkdir(dir, { recursive: true });
  const plan = planDemoStreet(opts);
  console.log(
    `demo street ${opts.streetCode ?? DEFAULT_DEMO_STREET}: ${plan.households} households, ` +
      `${plan.grids} grids, seed ${opts.seed}, now ${opts.now} → ${dir}`,
  );
  const started = performance.now();
  let generating = 0;
  const counts: Record<string, number> = {};
  const streams = new Map<string, WriteStream>();
  const iterator = generateDemoStreet(opts, batchSize);
  for (;;) {
    const t = performance.now();
    const next = iterator.next();
    generating += performance.now() - t;
    if (next.done) break;
    const batch = next.value;
    let stream = streams.get(batch.table);
    if (!stream) {
      stream = createWriteStream(resolve(dir, `${batch.table}.ndjson`), { encoding: 'utf8' });
      streams.set(batch.table, stream);
    }
    let text = '';
    for (const row of batch.rows) text += `${JSON.stringify(row)}\n`;
    await write(stream, text);
    counts[batch.table] = (counts[batch.table] ?? 0) + batch.rows.length;
  }
  await Promise.all([...streams.values()].map(close));
  const accounts = demoAccounts(opts);
  const elapsed = (performance.now() - started) / 1000;
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  await writeFile(resolve(dir, 'accounts.json'), `${JSON.stringify(accounts, null, 2)}\n`);
  await writeFile(
    resolve(dir, 'plan.json'),
    `${JSON.stringify({ options: opts, plan, counts, totalRecords: total }, null, 2)}\n`,
  );
  for (const [table, count] of Object.entries(counts)) {
    console.log(`  ${table.padEnd(12)} ${String(count).padStart(9)}`);
  }
  console.log(`  ${'users'.padEnd(12)} ${String(accounts.users.length).padStart(9)}`);
  console.log(
    `${total} records in ${elapsed.toFixed(1)} s (generation ${(generating / 1000).toFixed(1)} s, ` +
      `the rest serialising and writing)`,
  );
}

async function main(): Promise<number> {
  let args;
  try {
    args = parse(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`demo-data: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (!args) {
    console.log(USAGE);
    return 0;
  }
  try {
    await run(args.opts, args.out, args.batchSize);
    return 0;
  } catch (error) {
    console.error(`demo-data: failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

process.exitCode = await main();
