import { describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => ({ enableSandbox: vi.fn() }));
vi.mock('electron', () => ({ app: { enableSandbox: electron.enableSandbox }, BrowserWindow: {} }));

const { enableSandboxForAllRenderers, mainWindowOptions } = await import('./window');

describe('main window', () => {
  it('isolates and sandboxes the page and loads the bundled preload', () => {
    const preferences = mainWindowOptions('/app/dist/electron/preload.cjs').webPreferences;
    expect(preferences).toMatchObject({
      preload: '/app/dist/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
    });
  });

  it('turns the sandbox on for every renderer', () => {
    enableSandboxForAllRenderers();
    expect(electron.enableSandbox).toHaveBeenCalledOnce();
  });
});
