import type { Platform } from '../../platform';

/** Where the desktop app keeps the sync server address (not a secret, so plain localStorage). */
export const SERVER_URL_KEY = 'gridwork:server-url';
/** A sync server on the same machine: what a developer or a single-office install runs. */
export const DEFAULT_SERVER_URL = 'http://127.0.0.1:8787';

/** True for an absolute http(s) URL; anything else would fail later with a confusing error. */
export function isServerUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * The sync server to talk to. In web mode the page is served by the sync server itself, so it is
 * the page's origin (and the web CSP allows only that). The desktop app has a setting.
 */
export function initialServerUrl(kind: Platform['kind']): string {
  if (kind === 'web') return location.origin;
  const saved = localStorage.getItem(SERVER_URL_KEY);
  return saved && isServerUrl(saved) ? saved : DEFAULT_SERVER_URL;
}

/**
 * Saves the desktop setting and returns what was stored: the origin only, because the API's
 * routes are absolute paths (`/api/...`) that replace any path in the base URL anyway.
 */
export function saveServerUrl(value: string): string {
  const origin = new URL(value.trim()).origin;
  localStorage.setItem(SERVER_URL_KEY, origin);
  return origin;
}
