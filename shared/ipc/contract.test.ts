import { describe, expect, it } from 'vitest';
import {
  IPC_LIMITS,
  ipcChannels,
  ipcPayloadSchemas,
  ipcRequestSchemas,
  isHttpOrigin,
  isIpcChannel,
  SaveFileRequestSchema,
  SetBasemapOriginRequestSchema,
  SecretKeySchema,
  SecretSetRequestSchema,
} from './contract';

describe('IPC contract', () => {
  it('has exactly one request schema per channel', () => {
    expect(Object.keys(ipcRequestSchemas).sort()).toEqual([...ipcChannels].sort());
    expect(ipcPayloadSchemas).toBe(ipcRequestSchemas);
  });

  it('names every channel area:action', () => {
    for (const channel of ipcChannels) expect(channel).toMatch(/^[a-z]+:[a-z]+(-[a-z]+)*$/);
  });

  it('recognises only allow-listed channels at run time', () => {
    expect(isIpcChannel('file:save')).toBe(true);
    expect(isIpcChannel('file:delete')).toBe(false);
    expect(isIpcChannel(42)).toBe(false);
  });

  it('takes no payload for argument-less channels', () => {
    expect(ipcRequestSchemas['app:info'].safeParse(undefined).success).toBe(true);
    expect(ipcRequestSchemas['app:info'].safeParse({ evil: true }).success).toBe(false);
  });
});

describe('file:save payload', () => {
  const valid = { suggestedName: '网格报表-2026.xlsx', data: new Uint8Array([1, 2, 3]) };

  it('accepts bytes or text with optional filters', () => {
    expect(SaveFileRequestSchema.safeParse(valid).success).toBe(true);
    const text = { ...valid, data: 'a,b\n1,2', filters: [{ name: 'CSV', extensions: ['csv'] }] };
    expect(SaveFileRequestSchema.safeParse(text).success).toBe(true);
  });

  it.each(['../../etc/passwd', 'C:\\Windows\\x.dll', 'a/b.txt', '..', '', ' ', 'a\u0000b', 'x:y'])(
    'refuses the file name %j',
    (suggestedName) => {
      expect(SaveFileRequestSchema.safeParse({ ...valid, suggestedName }).success).toBe(false);
    },
  );

  it('refuses data over the size limit', () => {
    const bytes = new Uint8Array(IPC_LIMITS.maxSaveBytes + 1);
    expect(SaveFileRequestSchema.safeParse({ ...valid, data: bytes }).success).toBe(false);
    const text = 'x'.repeat(IPC_LIMITS.maxSaveBytes + 1);
    expect(SaveFileRequestSchema.safeParse({ ...valid, data: text }).success).toBe(false);
  });

  it('refuses other data types, unknown fields and bad extensions', () => {
    expect(SaveFileRequestSchema.safeParse({ ...valid, data: [1, 2, 3] }).success).toBe(false);
    expect(SaveFileRequestSchema.safeParse({ ...valid, path: '/etc/passwd' }).success).toBe(false);
    const filters = [{ name: 'x', extensions: ['.exe'] }];
    expect(SaveFileRequestSchema.safeParse({ ...valid, filters }).success).toBe(false);
  });
});

describe('secret payloads', () => {
  it('allows only listed keys', () => {
    expect(SecretKeySchema.safeParse('sync-token').success).toBe(true);
    for (const key of ['../sync-token', 'password', '', 'SYNC-TOKEN']) {
      expect(SecretKeySchema.safeParse(key).success).toBe(false);
    }
  });

  it('bounds the value length', () => {
    const ok = { key: 'sync-token', value: 'x'.repeat(IPC_LIMITS.maxSecretLength) };
    expect(SecretSetRequestSchema.safeParse(ok).success).toBe(true);
    const long = { ...ok, value: `${ok.value}x` };
    expect(SecretSetRequestSchema.safeParse(long).success).toBe(false);
  });
});

describe('config:set-basemap-origin payload', () => {
  const schema = ipcRequestSchemas['config:set-basemap-origin'];

  it('is the basemap origin schema', () => {
    expect(schema).toBe(SetBasemapOriginRequestSchema);
  });

  it.each([
    'https://tiles.example.gov.cn',
    'http://10.0.0.8:8080',
    'http://gis-server',
    'https://tiles.example.gov.cn:8443',
    'http://[fd00::8]:8080',
  ])('accepts the origin %j', (origin) => {
    expect(isHttpOrigin(origin)).toBe(true);
    expect(schema.safeParse(origin)).toEqual({ success: true, data: origin });
  });

  it('accepts null, which clears the origin', () => {
    expect(schema.safeParse(null)).toEqual({ success: true, data: null });
  });

  it.each([
    'https://tiles.example.gov.cn/',
    'https://tiles.example.gov.cn/tiles/{z}/{x}/{y}.png',
    'https://tiles.example.gov.cn?x=1',
    'https://tiles.example.gov.cn#x',
    'https://*.example.gov.cn',
    '*',
    'https:',
    'https://',
    'https://user:pass@tiles.example.gov.cn',
    'HTTPS://TILES.EXAMPLE.GOV.CN',
    'https://tiles.example.gov.cn:443',
    'http://tiles.example.gov.cn:80',
    'http://tiles.example.gov.cn:99999',
    'http://0x7f.1',
    'https://tiles_1.example.gov.cn',
    'https://例子.cn',
    "https://x.cn; script-src 'unsafe-inline'",
    'https://x.cn https://evil.example',
    ' https://x.cn',
    "'self'",
    'ws://tiles.example.gov.cn',
    'ftp://tiles.example.gov.cn',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'data:',
    '',
  ])('refuses %j', (origin) => {
    expect(isHttpOrigin(origin)).toBe(false);
    expect(schema.safeParse(origin).success).toBe(false);
  });

  it('refuses a missing payload, other types and over-long strings', () => {
    for (const payload of [undefined, 42, { origin: 'https://x.cn' }, ['https://x.cn']]) {
      expect(schema.safeParse(payload).success).toBe(false);
    }
    const long = `https://${'a'.repeat(IPC_LIMITS.maxUrlLength)}.cn`;
    expect(schema.safeParse(long).success).toBe(false);
  });
});
