import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Composer } from 'vue-i18n';

let i18n: Composer;
beforeAll(async () => {
  // The locale choice is remembered in localStorage, which Node lacks.
  vi.stubGlobal('localStorage', { getItem: () => null, setItem: () => {} });
  // Composition mode (legacy: false): `global` is a Composer.
  i18n = (await import('./index')).i18n.global as unknown as Composer;
});

describe('date formats', () => {
  it.each(['zh-CN', 'en'] as const)('%s shows dates and times on Beijing time', (locale) => {
    i18n.locale.value = locale;
    const at = new Date('2026-11-28T17:05:00Z'); // 01:05 on 29 Nov in Beijing
    expect(i18n.d(at, 'short')).toMatch(/2026.*11.*29.*01:05|11.*29.*2026.*01:05/);
    expect(i18n.d(at, 'date')).toMatch(/29/);
  });
});
