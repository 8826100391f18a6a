import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

// The layer rules of DESIGN §3 live in eslint.config.js; these cases prove they fire.
const eslint = new ESLint({ cwd: repoRoot });

async function ruleIds(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('layer lint rules', () => {
  it('keep Electron, Node and UI libraries out of shared/', async () => {
    expect(
      await ruleIds('shared/x.ts', "import { app } from 'electron';\nexport const a = app;\n"),
    ).toContain('no-restricted-imports');
    expect(
      await ruleIds(
        'shared/x.ts',
        "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n",
      ),
    ).toContain('no-restricted-imports');
    expect(
      await ruleIds('shared/x.ts', "import { ref } from 'vue';\nexport const a = ref;\n"),
    ).toContain('no-restricted-imports');
  });

  it('keep DOM and Node globals out of shared/', async () => {
    expect(await ruleIds('shared/x.ts', 'export const a = window.location;\n')).toContain(
      'no-restricted-globals',
    );
    expect(await ruleIds('shared/x.ts', 'export const a = process.env;\n')).toContain(
      'no-restricted-globals',
    );
    expect(await ruleIds('shared/x.ts', 'export const a = [1].map((n) => n + 1);\n')).toEqual([]);
  });

  it('forbid shared/ from importing the other layers', async () => {
    expect(
      await ruleIds(
        'shared/x.ts',
        "import { useDb } from '../renderer/src/db/db';\nexport const a = useDb;\n",
      ),
    ).toContain('no-restricted-imports');
  });

  it('keep Electron and Node out of the renderer, but allow its own files', async () => {
    expect(
      await ruleIds(
        'renderer/src/x.ts',
        "import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;\n",
      ),
    ).toContain('no-restricted-imports');
    expect(
      await ruleIds('renderer/src/x.ts', "import os from 'node:os';\nexport const a = os;\n"),
    ).toContain('no-restricted-imports');
    expect(
      await ruleIds(
        'renderer/src/platform/x.ts',
        "import { createElectronPlatform } from './electron';\nexport const a = createElectronPlatform;\n",
      ),
    ).toEqual([]);
  });
});
