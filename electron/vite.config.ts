/**
 * Builds Electron's main process and preload into dist/electron as two single CommonJS files:
 * `main.cjs` (package.json "main") and `preload.cjs`.
 *
 * Two separate builds, not one with two entries: a shared chunk would make the preload
 * `require('./chunk.cjs')`, and a sandboxed preload can only require `electron` (and a few
 * built-ins). So this config builds main, and a plugin then builds the preload.
 */
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build, defineConfig } from 'vite';
import type { Plugin, UserConfig } from 'vite';

const outDir = fileURLToPath(new URL('../dist/electron', import.meta.url));
const sharedDir = fileURLToPath(new URL('../shared', import.meta.url));

/** Everything Electron provides at run time; the rest (zod, shared/) is bundled. */
const external = ['electron', /^electron\//, /^node:/, ...builtinModules];

function electronBuild(entry: string, fileName: string, emptyOutDir: boolean): UserConfig {
  return {
    root: fileURLToPath(new URL('..', import.meta.url)),
    resolve: { alias: { '@shared': sharedDir } },
    publicDir: false,
    logLevel: 'warn',
    ssr: { noExternal: true, target: 'node' },
    build: {
      ssr: fileURLToPath(new URL(entry, import.meta.url)),
      outDir,
      emptyOutDir,
      copyPublicDir: false,
      // Electron 45 runs a current Node and Chromium; ES2023 needs no down-levelling.
      target: 'es2023',
      minify: false,
      sourcemap: true,
      reportCompressedSize: false,
      rolldownOptions: {
        external,
        output: { format: 'cjs', entryFileNames: fileName, codeSplitting: false },
      },
    },
  };
}

/** Builds the preload once the main build has finished. */
function buildPreload(): Plugin {
  return {
    name: 'gridwork:build-preload',
    apply: 'build',
    async closeBundle() {
      // configFile: false, or Vite would load this file again and recurse.
      await build({
        ...electronBuild('./preload/index.ts', 'preload.cjs', false),
        configFile: false,
      });
    },
  };
}

export default defineConfig({
  ...electronBuild('./main/index.ts', 'main.cjs', true),
  plugins: [buildPreload()],
});
