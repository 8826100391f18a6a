import { createI18n } from 'vue-i18n';
import { describe, expect, it } from 'vitest';
import en from '../../i18n/en';
import zhCN from '../../i18n/zh-CN';
import { SyncApiError } from '../../sync/api';
import { SyncDataError } from '../../sync/engine';
import { TokenStorageError } from '../session/tokenStorageError';
import { describeSyncError } from './syncErrors';

const i18n = createI18n({ legacy: false, locale: 'zh-CN', messages: { 'zh-CN': zhCN, en } });
const { t, te } = i18n.global;

function text(error: unknown): string {
  const info = describeSyncError(error);
  expect(te(info.messageKey)).toBe(true);
  return t(info.messageKey, info.params);
}

describe('describeSyncError', () => {
  it('says the plain words the login screen promises', () => {
    expect(text(new SyncApiError('invalid-credentials', 'wrong', 401))).toBe('用户名或密码错误。');
    expect(text(new SyncApiError('unavailable', 'fetch failed', 0))).toMatch(
      /^无法连接同步服务器，请检查网络。.*离线/,
    );
  });

  it('asks to sign in again for fatal errors, and marks them fatal', () => {
    for (const code of ['token-expired', 'unauthorized', 'device-mismatch'] as const) {
      const info = describeSyncError(new SyncApiError(code, 'x', 401));
      expect(info.fatal).toBe(true);
      expect(t(info.messageKey, info.params)).toContain('请重新登录');
    }
    expect(describeSyncError(new SyncApiError('unavailable', 'x', 0)).fatal).toBe(false);
  });

  it('shows the lock time in local time', () => {
    const until = '2026-05-01T08:15:00.000Z';
    const message = `Too many failed logins: the account is locked until ${until}. Try again later.`;
    const info = describeSyncError(new SyncApiError('account-locked', message, 423));
    const local = new Date(until);
    const hhmm = `${String(local.getHours()).padStart(2, '0')}:${String(local.getMinutes()).padStart(2, '0')}`;
    expect(t(info.messageKey, info.params)).toContain(hhmm);
    expect(info.params.until).not.toBe('—');
  });

  it('covers every protocol error code in both locales', () => {
    for (const code of Object.keys(zhCN.sync.errors)) {
      expect(Object.keys(en.sync.errors)).toContain(code);
    }
    expect(text(new SyncDataError('bad row'))).toContain('bad row');
    expect(describeSyncError(new TokenStorageError('no keychain')).code).toBe('keychain');
    expect(describeSyncError(new Error('boom')).code).toBe('unknown');
  });
});
