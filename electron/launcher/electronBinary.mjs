// Decisions of `npm start` (start.mjs), kept free of side effects so they can be unit-tested:
// where the Electron binary is, how to try to download it, and what to do when it is missing.
// Plain Node ESM with JSDoc types because start.mjs runs before anything is compiled.
import path from 'node:path';

/**
 * @typedef {object} LocateInput
 * @property {string} electronDir  node_modules/electron
 * @property {Readonly<Record<string, string | undefined>>} env
 * @property {string} platform  process.platform
 * @property {(file: string) => boolean} exists
 * @property {(file: string) => string | null} readText  file contents, or null when unreadable
 */

/**
 * @typedef {{ mode: 'electron', executable: string } | { mode: 'web', message: string }} LaunchPlan
 */

/**
 * The executable's path inside an Electron dist, as electron's own install.js names it.
 * @param {string} platform
 * @returns {string | null}
 */
export function platformExecutable(platform) {
  switch (platform) {
    case 'linux':
    case 'freebsd':
    case 'openbsd':
      return 'electron';
    case 'win32':
      return 'electron.exe';
    case 'darwin':
      return 'Electron.app/Contents/MacOS/Electron';
    default:
      return null;
  }
}

/**
 * Finds an installed Electron executable the way `require('electron')` does, but without its
 * side effect: electron@45's index.js starts a download with no timeout when the binary is missing.
 * @param {LocateInput} input
 * @returns {string | null}
 */
export function findElectronExecutable(input) {
  const fromPathTxt = input.readText(path.join(input.electronDir, 'path.txt'));
  const relative = fromPathTxt?.trim() || platformExecutable(input.platform);
  if (!relative) return null;
  const override = input.env['ELECTRON_OVERRIDE_DIST_PATH'];
  const candidate = override
    ? path.join(override, relative)
    : fromPathTxt
      ? path.join(input.electronDir, 'dist', relative)
      : null;
  return candidate !== null && input.exists(candidate) ? candidate : null;
}

/**
 * Summarises a failed download (electron's install.js prints a whole stack) in one line.
 * @param {{ status: number | null, error?: Error & { code?: string }, stderr?: string }} result
 * @param {number} timeoutMs
 * @returns {string | null}  null when the download succeeded
 */
export function describeDownloadFailure(result, timeoutMs) {
  if (result.error?.code === 'ETIMEDOUT') {
    return `the download timed out after ${Math.round(timeoutMs / 1000)} s`;
  }
  if (result.error) return result.error.message;
  if (result.status === 0) return null;
  const lines = (result.stderr ?? '').split('\n').map((line) => line.trim());
  const cause = lines.find((line) => /error|failed|ENOTFOUND|ECONN|EAI_AGAIN/i.test(line));
  return cause ?? `the installer exited with code ${String(result.status)}`;
}

/**
 * The one paragraph `npm start` prints before falling back to web mode.
 * @param {string} detail  why the download failed
 * @returns {string}
 */
export function fallbackMessage(detail) {
  return [
    `Electron could not be started: its binary is not installed, and downloading it failed (${detail}).`,
    'electron@45 fetches its binary from GitHub on first run, which this network cannot reach.',
    'To fix it, allow access to github.com, or point the download at a mirror and rerun',
    '(e.g. ELECTRON_MIRROR=https://npmmirror.com/mirrors/electron/ npm start), or set',
    'ELECTRON_OVERRIDE_DIST_PATH to an unpacked Electron 45 folder.',
    'Falling back to web mode: the same app, built and served in your browser by the sync server.',
  ].join(' ');
}

/**
 * Chooses between the desktop app and web mode.
 * @param {{ executable: string | null, downloadFailure: string | null }} input
 * @returns {LaunchPlan}
 */
export function planLaunch(input) {
  if (input.executable !== null) return { mode: 'electron', executable: input.executable };
  return {
    mode: 'web',
    message: fallbackMessage(input.downloadFailure ?? 'the binary is still missing after it'),
  };
}
