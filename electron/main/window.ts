/**
 * The main window. Every web preference that matters for security is spelled out, even where it
 * matches Electron's default, so a reader (or a future default change) cannot get it wrong.
 */
import { app, BrowserWindow } from 'electron';
import type { BrowserWindowConstructorOptions } from 'electron';

/**
 * Sandboxes every renderer, including ones a compromised page might create. With the sandbox a
 * renderer process is an ordinary Chromium renderer: even an exploited page has no Node.js and
 * no file system, and the preload can only reach a few modules (`electron`'s renderer subset).
 * Must run before the app is ready.
 */
export function enableSandboxForAllRenderers(): void {
  app.enableSandbox();
}

/** The window options, exported for tests. */
export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    title: '网格通 Gridwork',
    backgroundColor: '#f5f7fa',
    webPreferences: {
      preload: preloadPath,
      // The page and the preload get separate JavaScript worlds; the page sees only
      // window.gridwork, never the preload's `ipcRenderer` (checklist item 3).
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      // Dropping a file on the window must not navigate away from the app.
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
    },
  };
}

/** Creates the main window and loads `startUrl`; it is shown once its first paint is ready. */
export function createMainWindow(options: {
  preloadPath: string;
  startUrl: string;
}): BrowserWindow {
  const window = new BrowserWindow(mainWindowOptions(options.preloadPath));
  window.once('ready-to-show', () => {
    window.show();
  });
  window.loadURL(options.startUrl).catch((error: unknown) => {
    console.error(`[gridwork] failed to load ${options.startUrl}`, error);
  });
  return window;
}
