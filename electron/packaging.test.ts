import { createRequire } from 'node:module';
// electron-builder's own schema check (it is what `electron-builder --config` runs first).
import { validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';
import type { Configuration } from 'electron-builder';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const config = require('../build/electron-builder.config.cjs') as Configuration;
const rootPackage = require('../package.json') as {
  main: string;
  dependencies?: Record<string, string>;
};

function patterns(): string[] {
  const { files } = config;
  expect(Array.isArray(files)).toBe(true);
  return (Array.isArray(files) ? files : []).filter((entry) => typeof entry === 'string');
}

describe('electron-builder config', () => {
  it("passes electron-builder's schema validation", async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    const typo = { ...config, includeSubNodeModules: false } as Configuration;
    await expect(validateConfiguration(typo, new DebugLogger(false))).rejects.toThrow(
      /unknown property 'includeSubNodeModules'/,
    );
  });

  it('packages the built main, preload and renderer and the package.json', () => {
    expect(patterns()).toEqual(
      expect.arrayContaining(['package.json', 'dist/electron/**', 'dist/renderer/**']),
    );
    // package.json "main" must point inside what is packaged.
    expect(rootPackage.main).toBe('dist/electron/main.cjs');
  });

  it('includes no node_modules, server code, sources or native modules', () => {
    const included = patterns().filter((pattern) => !pattern.startsWith('!'));
    for (const pattern of included) {
      expect(pattern).not.toMatch(
        /node_modules|sync-server|\.node\b|^(electron|renderer|shared)\//,
      );
      expect(pattern === 'package.json' || pattern.startsWith('dist/')).toBe(true);
    }
    expect(patterns()).toContain('!**/node_modules/**');
    // Everything is bundled: a runtime dependency would be copied into app.asar.
    expect(rootPackage.dependencies ?? {}).toEqual({});
    expect(config.npmRebuild).toBe(false);
    expect(config.nodeGypRebuild).toBe(false);
  });

  it('builds the agreed targets from an asar with hardened fuses', () => {
    expect(config.appId).toBe('cn.gridwork.desktop');
    expect(config.asar).toBe(true);
    expect(config.directories?.buildResources).toBe('build');
    expect(config.win?.target).toEqual([{ target: 'nsis', arch: ['x64'] }]);
    expect(config.linux?.target).toEqual([
      { target: 'deb', arch: ['x64', 'arm64'] },
      { target: 'AppImage', arch: ['x64', 'arm64'] },
    ]);
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
    });
  });
});
