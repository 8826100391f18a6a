import { EventEmitter } from 'node:events';
import type { WebContents } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => ({
  openExternal: vi.fn(() => Promise.resolve()),
  appOn: vi.fn(),
  setPermissionRequestHandler: vi.fn(),
  setPermissionCheckHandler: vi.fn(),
}));

vi.mock('electron', () => ({
  app: { on: electron.appOn },
  shell: { openExternal: electron.openExternal },
  session: {
    defaultSession: {
      setPermissionRequestHandler: electron.setPermissionRequestHandler,
      setPermissionCheckHandler: electron.setPermissionCheckHandler,
    },
  },
  protocol: {},
}));

const { hardenWebContents, installSecurityGuards, isAppUrl, isSafeExternalUrl } =
  await import('./security');

describe('isSafeExternalUrl', () => {
  it.each([
    'https://www.beijing.gov.cn/',
    'http://12345.gov.cn/path?q=1#x',
    'https://[2001:db8::1]/',
    'mailto:grid@example.cn',
  ])('allows %s', (url) => {
    expect(isSafeExternalUrl(url)).toBe(true);
  });

  it.each([
    'file:///etc/passwd',
    'javascript:alert(1)',
    'JAVASCRIPT:alert(1)',
    'app://gridwork/index.html',
    'data:text/html,<script>1</script>',
    'vbscript:msgbox',
    'smb://server/share',
    'ms-msdt:/id PCWDiagnostic',
    'chrome://settings',
    'https://user:pass@evil.example/',
    'https://www.beijing.gov.cn@evil.example/',
    'https://',
    'mailto:',
    'not a url',
    '',
    `https://example.com/${'a'.repeat(3000)}`,
    'file://fileserver/share/setup.exe',
    'ftp://example.cn/x',
  ])('refuses %s', (url) => {
    expect(isSafeExternalUrl(url)).toBe(false);
  });
});

describe('isAppUrl', () => {
  it('accepts the app origin only', () => {
    expect(isAppUrl('app://gridwork/index.html', null)).toBe(true);
    expect(isAppUrl('app://gridwork/', null)).toBe(true);
    expect(isAppUrl('app://other/index.html', null)).toBe(false);
    expect(isAppUrl('app://gridwork.evil/index.html', null)).toBe(false);
    expect(isAppUrl('app://gridwork:8080/index.html', null)).toBe(false);
    expect(isAppUrl('file:///index.html', null)).toBe(false);
    expect(isAppUrl('http://localhost:5173/', null)).toBe(false);
    expect(isAppUrl('', null)).toBe(false);
  });

  it('accepts the dev server origin when one is configured', () => {
    const dev = 'http://127.0.0.1:5173/';
    expect(isAppUrl('http://127.0.0.1:5173/#/cases', dev)).toBe(true);
    expect(isAppUrl('http://127.0.0.1:5174/', dev)).toBe(false);
    expect(isAppUrl('https://127.0.0.1:5173/', dev)).toBe(false);
    expect(isAppUrl('app://gridwork/index.html', dev)).toBe(true);
  });
});

type Listener = (event: { url: string; preventDefault: () => void }) => void;

/** Enough of a WebContents to drive the guards: events plus setWindowOpenHandler. */
class FakeContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  fire(name: string, url: string): boolean {
    const event = { url, defaultPrevented: false, preventDefault: () => undefined };
    event.preventDefault = () => {
      event.defaultPrevented = true;
    };
    for (const listener of this.listeners(name)) (listener as Listener)(event);
    return event.defaultPrevented;
  }
}

function hardened(devServerUrl: string | null = null): FakeContents {
  const contents = new FakeContents();
  // The fake implements only what hardenWebContents touches.
  hardenWebContents(contents as unknown as WebContents, devServerUrl);
  return contents;
}

describe('hardenWebContents', () => {
  beforeEach(() => {
    electron.openExternal.mockClear();
  });

  it('keeps navigation inside the app and offers safe links to the browser', () => {
    const contents = hardened();
    expect(contents.fire('will-navigate', 'app://gridwork/index.html')).toBe(false);
    expect(contents.fire('will-navigate', 'https://www.beijing.gov.cn/')).toBe(true);
    expect(electron.openExternal).toHaveBeenCalledWith('https://www.beijing.gov.cn/');
    expect(contents.fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(electron.openExternal).toHaveBeenCalledTimes(1);
  });

  it('blocks redirects, frame navigation and webviews away from the app without opening them', () => {
    const contents = hardened();
    expect(contents.fire('will-redirect', 'https://evil.example/')).toBe(true);
    expect(contents.fire('will-frame-navigate', 'https://evil.example/')).toBe(true);
    expect(contents.fire('will-frame-navigate', 'app://gridwork/x')).toBe(false);
    expect(contents.fire('will-attach-webview', 'app://gridwork/x')).toBe(true);
    expect(electron.openExternal).not.toHaveBeenCalled();
  });

  it('denies every new window, opening only safe URLs externally', () => {
    const contents = hardened();
    const handler = contents.windowOpenHandler;
    expect(handler).not.toBeNull();
    expect(handler?.({ url: 'https://www.beijing.gov.cn/' })).toEqual({ action: 'deny' });
    expect(handler?.({ url: 'app://gridwork/index.html' })).toEqual({ action: 'deny' });
    expect(handler?.({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(electron.openExternal).toHaveBeenCalledTimes(1);
  });
});

describe('installSecurityGuards', () => {
  it('hardens every new web contents and denies all permissions', () => {
    installSecurityGuards(null);
    expect(electron.appOn).toHaveBeenCalledWith('web-contents-created', expect.any(Function));

    const [[requestHandler]] = electron.setPermissionRequestHandler.mock.calls as unknown as [
      [
        (
          contents: { getURL(): string },
          permission: string,
          callback: (ok: boolean) => void,
        ) => void,
      ],
    ];
    const callback = vi.fn();
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal']) {
      requestHandler({ getURL: () => 'app://gridwork/index.html' }, permission, callback);
    }
    expect(callback.mock.calls.every(([granted]) => granted === false)).toBe(true);

    const [[checkHandler]] = electron.setPermissionCheckHandler.mock.calls as unknown as [
      [(contents: null, permission: string, origin: string) => boolean],
    ];
    expect(checkHandler(null, 'clipboard-read', 'app://gridwork')).toBe(false);
  });
});
