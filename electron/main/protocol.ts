/**
 * The `app://gridwork/` protocol: serves the built renderer (`dist/renderer`) with correct MIME
 * types and a strict Content-Security-Policy. A custom standard scheme instead of file:// gives
 * the page a real origin (IndexedDB, fetch, CORS behave as on the web) and keeps it from reading
 * arbitrary local files (Electron security checklist item 18).
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { protocol } from 'electron';

export const APP_SCHEME = 'app';
export const APP_HOST = 'gridwork';
/** The page main loads in production. */
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.pbf': 'application/x-protobuf',
  '.pmtiles': 'application/octet-stream',
  '.geojson': 'application/geo+json',
};

/** The Content-Type for a file, by extension; unknown types are served as opaque bytes. */
export function mimeTypeFor(filePath: string): string {
  return MIME_TYPES[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

export interface CspOptions {
  /** Extra origins for connect-src, e.g. the sync server (`https://sync.example.gov.cn`). */
  connectOrigins: readonly string[];
  /**
   * Extra origins for img-src and connect-src: the basemap's intranet tile server. MapLibre
   * fetches raster tiles (connect-src) and decodes them from blobs; it loads them with an `<img>`
   * (img-src) when tile refresh is off, and 设置 → 底图 tries a tile out with an `<img>`.
   */
  tileOrigins?: readonly string[];
}

/** An origin is only `scheme://host[:port]` of http(s)/ws(s): anything else could widen the CSP. */
const ORIGIN_PATTERN =
  /^(https?|wss?):\/\/[A-Za-z0-9.-]+(:\d{1,5})?$|^(https?|wss?):\/\/\[[0-9a-fA-F:.]+\](:\d{1,5})?$/;

/**
 * The CSP for every HTML page the app serves. Choices that are not the defaults:
 * - style-src 'unsafe-inline': Element Plus and MapLibre set inline styles; scripts stay strict.
 * - worker-src blob:: MapLibre starts its workers from blob: URLs.
 * - img-src data: blob:: icons inlined by Vite and map canvases exported as blobs; plus the
 *   basemap tile server when one is set.
 * - connect-src: only the app itself, the configured sync server and the basemap tile server.
 * Throws on a value that is not a plain origin, so config can never inject a directive.
 */
export function buildCsp(options: CspOptions): string {
  const tileOrigins = options.tileOrigins ?? [];
  for (const origin of [...options.connectOrigins, ...tileOrigins]) {
    if (!ORIGIN_PATTERN.test(origin)) throw new Error(`Not an origin for the CSP: ${origin}`);
  }
  const connectOrigins = [...new Set([...options.connectOrigins, ...tileOrigins])];
  const directives: [string, ...string[]][] = [
    ['default-src', "'self'"],
    ['script-src', "'self'"],
    ['style-src', "'self'", "'unsafe-inline'"],
    ['img-src', "'self'", 'data:', 'blob:', ...tileOrigins],
    ['font-src', "'self'", 'data:'],
    ['connect-src', "'self'", ...connectOrigins],
    ['worker-src', "'self'", 'blob:'],
    ['object-src', "'none'"],
    ['base-uri', "'none'"],
    ['frame-ancestors', "'none'"],
    ['form-action', "'none'"],
  ];
  return directives.map((parts) => parts.join(' ')).join('; ');
}

/**
 * The origins the CSP allows besides the app's own, as they stand now: read at start-up from
 * the main config, changed at run time through IPC (the sync server chosen at sign-in, the
 * basemap tile server saved in 设置 → 底图). A page gets the policy of the moment it is served,
 * so a change applies from its next load.
 */
export class CspOrigins {
  private readonly connect: Set<string>;
  /** The basemap's tile server, in img-src and connect-src; null for none. */
  basemapOrigin: string | null;

  constructor(initial: { connectOrigins: readonly string[]; basemapOrigin: string | null }) {
    this.connect = new Set(initial.connectOrigins);
    this.basemapOrigin = initial.basemapOrigin;
  }

  /** Adds an origin to connect-src (the sync server). */
  allowConnect(origin: string): void {
    this.connect.add(origin);
  }

  /** The policy for a page served now. */
  csp(): string {
    return buildCsp({
      connectOrigins: [...this.connect],
      tileOrigins: this.basemapOrigin === null ? [] : [this.basemapOrigin],
    });
  }
}

/**
 * Maps an `app://gridwork/…` URL to a file under `rootDir`, or null when the URL is for another
 * host or would leave `rootDir` (`..`, encoded `%2e%2e%2f`, backslashes, NUL bytes).
 */
export function resolveAppPath(rootDir: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  // A backslash is a separator on Windows and a NUL truncates paths in native code: refuse both
  // rather than reason about how each platform would read them.
  if (pathname.includes('\\') || pathname.includes('\0')) return null;
  const relative = pathname === '/' ? 'index.html' : pathname.replace(/^\/+/, '');
  const root = path.resolve(rootDir);
  const resolved = path.resolve(root, relative);
  const fromRoot = path.relative(root, resolved);
  if (fromRoot === '' || fromRoot.startsWith('..') || path.isAbsolute(fromRoot)) return null;
  return resolved;
}

export interface AppProtocolOptions {
  /** Folder holding the built renderer (index.html + assets). */
  rootDir: string;
  /** Content-Security-Policy sent with HTML; a function when it can change at run time. */
  csp: string | (() => string);
}

async function isFile(filePath: string): Promise<boolean> {
  try {
    return (await stat(filePath)).isFile();
  } catch {
    return false;
  }
}

function textResponse(status: number, body: string): Response {
  return new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}

/**
 * Answers one request to the app scheme: a file under `rootDir`, or 404. There is no "unknown
 * path → index.html" fallback: the renderer is built with relative asset URLs, so it must use
 * hash routing, and a fallback would only answer 200 to probes such as `/../../etc/passwd`.
 */
export async function handleAppRequest(
  request: Request,
  options: AppProtocolOptions,
): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return textResponse(405, 'Method not allowed');
  }
  const filePath = resolveAppPath(options.rootDir, request.url);
  if (filePath === null || !(await isFile(filePath))) return textResponse(404, 'Not found');
  const contentType = mimeTypeFor(filePath);
  const headers: Record<string, string> = {
    'content-type': contentType,
    'x-content-type-options': 'nosniff',
  };
  if (contentType.startsWith('text/html')) {
    headers['content-security-policy'] =
      typeof options.csp === 'function' ? options.csp() : options.csp;
    // index.html names the hashed assets of this build; never serve a stale copy.
    headers['cache-control'] = 'no-cache';
  }
  const body = request.method === 'HEAD' ? null : await readFile(filePath);
  return new Response(body, { status: 200, headers });
}

/**
 * Declares `app:` as a standard, secure scheme with fetch and streaming support. Must run before
 * the app is ready (Electron reads privileges at start-up).
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true },
    },
  ]);
}

/** Starts serving `app://gridwork/` from `options.rootDir`. Call once the app is ready. */
export function serveAppProtocol(options: AppProtocolOptions): void {
  protocol.handle(APP_SCHEME, (request) => handleAppRequest(request, options));
}
