/**
 * Guards for every web contents the app creates: no navigation away from the app, no new
 * windows, no webviews, no permissions, and external links only after an allow-check.
 * Electron security checklist items 13, 14, 15 and (for permissions) 5.
 */
import { app, session, shell } from 'electron';
import type { WebContents } from 'electron';
import { APP_HOST, APP_SCHEME } from './protocol';

/** Schemes the system browser or mail client may be asked to open. */
const EXTERNAL_PROTOCOLS: ReadonlySet<string> = new Set(['https:', 'http:', 'mailto:']);
const MAX_EXTERNAL_URL_LENGTH = 2048;

/**
 * Permissions the renderer may use. None for now: the app needs no camera, microphone,
 * notifications or geolocation (Electron's geolocation needs a Google service that is
 * unreachable in mainland China; locations are picked on the map). Add a name here with a reason.
 */
const GRANTED_PERMISSIONS: ReadonlySet<string> = new Set<string>();

/**
 * Whether `url` may be handed to `shell.openExternal`. Only http(s) and mailto: URLs are allowed
 * because the OS hands every other scheme (file:, smb:, ms-msdt:, custom app handlers…) to local
 * programs, which is a known code-execution path. Credentials in the URL are refused: they are a
 * phishing trick (`https://trusted.gov.cn@evil.example`).
 */
export function isSafeExternalUrl(url: string): boolean {
  if (url.length > MAX_EXTERNAL_URL_LENGTH) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (!EXTERNAL_PROTOCOLS.has(parsed.protocol)) return false;
  if (parsed.protocol === 'mailto:') return parsed.pathname.length > 0;
  return parsed.hostname !== '' && parsed.username === '' && parsed.password === '';
}

/**
 * Whether `url` belongs to the app: `app://gridwork/…`, or the dev server's origin when one is
 * configured (development only; see config.ts).
 */
export function isAppUrl(url: string, devServerUrl: string | null): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === `${APP_SCHEME}:`) {
    // app: is not a WHATWG "special" scheme, so URL.origin is "null"; compare host and port.
    return parsed.host === APP_HOST && parsed.username === '' && parsed.password === '';
  }
  if (devServerUrl === null) return false;
  return parsed.origin === new URL(devServerUrl).origin;
}

function openIfSafe(url: string): void {
  if (!isSafeExternalUrl(url)) {
    console.warn(`[gridwork] refused to open ${url.slice(0, 200)}`);
    return;
  }
  shell.openExternal(url).catch((error: unknown) => {
    console.warn('[gridwork] openExternal failed', error);
  });
}

/**
 * Hardens one web contents. A link to an allowed external site goes to the system browser; any
 * other navigation, redirect, new window or webview is cancelled.
 */
export function hardenWebContents(contents: WebContents, devServerUrl: string | null): void {
  contents.on('will-navigate', (event) => {
    if (isAppUrl(event.url, devServerUrl)) return;
    event.preventDefault();
    openIfSafe(event.url);
  });
  // Covers sub-frames too; only blocks (the main-frame case above already offered the browser).
  contents.on('will-frame-navigate', (event) => {
    if (!isAppUrl(event.url, devServerUrl)) event.preventDefault();
  });
  // A redirect is never user intent, so it is blocked without opening anything.
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url, devServerUrl)) event.preventDefault();
  });
  // webviewTag is off, but refuse here too so a future option change cannot re-enable it silently.
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
  });
  // The app has exactly one window; window.open and target=_blank never create another.
  contents.setWindowOpenHandler(({ url }) => {
    openIfSafe(url);
    return { action: 'deny' };
  });
}

/**
 * Installs the guards for all current and future web contents (including ones created by a
 * compromised page) and denies every permission not in GRANTED_PERMISSIONS.
 * Call before the first window is created; permission handlers need the app to be ready.
 */
export function installSecurityGuards(devServerUrl: string | null): void {
  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents, devServerUrl);
  });
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((contents, permission, callback) => {
    callback(GRANTED_PERMISSIONS.has(permission) && isAppUrl(contents.getURL(), devServerUrl));
  });
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin) => {
    return GRANTED_PERMISSIONS.has(permission) && isAppUrl(requestingOrigin, devServerUrl);
  });
}
