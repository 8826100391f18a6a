// ESLint flat config. Besides the usual rules it enforces the layers of DESIGN §3: shared/ is
// platform-free and self-contained; the renderer never reaches for Electron or Node.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import vue from 'eslint-plugin-vue';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Module specifiers matched exactly: a relative './electron.ts' file is not the electron module.
const nodeModules =
  '^(node:.*|fs|path|os|child_process|crypto|http|https|net|url|worker_threads)(/.*)?$';
const electronModule = '^electron(/.*)?$';

const domGlobals = Object.keys(globals.browser).filter((name) => !(name in globals.es2021));
const nodeOnlyGlobals = Object.keys(globals.node).filter((name) => !(name in globals.es2021));
// Web-platform names that exist both in browsers and in Node 20 and are used deliberately.
const sharedPlatformGlobals = new Set([
  'console',
  'TextEncoder',
  'TextDecoder',
  'URL',
  'structuredClone',
  'queueMicrotask',
  'setTimeout',
  'clearTimeout',
  'AbortController',
  'AbortSignal',
]);

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'release/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'reports/**',
      '.bench/**',
      'demo-data/**',
      'sync-server/node_modules/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'vue/multi-word-component-names': 'error',
      'vue/block-lang': ['error', { script: { lang: 'ts' } }],
    },
  },
  {
    // shared/: no DOM, no Node, nothing from the other top-level folders.
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/renderer/**', '**/electron/**', '**/sync-server/**', '**/test/**'],
              message: 'shared/ must not import from other layers.',
            },
            { regex: electronModule, message: 'shared/ is platform-free: no Electron.' },
            { regex: nodeModules, message: 'shared/ is platform-free: no Node modules.' },
            {
              regex: '^(vue|pinia|dexie|maplibre-gl|fastify|element-plus)(/.*)?$',
              message: 'shared/ is platform-free: no UI, database or server libraries.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...[...new Set([...domGlobals, ...nodeOnlyGlobals])]
          .filter((name) => !sharedPlatformGlobals.has(name))
          .map((name) => ({ name, message: 'shared/ is platform-free: no DOM or Node globals.' })),
      ],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.vue'],
    ignores: ['renderer/vite.config.ts'],
    languageOptions: { globals: globals.browser },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: electronModule,
              message: 'The renderer runs in a browser too: go through renderer/src/platform.',
            },
            { regex: nodeModules, message: 'The renderer runs in a browser too: no Node modules.' },
            {
              group: ['**/electron/**', '**/sync-server/**'],
              message: 'The renderer may only import shared/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: [
      'electron/**/*.{ts,mts,mjs,cjs}',
      'sync-server/**/*.ts',
      'test/**/*.ts',
      '*.config.{ts,js,cjs}',
      'build/**/*.{js,cjs,mjs}',
      'renderer/vite.config.ts',
    ],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['sync-server/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/renderer/**', '**/electron/**'],
              message: 'The server may only import shared/.',
            },
            { regex: electronModule, message: 'The server never imports Electron.' },
          ],
        },
      ],
    },
  },
  prettier,
);
