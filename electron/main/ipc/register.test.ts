import type { IpcMainInvokeEvent } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { ipcChannels } from '@shared/ipc/contract';
import type { MainIpcHandlers, SenderFrame } from './register';

vi.mock('electron', () => ({ app: {}, shell: {}, session: {}, protocol: {} }));

const { guardChannel, isTrustedSender, registerIpcHandlers } = await import('./register');

const appFrame: SenderFrame = { url: 'app://gridwork/index.html', parent: null };

/** An invoke event with just the fields the guard reads. */
function eventFrom(frame: SenderFrame | null): IpcMainInvokeEvent {
  // The guard reads only senderFrame and sender; the rest of the event is irrelevant here.
  return { senderFrame: frame, sender: { id: 1 } } as unknown as IpcMainInvokeEvent;
}

describe('isTrustedSender', () => {
  it('accepts the app page', () => {
    expect(isTrustedSender(appFrame, null)).toBe(true);
  });

  it('refuses a missing frame, another origin, or a sub-frame', () => {
    expect(isTrustedSender(null, null)).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/', parent: null }, null)).toBe(false);
    expect(isTrustedSender({ url: 'file:///tmp/x.html', parent: null }, null)).toBe(false);
    expect(isTrustedSender({ url: 'http://127.0.0.1:5173/', parent: null }, null)).toBe(false);
    const child = { url: 'app://gridwork/index.html', parent: appFrame } as SenderFrame;
    expect(isTrustedSender(child, null)).toBe(false);
  });

  it('accepts the dev server only when configured', () => {
    const dev = { url: 'http://127.0.0.1:5173/#/map', parent: null };
    expect(isTrustedSender(dev, 'http://127.0.0.1:5173')).toBe(true);
    expect(isTrustedSender(dev, null)).toBe(false);
  });
});

describe('guardChannel', () => {
  it('refuses an untrusted sender without calling the handler', async () => {
    const handler = vi.fn(() => ({ opened: true }));
    const listener = guardChannel('shell:open-external', handler, null);
    const evil = eventFrom({ url: 'https://evil.example/', parent: null });
    await expect(listener(evil, 'https://x.cn/')).rejects.toThrow(
      'Refused shell:open-external: the caller is not the Gridwork app',
    );
    await expect(listener(eventFrom(null), 'https://x.cn/')).rejects.toThrow(/Refused/);
    expect(handler).not.toHaveBeenCalled();
  });

  it('refuses a bad payload with a clear message without calling the handler', async () => {
    const handler = vi.fn(() => ({ saved: true }));
    const listener = guardChannel('file:save', handler, null);
    await expect(
      listener(eventFrom(appFrame), { suggestedName: '../x', data: 42, extra: true }),
    ).rejects.toThrow(
      /^Invalid payload for file:save: suggestedName: .*; data: must be a Uint8Array or a string; payload: Unrecognized key: "extra"$/,
    );
    await expect(listener(eventFrom(appFrame), undefined)).rejects.toThrow(
      /Invalid payload for file:save: payload: /,
    );
    expect(handler).not.toHaveBeenCalled();
  });

  it('refuses a secret key outside the allow-list', async () => {
    const handler = vi.fn(() => null);
    const listener = guardChannel('secret:get', handler, null);
    await expect(listener(eventFrom(appFrame), { key: 'ssh-key' })).rejects.toThrow(
      /Invalid payload for secret:get: key: /,
    );
    expect(handler).not.toHaveBeenCalled();
  });

  it('calls the handler with the parsed payload and the sender', async () => {
    const handler = vi.fn(() => ({ opened: true }));
    const listener = guardChannel('shell:open-external', handler, null);
    await expect(listener(eventFrom(appFrame), 'https://x.cn/')).resolves.toEqual({
      opened: true,
    });
    expect(handler).toHaveBeenCalledWith('https://x.cn/', { sender: { id: 1 } });
  });
});

describe('config:set-basemap-origin', () => {
  const saved = { saved: true, origin: null, reload: false };

  it.each([
    'https://tiles.example.gov.cn/{z}/{x}/{y}.png',
    'https://*.example.gov.cn',
    '*',
    'https://x.cn; connect-src *',
    'file:///etc/passwd',
    '',
    undefined,
    { origin: 'https://x.cn' },
  ])('refuses the payload %j without calling the handler', async (payload) => {
    const handler = vi.fn((_origin: string | null) => saved);
    const listener = guardChannel('config:set-basemap-origin', handler, null);
    await expect(listener(eventFrom(appFrame), payload)).rejects.toThrow(
      /^Invalid payload for config:set-basemap-origin: /,
    );
    expect(handler).not.toHaveBeenCalled();
  });

  it('passes an origin or null on to the handler', async () => {
    const handler = vi.fn((_origin: string | null) => saved);
    const listener = guardChannel('config:set-basemap-origin', handler, null);
    await listener(eventFrom(appFrame), 'http://10.0.0.8:8080');
    await listener(eventFrom(appFrame), null);
    expect(handler.mock.calls.map(([origin]) => origin)).toEqual(['http://10.0.0.8:8080', null]);
  });
});

describe('registerIpcHandlers', () => {
  it('registers every contract channel exactly once', () => {
    const handle = vi.fn();
    const handlers = Object.fromEntries(ipcChannels.map((channel) => [channel, vi.fn()]));
    // Stand-in handlers: only registration is under test here.
    registerIpcHandlers({ handle }, handlers as unknown as MainIpcHandlers, null);
    expect(handle.mock.calls.map(([channel]) => channel)).toEqual([...ipcChannels]);
  });
});
