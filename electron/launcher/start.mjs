#!/usr/bin/env node
// `npm start`: runs Gridwork as a desktop app, or in web mode when Electron cannot be had.
//
// 1. Find the Electron binary; if it is missing, try electron's own downloader, with a timeout.
// 2a. Found: build everything (`npm run build`) and start Electron on this folder.
// 2b. Not found: print one paragraph saying why and how to fix it, then `npm run web` (which
//     builds only the renderer and serves it with the sync server on 127.0.0.1).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeDownloadFailure, findElectronExecutable, planLaunch } from './electronBinary.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const electronDir = path.join(root, 'node_modules', 'electron');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
// Node refuses to spawn .cmd files without a shell on Windows.
const useShell = process.platform === 'win32';
const timeoutMs = Number(process.env['GRIDWORK_ELECTRON_DOWNLOAD_TIMEOUT_MS'] ?? 120_000);

/** @param {string} file */
function readText(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

function locate() {
  return findElectronExecutable({
    electronDir,
    env: process.env,
    platform: process.platform,
    exists: existsSync,
    readText,
  });
}

/** @returns {string | null} why the download failed, or null on success */
function tryDownload() {
  const installer = path.join(electronDir, 'install.js');
  if (!existsSync(installer)) return 'node_modules/electron is not installed (run npm install)';
  console.log(
    `[start] Electron binary missing; trying to download it (timeout ${timeoutMs / 1000} s)…`,
  );
  const result = spawnSync(process.execPath, [installer], {
    cwd: electronDir,
    encoding: 'utf8',
    timeout: timeoutMs,
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  return describeDownloadFailure(result, timeoutMs);
}

/**
 * Runs a child with inherited stdio and exits with its code.
 *
 * On POSIX the child leads its own process group and signals go to the whole group: `npm run`
 * starts `sh -c "a && b"`, which does not pass SIGTERM on, so signalling only the direct child
 * would leave the sync server (or Electron) running without its parent.
 * @param {string} command
 * @param {string[]} args
 * @param {NodeJS.ProcessEnv} [env]
 */
function runToExit(command, args, env = process.env) {
  const ownGroup = process.platform !== 'win32';
  const child = spawn(command, args, {
    cwd: root,
    stdio: 'inherit',
    shell: useShell,
    env,
    detached: ownGroup,
  });
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
    process.on(signal, () => {
      try {
        if (ownGroup && child.pid !== undefined) process.kill(-child.pid, signal);
        else child.kill(signal);
      } catch {
        // Already gone.
      }
    });
  }
  child.on('error', (error) => {
    console.error(`[start] could not run ${command}: ${error.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    process.exit(code ?? (signal ? 1 : 0));
  });
}

let executable = locate();
let downloadFailure = null;
if (executable === null) {
  downloadFailure = tryDownload();
  executable = locate();
}
const plan = planLaunch({ executable, downloadFailure });

if (plan.mode === 'electron') {
  const build = spawnSync(npm, ['run', 'build'], { cwd: root, stdio: 'inherit', shell: useShell });
  if (build.status !== 0) process.exit(build.status ?? 1);
  // ELECTRON_RUN_AS_NODE (set by some tools) would start plain Node instead of the app.
  const env = { ...process.env };
  delete env['ELECTRON_RUN_AS_NODE'];
  runToExit(plan.executable, ['.'], env);
} else {
  console.error(`\n${plan.message}\n`);
  runToExit(npm, ['run', 'web']);
}
