import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => ({
  registerSchemesAsPrivileged: vi.fn(),
  handle: vi.fn(),
}));
vi.mock('electron', () => ({ protocol: electron }));

const { buildCsp, CspOrigins, handleAppRequest, mimeTypeFor, registerAppScheme, resolveAppPath } =
  await import('./protocol');

/** One directive of a policy, e.g. `img-src 'self' data: blob:`. */
const directive = (csp: string, name: string) =>
  csp.split('; ').find((part) => part.startsWith(`${name} `));

describe('buildCsp', () => {
  it('builds the strict policy with the sync server in connect-src', () => {
    expect(
      buildCsp({ connectOrigins: ['https://sync.example.gov.cn', 'http://10.0.0.5:8080'] }),
    ).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data: blob:; font-src 'self' data:; " +
        "connect-src 'self' https://sync.example.gov.cn http://10.0.0.5:8080; " +
        "worker-src 'self' blob:; object-src 'none'; base-uri 'none'; " +
        "frame-ancestors 'none'; form-action 'none'",
    );
  });

  it('never allows inline or evaluated script', () => {
    const scriptSrc = buildCsp({ connectOrigins: [] })
      .split('; ')
      .find((directive) => directive.startsWith('script-src'));
    expect(scriptSrc).toBe("script-src 'self'");
  });

  it.each([
    "https://x.cn; script-src 'unsafe-inline'",
    'https://x.cn/path',
    '*',
    'https:',
    "'unsafe-eval'",
    'javascript:alert(1)',
  ])('refuses the connect origin %j', (origin) => {
    expect(() => buildCsp({ connectOrigins: [origin] })).toThrow(/Not an origin/);
  });
});

describe('buildCsp with a basemap tile server', () => {
  it('allows the tile origin in img-src and connect-src, and nowhere else', () => {
    expect(
      buildCsp({
        connectOrigins: ['https://sync.example.gov.cn'],
        tileOrigins: ['http://10.0.0.8:8080'],
      }),
    ).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data: blob: http://10.0.0.8:8080; font-src 'self' data:; " +
        "connect-src 'self' https://sync.example.gov.cn http://10.0.0.8:8080; " +
        "worker-src 'self' blob:; object-src 'none'; base-uri 'none'; " +
        "frame-ancestors 'none'; form-action 'none'",
    );
  });

  it('names a tile server that is also the sync server once in connect-src', () => {
    const csp = buildCsp({
      connectOrigins: ['https://gis.example.gov.cn'],
      tileOrigins: ['https://gis.example.gov.cn'],
    });
    expect(directive(csp, 'connect-src')).toBe("connect-src 'self' https://gis.example.gov.cn");
    expect(directive(csp, 'img-src')).toBe("img-src 'self' data: blob: https://gis.example.gov.cn");
  });

  it.each(["https://x.cn; script-src 'unsafe-inline'", 'https://x.cn/tiles', '*', 'https:'])(
    'refuses the tile origin %j',
    (origin) => {
      expect(() => buildCsp({ connectOrigins: [], tileOrigins: [origin] })).toThrow(
        /Not an origin/,
      );
    },
  );
});

describe('CspOrigins', () => {
  it('serves the origins of the moment: sync servers added, the tile server set and cleared', () => {
    const origins = new CspOrigins({
      connectOrigins: ['https://sync.example.gov.cn'],
      basemapOrigin: 'https://tiles.example.gov.cn',
    });
    let csp = origins.csp();
    expect(directive(csp, 'img-src')).toBe(
      "img-src 'self' data: blob: https://tiles.example.gov.cn",
    );
    expect(directive(csp, 'connect-src')).toBe(
      "connect-src 'self' https://sync.example.gov.cn https://tiles.example.gov.cn",
    );

    origins.allowConnect('http://10.0.0.5:8787');
    origins.basemapOrigin = 'http://10.0.0.8:8080';
    csp = origins.csp();
    expect(directive(csp, 'img-src')).toBe("img-src 'self' data: blob: http://10.0.0.8:8080");
    expect(directive(csp, 'connect-src')).toBe(
      "connect-src 'self' https://sync.example.gov.cn http://10.0.0.5:8787 http://10.0.0.8:8080",
    );
    expect(csp).not.toContain('tiles.example.gov.cn');

    origins.basemapOrigin = null;
    csp = origins.csp();
    expect(csp).toBe(
      buildCsp({ connectOrigins: ['https://sync.example.gov.cn', 'http://10.0.0.5:8787'] }),
    );
  });
});

