import { availableParallelism, loadavg } from 'node:os';
import type { MapBenchResult } from '../../renderer/bench/mapBenchResult';
import { numberArg, openBenchPage, printTable, writeReport } from './harness';

/**
 * npm run bench:map [-- --households 50000 --cases-per-household 3 --runs 3]
 * Targets (issue 5): data ready → map idle under 1.5 s with 50k households and 150k cases, heat
 * map on; no frame over 100 ms while panning at street zoom. Headless Chromium draws with
 * SwiftShader (software WebGL, on the CPU), so frame times here are an upper bound for a real
 * GPU — and they move with whatever else the machine is doing: the report records the load
 * average, and with `--runs N` the table shows the median run (every run is in the JSON).
 */
const households = numberArg('households', 50_000);
const casesPerHousehold = numberArg('cases-per-household', 3);
const runs = numberArg('runs', 1);
const options = { seed: 42, households, casesPerHousehold, now: '2026-11-29T00:00:00.000Z' };
const TARGET_IDLE_MS = 1500;
const TARGET_FRAME_MS = 100;

const session = await openBenchPage('bench/map.html', { optimizeDeps: ['maplibre-gl'] });
try {
  await session.page.setViewportSize({ width: 1366, height: 768 });
  await session.page.waitForFunction(() => typeof window.runMapBench === 'function');
  const started = Date.now();
  const loadBefore = loadavg()[0] ?? 0;
  const all: MapBenchResult[] = [];
  for (let k = 0; k < runs; k += 1)
    all.push(
      await session.page.evaluate((opts) => {
        if (!window.runMapBench) throw new Error('bench page did not load');
        return window.runMapBench(opts);
      }, options),
    );
  // The median run by time to idle (the first when there is one run).
  const result = [...all].sort((a, b) => a.toIdleMs - b.toIdleMs)[Math.floor(all.length / 2)];
  if (!result) throw new Error('no run');
  const idleOk = result.toIdleMs < TARGET_IDLE_MS;
  const street = result.pans[0];
  const frameOk = street !== undefined && street.worstMs <= TARGET_FRAME_MS;
  printTable(
    `bench:map — ${result.households} households, ${result.cases} cases (${result.caseFeatures} located), 1366×768, heat map on${runs > 1 ? `, median of ${runs} runs` : ''}, load average ${loadBefore.toFixed(1)} on ${availableParallelism()} cores`,
    [
      ['records → GeoJSON', `${result.buildMs.toFixed(0)} ms`],
      ['GeoJSON → map idle', `${result.renderMs.toFixed(0)} ms`],
      [
        'data ready → map idle',
        `${result.toIdleMs.toFixed(0)} ms`,
        `target < ${TARGET_IDLE_MS} ms ${idleOk ? 'met' : 'MISSED'}`,
      ],
      [
        'window 90 days → all time, to idle',
        `${result.allTimeMs.toFixed(0)} ms`,
        `${result.windowCases} cases in 90 days → ${result.heatCells} heat cells`,
      ],
      ...result.pans.map((p): [string, string, string] => [
        `worst frame panning, ${p.label} (z${p.zoom})`,
        `${p.worstMs.toFixed(0)} ms`,
        `p95 ${p.p95Ms.toFixed(0)} ms, ${p.frames} frames${
          p === street ? `; target ≤ ${TARGET_FRAME_MS} ms ${frameOk ? 'met' : 'MISSED'}` : ''
        }`,
      ]),
    ],
  );
  const file = writeReport('bench-map', {
    options,
    viewport: { width: 1366, height: 768 },
    renderer: 'headless Chromium, SwiftShader WebGL',
    wallSeconds: (Date.now() - started) / 1000,
    loadAverage: { before: loadBefore, after: loadavg()[0] ?? 0, cores: availableParallelism() },
    runs: all,
    targets: { toIdleMs: TARGET_IDLE_MS, worstFrameMs: TARGET_FRAME_MS },
    met: { toIdle: idleOk, frames: frameOk },
    median: result,
  });
  console.log(`\nwritten: ${file}`);
} finally {
  await session.close();
}
