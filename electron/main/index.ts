/**
 * Electron main process: app lifecycle only. Security guards, the app:// protocol, IPC and the
 * window each live in their own module; this file wires them in the order Electron requires.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { app } from 'electron';
import type { BrowserWindow } from 'electron';
import { readMainConfig } from './config';
import { registerMainIpc } from './ipc/index';
import { APP_ENTRY_URL, CspOrigins, registerAppScheme, serveAppProtocol } from './protocol';
import { installSecurityGuards } from './security';
import { createMainWindow, enableSandboxForAllRenderers } from './window';

// Both must happen before `ready`: Electron reads scheme privileges and the sandbox switch at start.
registerAppScheme();
enableSandboxForAllRenderers();

function readConfigFile(): string | null {
  try {
    return readFileSync(path.join(app.getPath('userData'), 'config.json'), 'utf8');
  } catch {
    return null;
  }
}

const config = readMainConfig({
  env: process.env,
  isPackaged: app.isPackaged,
  configFileText: readConfigFile(),
});

// This bundle is dist/electron/main.cjs; the preload sits beside it and the renderer in
// dist/renderer (inside app.asar when packaged).
const preloadPath = path.join(__dirname, 'preload.cjs');
const rendererDir = path.join(__dirname, '..', 'renderer');

let mainWindow: BrowserWindow | null = null;

function openMainWindow(): void {
  mainWindow = createMainWindow({
    preloadPath,
    startUrl: config.devServerUrl ?? APP_ENTRY_URL,
  });
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
}

// One instance only: two would write the same IndexedDB and race on the sync outbox.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow === null) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  app
    .whenReady()
    .then(() => {
      installSecurityGuards(config.devServerUrl);
      // The sync server chosen at sign-in and the basemap tile server saved in 设置 → 底图 are
      // changed here through IPC; pages loaded afterwards may reach them.
      const cspOrigins = new CspOrigins(config);
      serveAppProtocol({ rootDir: rendererDir, csp: () => cspOrigins.csp() });
      registerMainIpc(config.devServerUrl, cspOrigins);
      openMainWindow();
      app.on('activate', () => {
        if (mainWindow === null) openMainWindow();
      });
    })
    .catch((error: unknown) => {
      console.error('[gridwork] start-up failed', error);
      app.exit(1);
    });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