describe('resolveAppPath', () => {
  const root = path.resolve('/srv/gridwork/renderer');

  it('maps app URLs into the root', () => {
    expect(resolveAppPath(root, 'app://gridwork/index.html')).toBe(path.join(root, 'index.html'));
    expect(resolveAppPath(root, 'app://gridwork/')).toBe(path.join(root, 'index.html'));
    expect(resolveAppPath(root, 'app://gridwork/assets/%E7%BD%91.js?v=1#x')).toBe(
      path.join(root, 'assets', '网.js'),
    );
  });

  it('keeps dot segments inside the root (URL parsing resolves them first)', () => {
    expect(resolveAppPath(root, 'app://gridwork/../../etc/passwd')).toBe(
      path.join(root, 'etc', 'passwd'),
    );
    expect(resolveAppPath(root, 'app://gridwork/%2e%2e/%2e%2e/etc/passwd')).toBe(
      path.join(root, 'etc', 'passwd'),
    );
  });

  it.each([
    'app://gridwork/..%2f..%2fetc%2fpasswd',
    'app://gridwork/assets/..%2F..%2F..%2Fsecret',
    'app://gridwork/..%5c..%5cwindows%5cwin.ini',
    'app://gridwork/index.html%00.js',
    'app://gridwork/%E0%A4%A',
    'app://other/index.html',
    'file:///etc/passwd',
    'https://gridwork/index.html',
  ])('refuses %s', (url) => {
    expect(resolveAppPath(root, url)).toBeNull();
  });
});

describe('mimeTypeFor', () => {
  it('knows the renderer file types', () => {
    expect(mimeTypeFor('/a/index.html')).toBe('text/html; charset=utf-8');
    expect(mimeTypeFor('/a/app.JS')).toBe('text/javascript; charset=utf-8');
    expect(mimeTypeFor('/a/font.woff2')).toBe('font/woff2');
    expect(mimeTypeFor('/a/x.wasm')).toBe('application/wasm');
    expect(mimeTypeFor('/a/unknown.bin')).toBe('application/octet-stream');
  });
});

describe('handleAppRequest', () => {
  let base = '';
  let rootDir = '';
  const csp = buildCsp({ connectOrigins: [] });

  beforeAll(async () => {
    base = await mkdtemp(path.join(tmpdir(), 'gridwork-protocol-'));
    rootDir = path.join(base, 'renderer');
    await mkdir(path.join(rootDir, 'assets'), { recursive: true });
    await writeFile(path.join(rootDir, 'index.html'), '<!doctype html><title>网格通</title>');
    await writeFile(path.join(rootDir, 'assets', 'app.js'), 'console.log(1)');
    await writeFile(path.join(base, 'secret.txt'), 'TOP SECRET');
  });
  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });

  const get = (url: string, method = 'GET') =>
    handleAppRequest(new Request(url, { method }), { rootDir, csp });

  it('serves HTML with the CSP and no caching', async () => {
    const response = await get('app://gridwork/index.html');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(csp);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(await response.text()).toContain('网格通');
  });

  it('serves assets with their MIME type and nosniff, without a CSP', async () => {
    const response = await get('app://gridwork/assets/app.js');
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toBeNull();
  });

  it.each([
    'app://gridwork/../secret.txt',
    'app://gridwork/..%2fsecret.txt',
    'app://gridwork/assets/..%2f..%2fsecret.txt',
    'app://gridwork/../../etc/passwd',
    'app://gridwork/assets',
    'app://gridwork/missing.js',
    'app://gridwork/cases/42',
  ])('answers 404 without leaking files for %s', async (url) => {
    const response = await get(url);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('SECRET');
  });

  it('refuses methods other than GET and HEAD', async () => {
    expect((await get('app://gridwork/index.html', 'POST')).status).toBe(405);
    const head = await get('app://gridwork/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});

describe('registerAppScheme', () => {
  it('registers app: as a standard, secure, fetch- and stream-capable scheme', () => {
    registerAppScheme();
    expect(electron.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      {
        scheme: 'app',
        privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true },
      },
    ]);
  });
});
