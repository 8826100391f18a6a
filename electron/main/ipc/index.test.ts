import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { WebContents } from 'electron';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ipcChannels } from '@shared/ipc/contract';
import type { SecretStore } from './secret';

const electron = vi.hoisted(() => ({
  openExternal: vi.fn(() => Promise.resolve()),
  showSaveDialog: vi.fn(),
  fromWebContents: vi.fn(() => null),
  handle: vi.fn(),
  userData: '/home/worker/.config/gridwork',
}));

vi.mock('electron', () => ({
  app: {
    getVersion: () => '0.1.0',
    getPath: (name: string) => (name === 'userData' ? electron.userData : '/home/worker/Downloads'),
  },
  shell: { openExternal: electron.openExternal },
  dialog: { showSaveDialog: electron.showSaveDialog },
  BrowserWindow: { fromWebContents: electron.fromWebContents },
  ipcMain: { handle: electron.handle },
  safeStorage: {},
  session: {},
  protocol: {},
}));

const { createMainHandlers } = await import('./index');
const { CspOrigins } = await import('../protocol');

const secrets: SecretStore = {
  get: vi.fn(() => Promise.resolve('tok')),
  set: vi.fn(() => Promise.resolve({ stored: true })),
  delete: vi.fn(() => Promise.resolve()),
  status: vi.fn(() => Promise.resolve({ available: true, backend: 'dpapi' })),
};
// Handlers only pass the sender on to BrowserWindow.fromWebContents, which is mocked.
const context = { sender: {} as WebContents };

describe('main handler table', () => {
  it('has a handler for every contract channel and nothing else', () => {
    const handlers = createMainHandlers(secrets);
    expect(Object.keys(handlers).sort()).toEqual([...ipcChannels].sort());
    for (const channel of ipcChannels) expect(typeof handlers[channel]).toBe('function');
  });

  it('answers app:info from Electron', async () => {
    const info = await createMainHandlers(secrets)['app:info'](undefined, context);
    expect(info).toEqual({
      version: '0.1.0',
      platform: process.platform,
      electron: process.versions.electron,
      chrome: process.versions.chrome,
    });
  });

  it('routes secret channels to the store', async () => {
    const handlers = createMainHandlers(secrets);
    expect(await handlers['secret:get']({ key: 'sync-token' }, context)).toBe('tok');
    await handlers['secret:set']({ key: 'sync-token', value: 'v' }, context);
    expect(secrets.set).toHaveBeenCalledWith('sync-token', 'v');
  });
});

describe('shell:open-external', () => {
  beforeEach(() => {
    electron.openExternal.mockClear();
  });

  it('opens safe URLs', async () => {
    const handlers = createMainHandlers(secrets);
    const result = await handlers['shell:open-external']('https://www.beijing.gov.cn/', context);
    expect(result).toEqual({ opened: true });
    expect(electron.openExternal).toHaveBeenCalledWith('https://www.beijing.gov.cn/');
  });

  it('refuses unsafe URLs without touching the shell', async () => {
    const handlers = createMainHandlers(secrets);
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'app://gridwork/x']) {
      expect(await handlers['shell:open-external'](url, context)).toEqual({
        opened: false,
        reason: 'unsafe-url',
      });
    }
    expect(electron.openExternal).not.toHaveBeenCalled();
  });

  it('reports an OS failure', async () => {
    electron.openExternal.mockRejectedValueOnce(new Error('no browser'));
    const handlers = createMainHandlers(secrets);
    expect(await handlers['shell:open-external']('https://x.cn/', context)).toEqual({
      opened: false,
      reason: 'failed',
    });
  });
});

describe('file:save', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'gridwork-save-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes bytes or text where the user chose', async () => {
    const handlers = createMainHandlers(secrets);
    const target = path.join(dir, '报表.csv');
    electron.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: target });
    const result = await handlers['file:save'](
      { suggestedName: '报表.csv', data: '网格,户数\n一网格,600\n' },
      context,
    );
    expect(result).toEqual({ saved: true, path: target });
    expect(await readFile(target, 'utf8')).toBe('网格,户数\n一网格,600\n');

    const [options] = electron.showSaveDialog.mock.calls.at(-1) as [{ defaultPath: string }];
    expect(options.defaultPath).toBe(path.join('/home/worker/Downloads', '报表.csv'));

    const bin = path.join(dir, 'a.bin');
    electron.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: bin });
    await handlers['file:save'](
      { suggestedName: 'a.bin', data: new Uint8Array([0, 255]) },
      context,
    );
    expect([...(await readFile(bin))]).toEqual([0, 255]);
  });

  it('writes nothing when the user cancels', async () => {
    electron.showSaveDialog.mockResolvedValueOnce({ canceled: true, filePath: '' });
    const handlers = createMainHandlers(secrets);
    expect(await handlers['file:save']({ suggestedName: 'x.csv', data: 'x' }, context)).toEqual({
      saved: false,
    });
  });
});

describe('config:set-basemap-origin', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'gridwork-userdata-'));
    electron.userData = dir;
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('saves the origin in config.json and puts it in the CSP of pages served next', async () => {
    const csp = new CspOrigins({
      connectOrigins: ['https://sync.example.gov.cn'],
      basemapOrigin: null,
    });
    const handlers = createMainHandlers(secrets, csp);
    expect(await handlers['config:set-basemap-origin']('http://10.0.0.8:8080', context)).toEqual({
      saved: true,
      origin: 'http://10.0.0.8:8080',
      reload: true,
    });
    expect(JSON.parse(await readFile(path.join(dir, 'config.json'), 'utf8'))).toEqual({
      basemapOrigin: 'http://10.0.0.8:8080',
    });
    expect(csp.csp()).toContain("img-src 'self' data: blob: http://10.0.0.8:8080;");
    expect(csp.csp()).toContain(
      "connect-src 'self' https://sync.example.gov.cn http://10.0.0.8:8080;",
    );

    await handlers['config:set-basemap-origin'](null, context);
    expect(csp.csp()).not.toContain('10.0.0.8');
    expect(JSON.parse(await readFile(path.join(dir, 'config.json'), 'utf8'))).toEqual({});
  });

  it('adds a sync server to connect-src only', async () => {
    const csp = new CspOrigins({ connectOrigins: [], basemapOrigin: null });
    const handlers = createMainHandlers(secrets, csp);
    await handlers['config:set-sync-server']('https://sync.example.gov.cn/api', context);
    expect(csp.csp()).toContain("connect-src 'self' https://sync.example.gov.cn;");
    expect(csp.csp()).toContain("img-src 'self' data: blob:;");
  });
});
