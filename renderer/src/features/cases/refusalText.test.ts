import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Composer } from 'vue-i18n';
import {
  REFUSAL_TEMPLATES,
  type RefusalKey,
  refusal,
  templateParams,
} from '@shared/cases/refusals';
import en from '../../i18n/en';
import zhCN from '../../i18n/zh-CN';
import { type RefusalTextContext, refusalText } from './refusalText';

const KEYS = Object.keys(REFUSAL_TEMPLATES) as RefusalKey[];
const LOCALES = { 'zh-CN': zhCN, en } as const;

let i18n: Composer;
beforeAll(async () => {
  // The locale choice is remembered in localStorage, which Node lacks.
  vi.stubGlobal('localStorage', { getItem: () => null, setItem: () => {} });
  // Composition mode (legacy: false): `global` is a Composer.
  i18n = (await import('../../i18n/index')).i18n.global as unknown as Composer;
});

function context(locale: keyof typeof LOCALES): RefusalTextContext {
  i18n.locale.value = locale;
  return {
    t: (key, params) => (params ? i18n.t(key, params) : i18n.t(key)),
    te: (key) => i18n.te(key),
    english: locale === 'en',
    formatTime: (iso) => i18n.d(new Date(iso), 'short'),
  };
}

/** The `{name}` placeholders of a locale text (vue-i18n's named interpolation). */
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);

describe('refusal texts', () => {
  it.each(Object.keys(LOCALES) as (keyof typeof LOCALES)[])(
    '%s has a text for every refusal key, using only the parameters its template supplies',
    (locale) => {
      const texts: Readonly<Record<string, string>> = LOCALES[locale].caseUi.refusal;
      for (const key of KEYS) {
        const text = texts[key];
        expect(text, `${locale}: caseUi.refusal.${key}`).toBeTruthy();
        const supplied = templateParams(REFUSAL_TEMPLATES[key]);
        for (const name of placeholders(text ?? ''))
          expect(supplied, `${locale}: caseUi.refusal.${key} uses {${name}}`).toContain(name);
      }
      // No text for a key that no longer exists.
      expect(Object.keys(texts).sort()).toEqual([...KEYS].sort());
    },
  );

  it.each(Object.keys(LOCALES) as (keyof typeof LOCALES)[])(
    '%s renders every key with its parameters filled in',
    (locale) => {
      const ctx = context(locale);
      for (const key of KEYS) {
        const params = Object.fromEntries(
          templateParams(REFUSAL_TEMPLATES[key]).map((n) => [n, n === 'deadline' ? NOW : 'x']),
        );
        const text = refusalText({ key, params, reason: 'English' }, ctx);
        expect(text, key).not.toBe('English');
        expect(text, key).not.toMatch(/[{}]|undefined/);
      }
    },
  );
});

const NOW = '2026-12-02T16:00:00.000Z';

describe('refusalText', () => {
  it('says a refusal in Chinese, naming statuses and steps by their labels', () => {
    const zh = context('zh-CN');
    expect(refusalText(refusal('extensionPending'), zh)).toBe('已有延期申请在等待审批');
    expect(refusalText(refusal('statusNotHandling', { status: 'signed' }), zh)).toBe(
      '案件现为“已签收”，不在办理中',
    );
    expect(refusalText(refusal('streetOnly', { op: 'supervise' }), zh)).toBe('只有街道才能督办');
    expect(
      refusalText(
        refusal('statusMove', { from: 'received', allowed: 'dispatched, archived', to: 'signed' }),
        zh,
      ),
    ).toBe('案件现为“已受理”，只能转为已派单、已归档，不能转为“已签收”');
    expect(
      refusalText(refusal('loopFieldsStepOnly', { fields: 'status, handleDeadline' }), zh),
    ).toBe('状态、办结时限只能通过办理步骤变更');
    expect(refusalText(refusal('liaisonTable', { table: 'households' }), zh)).toBe(
      '部门联络员不能修改住户',
    );
    expect(refusalText(refusal('stepEventOnly', { eventType: 'resolved' }), zh)).toBe(
      '“办结”记录只能由相应的办理步骤写入',
    );
    // Deadlines on Beijing time: 16:00 UTC is midnight of the next day there.
    expect(refusalText(refusal('extensionNotLater', { deadline: NOW }), zh)).toMatch(
      /^申请延至的时间须晚于原办结时限（2026.12.03 00:00）$/,
    );
  });

  it('says it in English with the English labels', () => {
    const english = context('en');
    expect(refusalText(refusal('statusNotHandling', { status: 'signed' }), english)).toBe(
      'The case is “Signed for”: it is not being handled',
    );
    expect(refusalText(refusal('loopFieldsStepOnly', { fields: 'status, links' }), english)).toBe(
      'Status, Linked cases change only through a case step',
    );
  });

  it('keeps values it has no label for, and falls back to the English reason', () => {
    const zh = context('zh-CN');
    // A status a newer server knows: shown as it came.
    expect(refusalText(refusal('statusNotHandling', { status: 'paused' }), zh)).toBe(
      '案件现为“paused”，不在办理中',
    );
    // An unknown key, a row stored before keys, a key whose parameters are missing.
    const reason = 'a case in status signed is not being handled';
    expect(refusalText({ key: 'somethingNew', params: {}, reason }, zh)).toBe(reason);
    expect(refusalText({ reason }, zh)).toBe(reason);
    expect(refusalText({ key: 'statusNotHandling', params: {}, reason }, zh)).toBe(reason);
  });
});
