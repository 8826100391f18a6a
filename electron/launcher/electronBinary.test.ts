import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  describeDownloadFailure,
  fallbackMessage,
  findElectronExecutable,
  planLaunch,
  platformExecutable,
} from './electronBinary.mjs';

const electronDir = path.join('/repo', 'node_modules', 'electron');

function locate(
  files: Record<string, string>,
  env: Record<string, string> = {},
  platform = 'linux',
) {
  return findElectronExecutable({
    electronDir,
    env,
    platform,
    exists: (file) => file in files,
    readText: (file) => files[file] ?? null,
  });
}

describe('findElectronExecutable', () => {
  it('finds the installed binary named by path.txt', () => {
    const binary = path.join(electronDir, 'dist', 'electron');
    expect(locate({ [path.join(electronDir, 'path.txt')]: 'electron', [binary]: '' })).toBe(binary);
  });

  it('reports a missing binary: no path.txt (never downloaded), or path.txt without dist', () => {
    expect(locate({})).toBeNull();
    expect(locate({ [path.join(electronDir, 'path.txt')]: 'electron' })).toBeNull();
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH, even without path.txt', () => {
    const override = path.join('/opt', 'electron-45');
    const binary = path.join(override, 'electron');
    const env = { ELECTRON_OVERRIDE_DIST_PATH: override };
    expect(locate({ [binary]: '' }, env)).toBe(binary);
    expect(locate({}, env)).toBeNull();
    const exe = path.join(override, 'electron.exe');
    expect(locate({ [exe]: '' }, env, 'win32')).toBe(exe);
  });

  it('knows each platform executable name', () => {
    expect(platformExecutable('win32')).toBe('electron.exe');
    expect(platformExecutable('darwin')).toBe('Electron.app/Contents/MacOS/Electron');
    expect(platformExecutable('aix')).toBeNull();
  });
});

describe('describeDownloadFailure', () => {
  it('is null when the download worked', () => {
    expect(describeDownloadFailure({ status: 0, stderr: '' }, 1000)).toBeNull();
  });

  it('summarises a network failure in one line', () => {
    const stderr = 'TypeError: fetch failed\n    at node:internal/deps/undici:1:1\n';
    expect(describeDownloadFailure({ status: 1, stderr }, 1000)).toBe('TypeError: fetch failed');
  });

  it('reports a timeout', () => {
    const error = Object.assign(new Error('spawnSync node ETIMEDOUT'), { code: 'ETIMEDOUT' });
    expect(describeDownloadFailure({ status: null, error }, 120_000)).toBe(
      'the download timed out after 120 s',
    );
  });
});

describe('planLaunch', () => {
  it('launches Electron when a binary exists', () => {
    expect(planLaunch({ executable: '/x/electron', downloadFailure: null })).toEqual({
      mode: 'electron',
      executable: '/x/electron',
    });
  });

  it('falls back to web mode with one paragraph saying why and how to fix it', () => {
    const plan = planLaunch({ executable: null, downloadFailure: 'TypeError: fetch failed' });
    expect(plan.mode).toBe('web');
    const message = plan.mode === 'web' ? plan.message : '';
    expect(message).toBe(fallbackMessage('TypeError: fetch failed'));
    expect(message).not.toContain('\n');
    for (const part of ['GitHub', 'ELECTRON_MIRROR', 'ELECTRON_OVERRIDE_DIST_PATH', 'web mode']) {
      expect(message).toContain(part);
    }
  });
});
